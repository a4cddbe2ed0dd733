"""The employee dashboard (the home page once signed in), driven over HTTP."""

import re

import pytest

from challenges.models import FlawCategory
from challenges.services.observe import FlagInput, flags_submit
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.challenges.factories import REFUND_QUOTE, make_challenge
from tests.home.dashboard_html import dashboard


@pytest.mark.django_db
def test_visitors_see_the_introduction_not_a_dashboard(client):
    body = client.get("/").content.decode()
    assert "Create your account" in body
    assert "Your progress" not in body


@pytest.mark.django_db
def test_dashboard_shows_real_points_rank_and_skill_profile(client):
    leader, user = UserFactory(), UserFactory()
    points_award(user=leader, amount=500, kind="manual", source_key="t:lead")
    points_award(
        user=user, amount=30, kind="lesson.completed", source_key="t:1", skill="data-literacy"
    )
    points_award(
        user=user, amount=12, kind="challenge.flags", source_key="t:2", skill="critical-thinking"
    )
    body = dashboard(client, user)
    assert re.search(r'data-testid="dash-points">\s*42<', body)
    assert 'data-testid="dash-rank">#2<' in body
    # The skill chart's text equivalent carries the same figures.
    assert "Data literacy: 30" in body
    assert "Critical thinking: 12" in body
    assert "Prompt engineering: 0" in body


@pytest.mark.django_db
def test_dashboard_shows_flag_precision_and_recall_after_a_challenge(client):
    user = UserFactory()
    challenge = make_challenge()
    start = challenge.output.index(REFUND_QUOTE)
    hallucination = FlawCategory.objects.get(slug="hallucination")
    flags_submit(
        user=user,
        challenge=challenge,
        flags=[FlagInput(start=start, end=start + len(REFUND_QUOTE), category_id=hallucination.pk)],
    )
    body = dashboard(client, user)
    assert "Your flag precision and recall" in body
    # The severity-3 flaw of two (severities 3 and 1) found, no false flag: recall is
    # severity-weighted, so precision 100 % and recall 75 %.
    assert "<td>100%</td><td>75%</td>" in body
    # The challenge is no longer offered as open.
    assert challenge.title not in body.split("Open challenges", 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
def test_dashboard_shows_only_the_viewers_own_data(client):
    other = UserFactory()
    points_award(
        user=other, amount=99, kind="kudos.received", source_key="t:o", reason="Secret thanks"
    )
    body = dashboard(client, UserFactory())
    assert "Secret thanks" not in body
    assert re.search(r'data-testid="dash-points">\s*0<', body)


@pytest.mark.django_db
def test_dashboard_query_count_is_bounded(client, django_assert_max_num_queries):
    user = UserFactory()
    for i in range(30):
        points_award(
            user=user, amount=1, kind="lesson.completed", source_key=f"t:{i}", skill="adaptability"
        )
    client.force_login(user)
    client.get("/")  # warm caches (site root, scopes, panels, ranks, own standings)
    # The session only (in the database without Redis): however many awards someone has, a warm
    # dashboard runs no statement of its own.
    with django_assert_max_num_queries(1):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_dashboard_shows_rank_in_the_running_week(client):
    from datetime import timedelta

    from django.utils import timezone

    from challenges.models import ChallengeWeek

    week = ChallengeWeek.objects.create(
        title="Refund week",
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=6),
    )
    rival, user = UserFactory(), UserFactory()
    points_award(user=rival, amount=50, kind="challenge.flags", source_key="w:1", week_id=week.pk)
    points_award(user=user, amount=20, kind="challenge.flags", source_key="w:2", week_id=week.pk)
    body = dashboard(client, user)
    assert "Rank in Refund week" in body
    assert f'href="/leaderboard/week-{week.pk}/">#2<' in body
