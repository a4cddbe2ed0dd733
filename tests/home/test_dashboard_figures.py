"""The dashboard's figures (points, ranks, skills, recent activity) are read on every request in
one statement (``leaderboard.selectors.ranks.standings_and_recent``): what a person earns, and a
colleague overtaking them, shows on their next request, and never on anyone else's page."""

import re

import pytest

from leaderboard import scopes
from leaderboard.ranks import SKILL_PREFIX, standings_of
from leaderboard.selectors.ranks import standings_and_recent
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.home.dashboard_html import dashboard, figure, panel

pytestmark = pytest.mark.django_db


def skill_row(html: str, name: str) -> str:
    return re.search(rf"<tr><td>{name}</td><td>(\d+)</td></tr>", panel(html, "dash-skills")).group(
        1
    )


def test_points_received_and_a_colleague_overtaking_show_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    ana, ben = UserFactory(), UserFactory()
    points_award(user=ana, amount=30, kind="challenge.flags", source_key="a:1", reason="First")
    html = dashboard(client, ana)
    assert (figure(html, "dash-points"), figure(html, "dash-rank")) == ("30", "#1")
    points_award(user=ben, amount=50, kind="challenge.flags", source_key="b:1", reason="Ben's")
    html = dashboard(client, ana)
    assert figure(html, "dash-rank") == "#2"  # someone else scoring moves the rank at once
    with django_capture_on_commit_callbacks(execute=True):  # the award commits
        points_award(
            user=ana,
            amount=25,
            kind="challenge.flags",
            source_key="a:2",
            skill="critical-thinking",
            reason="Second",
        )
    html = dashboard(client, ana)
    assert (figure(html, "dash-points"), figure(html, "dash-rank")) == ("55", "#1")
    recent = panel(html, "dash-activity")
    assert recent.index("+25</strong> Second") < recent.index("+30</strong> First")
    assert "Ben&#x27;s" not in recent and "Ben's" not in recent
    assert skill_row(html, "Critical thinking") == "25"
    ben_html = dashboard(client, ben)
    assert "Second" not in panel(ben_html, "dash-activity")
    assert skill_row(ben_html, "Critical thinking") == "0"


def test_the_recent_activity_escapes_what_a_reason_says(client):
    ana = UserFactory()
    points_award(user=ana, amount=5, kind="manual", source_key="m:1", reason="<b>bold</b> & co")
    recent = panel(dashboard(client, ana), "dash-activity")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in recent and "<b>" not in recent


def test_the_one_statement_agrees_with_standings_of_with_ties():
    people = [UserFactory() for _ in range(5)]
    for i, person in enumerate(people):  # ties at 20 points, reached one after another
        points_award(user=person, amount=20 if i < 3 else 10 * i, kind="k", source_key=f"s:{i}")
        points_award(
            user=person, amount=i + 1, kind="k", source_key=f"t:{i}", skill="data-literacy"
        )
    month = scopes.month_key_now()
    for person in people:
        wanted = standings_of(user=person, scopes=[scopes.ALL, month], skills=True)
        found, rows = standings_and_recent(
            user_id=person.pk, scopes=[scopes.ALL, month], prefixes=[SKILL_PREFIX], recent=8
        )
        assert found == wanted
        assert [row[1] for row in rows] == [
            a.amount for a in person.points_awards.order_by("-created_at", "-pk")
        ]
        assert all(row[4] is not None and row[4].tzinfo is not None for row in rows)
