"""Queries per page for a signed-in employee in a lived-in world (issue 11: at most 15 each).

The world has several modules with lessons, a challenge in a running week with teams, badges,
kudos, notifications, points in several scopes and colleagues on the boards, so every panel of
every page has something to show. Each page is fetched once to warm the caches that any
visitor shares (site root, scope list, spotlight) and the viewer's own cached header values,
then counted.
"""

import pytest
from django.core.cache import cache

from leaderboard.models import BadgeAward
from leaderboard.services import kudos_give, points_award
from notifications.models import Notification
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import make_challenge, make_week
from tests.courses.factories import (
    lesson_page,
    module_page,
    quiz_block,
    reflection_block,
    text_block,
)
from tests.leaderboard.factories import BadgeFactory, LevelFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15  # the budget for every page
# What each page costs now, once the per-person cache (accounts/person_cache.py) and the page
# cache (home/page_cache.py) are warm: no session, user, role, unread-count or page query; nor
# what lesson and challenge pages show everyone (courses/challenges ``*_shared``) or the
# dashboard's slow panels (per person, home.selectors.dashboard_context).
# A new query on a page shows up here; raise its bound only with a reason.
# Lessons: points and progress in one statement, plus the viewer's quiz attempts and reflections
# when the lesson has a quiz and a reflection (and, with sessions in the database as here without
# Redis, the session). People boards: the top rows and the viewer's rank in one statement
# (leaderboard.selectors.ranks.board_top_people_and_rank), and the session. The dashboard: the
# session only (the viewer's own standings and newest ledger rows are kept under their ledger
# token, home.selectors._own_and_recent).
BOUNDS = {
    "lesson": 4,
    "plain lesson": 2,
    "challenge": 1,
    "leaderboard": 2,
    "week leaderboard": 2,
    "team board": 3,
    "dashboard": 1,
}


@pytest.fixture
def world():
    teams = [TeamFactory() for _ in range(4)]
    me = UserFactory(team=teams[0])
    colleagues = [UserFactory(team=teams[i % 4]) for i in range(12)]
    for i in range(4):
        LevelFactory(xp_threshold=i * 50)
    modules = [
        module_page(title=f"Module {i}", skill=skill)
        for i, skill in enumerate(("critical-thinking", "data-literacy", "adaptability"))
    ]
    lessons = [
        lesson_page(module, title=f"Lesson {m}.{i}", body=[quiz_block(), reflection_block()])
        for m, module in enumerate(modules)
        for i in range(4)
    ]
    plain = lesson_page(modules[1], title="Reading only", body=[text_block("<p>Read on.</p>")])
    challenge = make_challenge()
    week = make_week(challenges=[challenge], teams=teams, hours=72)
    for i, user in enumerate([me, *colleagues]):
        for j in range(3):
            points_award(
                user=user,
                amount=5 + i + j,
                kind="challenge.flags",
                source_key=f"world:{i}:{j}",
                skill=("critical-thinking", "data-literacy", "adaptability")[j],
                week_id=week.pk,
            )
    for badge in [BadgeFactory() for _ in range(3)]:
        BadgeAward.objects.get_or_create(badge=badge, user=me)
    for colleague in colleagues[:3]:
        kudos_give(giver=colleague, recipient=me, message="Thanks for the careful review.")
    for i in range(5):
        Notification.objects.create(user=me, kind="badge", message=f"Notice {i}", url="/")
    cache.clear()
    return {"me": me, "lessons": lessons, "plain": plain, "challenge": challenge, "week": week}


def pages(world) -> dict[str, str]:
    return {
        "lesson": world["lessons"][5].url,
        "plain lesson": world["plain"].url,
        "challenge": world["challenge"].url,
        "leaderboard": "/leaderboard/",
        "week leaderboard": f"/leaderboard/week-{world['week'].pk}/",
        "team board": f"/leaderboard/week-{world['week'].pk}/teams/",
        "dashboard": "/",
    }


# Not "page": conftest takes a test using a fixture of that name for a browser test.
@pytest.mark.parametrize(
    "name",
    [
        "lesson",
        "plain lesson",
        "challenge",
        "leaderboard",
        "week leaderboard",
        "team board",
        "dashboard",
    ],
)
def test_page_needs_at_most_15_queries(client, world, name, django_assert_max_num_queries):
    client.force_login(world["me"])
    url = pages(world)[name]
    assert client.get(url).status_code == 200  # warms what every visitor shares
    assert BOUNDS[name] <= MAX_QUERIES
    with django_assert_max_num_queries(BOUNDS[name]):
        response = client.get(url)
    assert response.status_code == 200
