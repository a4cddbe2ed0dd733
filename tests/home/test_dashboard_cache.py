"""The dashboard's per-person cache (``home.selectors.dashboard_context``): each person sees
only their own panels, and what they do shows on their next visit."""

import pytest

from challenges.models import FlawCategory
from challenges.services.observe import FlagInput, flags_submit
from leaderboard.services import kudos_give
from tests.accounts.factories import UserFactory
from tests.challenges.factories import REFUND_QUOTE, make_challenge
from tests.home.dashboard_html import dashboard

pytestmark = pytest.mark.django_db


def test_two_people_each_see_only_their_own_kudos_and_new_kudos_show_at_once(client):
    ana, ben, cleo = UserFactory(), UserFactory(), UserFactory()
    for user in (ana, ben):
        dashboard(client, user)  # cached from here on
    kudos_give(giver=cleo, recipient=ana, message="Thanks for catching the refund error.")
    kudos_give(giver=cleo, recipient=ben, message="Your test cases saved the launch.")
    ana_html, ben_html = dashboard(client, ana), dashboard(client, ben)
    assert "Thanks for catching the refund error." in ana_html
    assert "Your test cases saved the launch." not in ana_html
    assert "Your test cases saved the launch." in ben_html
    assert "Thanks for catching the refund error." not in ben_html


def test_submitted_flags_show_in_the_signals_and_leave_open_challenges_at_once(client):
    user = UserFactory()
    challenge = make_challenge()
    before = dashboard(client, user)
    assert "Your flag precision and recall" not in before
    start = challenge.output.index(REFUND_QUOTE)
    hallucination = FlawCategory.objects.get(slug="hallucination")
    flags_submit(
        user=user,
        challenge=challenge,
        flags=[FlagInput(start=start, end=start + len(REFUND_QUOTE), category_id=hallucination.pk)],
    )
    after = dashboard(client, user)
    assert "Your flag precision and recall" in after
    assert challenge.title not in after.split("Open challenges", 1)[1].split("</section>", 1)[0]
