"""The dashboard page's panels kept as rendered HTML per person (``home.selectors
.dashboard_context`` with the request): each person sees only their own, a challenge published
shows at once, and an emptied cache only means reading the database again."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from courses.services import assignment_create
from leaderboard.models import BadgeAward
from leaderboard.services import kudos_give, points_award
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import module_page
from tests.home.dashboard_html import dashboard, panel
from tests.leaderboard.factories import BadgeFactory

pytestmark = pytest.mark.django_db


def test_two_people_each_see_only_their_own_badges_assignments_and_kudos(client):
    ana, ben, cleo = UserFactory(), UserFactory(), UserFactory()
    BadgeAward.objects.create(badge=BadgeFactory(name="Eagle Eye"), user=ana)
    module = module_page(title="Reading AI answers as drafts")
    assignment_create(
        module=module,
        due_date=timezone.localdate() + datetime.timedelta(days=7),
        assigned_by=cleo,
        user=ana,
    )
    kudos_give(giver=cleo, recipient=ana, message="Ana caught the refund error.")
    for _ in range(2):  # the second time from the cache
        ana_html, ben_html = dashboard(client, ana), dashboard(client, ben)
        assert "Eagle Eye" in panel(ana_html, "dash-progress")
        assert "Reading AI answers as drafts" in panel(ana_html, "dash-assigned")
        assert "Ana caught the refund error." in panel(ana_html, "dash-kudos")
        for text in ("Eagle Eye", "Reading AI answers as drafts", "Ana caught the refund error."):
            assert text not in ben_html


def test_a_challenge_published_shows_in_open_challenges_at_once(client):
    ana = UserFactory()
    make_challenge(title="The first challenge")
    assert "The first challenge" in panel(dashboard(client, ana), "dash-challenges")
    make_challenge(title="A brand new challenge")
    assert "A brand new challenge" in panel(dashboard(client, ana), "dash-challenges")


def test_the_top_mentors_come_from_the_months_board_on_every_visit(client):
    ana, ben = UserFactory(), UserFactory(first_name="Bea", last_name="Mentor")
    points_award(user=ben, amount=30, kind="challenge.flags", source_key="top:1")
    for _ in range(2):  # the spotlight cached from the first visit on
        spotlight = panel(dashboard(client, ana), "spotlight-title")
        assert ben.public_name in spotlight and "30 points" in spotlight


def test_an_emptied_cache_reads_the_panels_again(client):
    ana = UserFactory()
    kudos_give(giver=UserFactory(), recipient=ana, message="Thanks for the careful review.")
    dashboard(client, ana)
    cache.clear()  # as after a Redis restart
    assert "Thanks for the careful review." in dashboard(client, ana)
