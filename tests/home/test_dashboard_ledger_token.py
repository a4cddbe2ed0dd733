"""The dashboard keeps each person's own standings and newest ledger rows under their ledger
token (``home.selectors._own_and_recent``): a warm view runs no statement for them; an award or
revocation replaces the token when it commits, so the next view shows it; a rebuild replaces
the ledger generation; what is kept for one person is never served to another."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home import selectors
from leaderboard.models import Standing
from leaderboard.selectors import ranks
from leaderboard.services import points_award, points_revoke, standings_rebuild
from tests.accounts.factories import UserFactory
from tests.home.dashboard_html import dashboard, figure
from tests.support.redis_server import redis_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def activity(html: str) -> str:
    return html.split('id="dash-activity"', 1)[1].split("</section>", 1)[0]


def own_reads():
    """Count the statements reading the person's own standings and newest rows."""
    return mock.patch.object(
        ranks, "own_standings_and_recent", wraps=ranks.own_standings_and_recent
    )


@pytest.fixture
def award(django_capture_on_commit_callbacks):
    """``points_award`` whose transaction commits (its on-commit work runs, as in production)."""

    def award(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return points_award(**kwargs)

    return award


def ledger_sql(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "leaderboard_standing" in q["sql"] or "leaderboard_pointsaward" in q["sql"]
    ]


def test_a_warm_dashboard_runs_no_statement_for_the_own_standings(client, award):
    ana = UserFactory()
    award(user=ana, amount=30, kind="k", source_key="a:1", skill="adaptability")
    dashboard(client, ana)
    dashboard(client, ana)  # warm: panels, ranks and own rows kept
    with CaptureQueriesContext(connection) as queries, own_reads() as read:
        html = dashboard(client, ana)
    assert figure(html, "dash-points") == "30"
    assert read.call_count == 0
    assert ledger_sql(queries.captured_queries) == []


def test_an_award_shows_on_the_next_view_and_only_to_its_person(client, award):
    ana, ben = UserFactory(), UserFactory()
    award(user=ana, amount=30, kind="k", source_key="a:1", reason="First flags")
    award(user=ben, amount=10, kind="k", source_key="b:1", reason="Ben's review")
    assert figure(dashboard(client, ana), "dash-points") == "30"
    assert figure(dashboard(client, ben), "dash-points") == "10"
    dashboard(client, ana)  # kept
    award(user=ana, amount=25, kind="k", source_key="a:2", reason="Second flags")
    html = dashboard(client, ana)
    assert figure(html, "dash-points") == "55"
    assert activity(html).index("+25</strong> Second flags") < activity(html).index(
        "+30</strong> First flags"
    )
    assert "Ben&#x27;s review" not in activity(html)
    ben_html = dashboard(client, ben)
    assert figure(ben_html, "dash-points") == "10"
    assert "Second flags" not in ben_html and "First flags" not in ben_html


def test_a_revocation_shows_on_the_next_view(client, award, django_capture_on_commit_callbacks):
    ana = UserFactory()
    first = award(user=ana, amount=30, kind="k", source_key="a:1", reason="Flags")
    assert figure(dashboard(client, ana), "dash-points") == "30"
    dashboard(client, ana)  # kept
    with django_capture_on_commit_callbacks(execute=True):
        points_revoke(award=first, reason="Copied answers")
    html = dashboard(client, ana)
    assert figure(html, "dash-points") == "0"
    assert "-30</strong> Copied answers" in activity(html)


def test_an_award_committing_while_the_page_reads_shows_on_the_next_view(client, award):
    """The token is read (with the page's other keys) before the database: an award that
    commits after the page read the database leaves what it read kept under the old token,
    which the next view does not take."""
    ana = UserFactory()
    award(user=ana, amount=30, kind="k", source_key="a:1")
    dashboard(client, ana)
    cache.delete(selectors.own_key(ana.pk))
    read = ranks.own_standings_and_recent

    def read_then_award(**kwargs):
        rows = read(**kwargs)
        award(user=ana, amount=5, kind="k", source_key="a:2")  # commits after the read
        return rows

    with mock.patch.object(ranks, "own_standings_and_recent", side_effect=read_then_award):
        assert figure(dashboard(client, ana), "dash-points") == "30"  # as it read
    with own_reads() as reads:
        assert figure(dashboard(client, ana), "dash-points") == "35"
        assert reads.call_count == 1  # missed: the token moved since the value was read
        assert figure(dashboard(client, ana), "dash-points") == "35"
        assert reads.call_count == 1  # kept again


def test_a_person_without_a_token_is_kept_and_their_first_award_shows(client, award):
    ana = UserFactory()
    assert cache.get(ranks.ledger_token_key(ana.pk)) is None
    assert figure(dashboard(client, ana), "dash-points") == "0"
    with own_reads() as reads:
        assert figure(dashboard(client, ana), "dash-points") == "0"
    assert reads.call_count == 0  # kept under "no token"
    award(user=ana, amount=7, kind="k", source_key="a:1", reason="Hello")
    html = dashboard(client, ana)
    assert figure(html, "dash-points") == "7"
    assert "Hello" in activity(html)


def test_a_rebuild_is_read_on_the_next_view(client, award):
    ana = UserFactory()
    award(user=ana, amount=30, kind="k", source_key="a:1")
    # Ana's standing drifts from the ledger behind its back and is read and kept so...
    Standing.objects.filter(user=ana, scope="all").update(points=999)
    assert figure(dashboard(client, ana), "dash-points") == "999"
    assert figure(dashboard(client, ana), "dash-points") == "999"
    # ...until the rebuild recomputes it: its new ledger generation misses.
    standings_rebuild()
    assert figure(dashboard(client, ana), "dash-points") == "30"


def test_one_persons_kept_rows_are_never_served_to_another(client, award):
    ana, ben = UserFactory(), UserFactory()
    award(user=ana, amount=50, kind="k", source_key="a:1", reason="Ana's flags")
    assert figure(dashboard(client, ana), "dash-points") == "50"
    assert figure(dashboard(client, ben), "dash-points") == "0"
    # Even Ana's entry under Ben's key (and the same token) is not Ben's: it names her id.
    cache.set(ranks.ledger_token_key(ben.pk), cache.get(ranks.ledger_token_key(ana.pk)), None)
    cache.set(selectors.own_key(ben.pk), cache.get(selectors.own_key(ana.pk)))
    html = dashboard(client, ben)
    assert figure(html, "dash-points") == "0"
    assert "Ana&#x27;s flags" not in html


def test_a_new_month_is_read_afresh(client, award):
    ana = UserFactory()
    award(user=ana, amount=30, kind="k", source_key="a:1")
    dashboard(client, ana)
    with (
        mock.patch("leaderboard.scopes.month_key_now", return_value="month-2999-01"),
        own_reads() as reads,
    ):
        assert figure(dashboard(client, ana), "dash-points") == "30"
    assert reads.call_count == 1


def test_the_dashboard_reads_the_database_while_redis_is_down(
    client,
    award,
    redis_server,  # noqa: F811
):
    ana = UserFactory()
    award(user=ana, amount=30, kind="k", source_key="a:1", reason="Before")
    assert figure(dashboard(client, ana), "dash-points") == "30"
    assert figure(dashboard(client, ana), "dash-points") == "30"  # kept in Redis
    redis_server.kill()
    award(user=ana, amount=12, kind="k", source_key="a:2", reason="During")  # token write lost
    html = dashboard(client, ana)
    assert figure(html, "dash-points") == "42"
    assert "During" in activity(html)
    redis_server.start()  # back, empty
    assert client.get("/healthz").status_code == 200
    assert figure(dashboard(client, ana), "dash-points") == "42"
