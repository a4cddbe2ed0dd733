"""seed_scale: real accounts, a long-tailed ledger, and aggregates equal to the ledger's."""

import io
import statistics
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Team, User
from challenges.models import ChallengeWeek
from leaderboard import scopes
from leaderboard.models import PointsAward, ScoreBucket, Standing, TeamStanding
from leaderboard.services import points_award, standings_rebuild

pytestmark = pytest.mark.django_db


def _seed(**options):
    defaults = {"users": 40, "teams": 4, "awards": 1500, "weeks": 3}
    call_command("seed_scale", **{**defaults, **options}, stdout=io.StringIO())


def _snapshot():
    return (
        sorted(Standing.objects.values_list("scope", "user_id", "points", "reached_at")),
        sorted(
            TeamStanding.objects.values_list("scope", "team_id", "points", "members", "reached_at")
        ),
        sorted(ScoreBucket.objects.values_list("scope", "points", "count")),
    )


def _expected_from_the_ledger():
    """What points_award would have built, award by award, in plain Python."""
    people = defaultdict(lambda: [0, None])
    teams = defaultdict(lambda: [0, set(), None])
    for award in PointsAward.objects.all():
        for scope in scopes.scopes_for(
            created_at=award.created_at, week_id=award.week_id, skill=award.skill
        ):
            row = people[(scope, award.user_id)]
            row[0] += award.amount
            row[1] = max(filter(None, [row[1], award.created_at]))
            if award.team_id:
                team = teams[(scope, award.team_id)]
                team[0] += award.amount
                team[1].add(award.user_id)
                team[2] = max(filter(None, [team[2], award.created_at]))
    return (
        sorted((s, u, p, at) for (s, u), (p, at) in people.items()),
        sorted((s, t, p, len(m), at) for (s, t), (p, m, at) in teams.items()),
    )


def test_seed_scale_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run when DEBUG is off"):
        _seed()
    assert not User.objects.filter(email__endswith="@scale.example").exists()


def test_seeded_aggregates_equal_the_ledger_and_survive_a_rebuild(settings):
    settings.DEBUG = True
    _seed()
    assert PointsAward.objects.filter(source_key__startswith="scale:").count() == 1500
    assert User.objects.filter(email__endswith="@scale.example").count() == 40
    assert Membership.objects.filter(team__slug__startswith="scale-team-").count() == 40
    assert ChallengeWeek.objects.filter(title__startswith="Scale week").count() == 3
    # Several kinds, skills and weeks, and a long tail: the leader far above the median.
    assert PointsAward.objects.values("kind").distinct().count() >= 8
    assert PointsAward.objects.exclude(skill="").values("skill").distinct().count() == 9
    assert PointsAward.objects.filter(week_id__isnull=False).values("week_id").distinct().count()
    points = sorted(Standing.objects.filter(scope="all").values_list("points", flat=True))
    assert points[-1] > 4 * statistics.median(points)

    people, teams = _expected_from_the_ledger()
    seeded = _snapshot()
    assert seeded[0] == people
    assert seeded[1] == teams
    assert seeded[2] == sorted(
        (scope, p, sum(1 for s, _, q, _ in people if s == scope and q == p))
        for scope, p in {(s, p) for s, _, p, _ in people}
    )
    # An award through the service on top of the seeded rows, then a rebuild: nothing moves.
    user = User.objects.filter(email__endswith="@scale.example").first()
    points_award(user=user, amount=7, kind="review.given", source_key="after-seed", skill="x")
    incremental = _snapshot()
    assert incremental != seeded
    standings_rebuild()
    assert _snapshot() == incremental


def test_seeded_users_sign_in_and_a_second_seed_needs_reset(client, settings):
    settings.DEBUG = True
    _seed(users=5, teams=2, awards=50, weeks=1)
    response = client.post(
        "/accounts/login/", {"login": "user3@scale.example", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].email == "user3@scale.example"

    with pytest.raises(CommandError, match="already holds seeded-scale users"):
        _seed(users=5, teams=2, awards=50, weeks=1)
    _seed(users=6, teams=3, awards=60, weeks=2, reset=True)
    assert User.objects.filter(email__endswith="@scale.example").count() == 6
    assert Team.objects.filter(slug__startswith="scale-team-").count() == 3
    assert PointsAward.objects.filter(source_key__startswith="scale:").count() == 60
    assert ChallengeWeek.objects.filter(title__startswith="Scale week").count() == 2
    assert _snapshot()[0] == _expected_from_the_ledger()[0]


def test_seeded_people_hold_the_badges_their_ledger_earns_without_notifications(settings):
    """An award in a benchmark is not some seeded person's first badge grant: the seed grants
    what the seeded ledger earns by the site's rules (and tells nobody: nothing new happened)."""
    from leaderboard.badges import badges_due
    from leaderboard.models import Badge, BadgeAward
    from notifications.models import Notification
    from tests.leaderboard.factories import BadgeFactory

    settings.DEBUG = True
    first = BadgeFactory(slug="first", criteria=Badge.POINTS_TOTAL, threshold=1)
    many = BadgeFactory(slug="many", criteria=Badge.POINTS_TOTAL, threshold=400)
    flags = BadgeFactory(
        slug="flags", criteria=Badge.KIND_COUNT, kind="challenge.flags", threshold=10
    )
    BadgeFactory(slug="roll", criteria=Badge.STREAK, threshold=2)
    _seed()
    people = User.objects.filter(email__endswith="@scale.example")
    seeded = list(people.values_list("pk", flat=True))
    assert badges_due(seeded) == []
    held = BadgeAward.objects.filter(user_id__in=seeded)
    with_points = Standing.objects.filter(scope="all", user_id__in=seeded, points__gte=1)
    assert held.filter(badge=first).count() == with_points.count() > 0
    assert 0 < held.filter(badge=many).count() < with_points.count()
    assert held.filter(badge=flags).exists()
    assert not Notification.objects.exists()

    # A database seeded before seeds granted badges gets them with --badges-only.
    granted = held.count()
    held.delete()
    call_command("seed_scale", badges_only=True, stdout=io.StringIO())
    assert BadgeAward.objects.filter(user_id__in=seeded).count() == granted
    assert badges_due(seeded) == []
