"""A challenge week in real Chromium: two teams' employees earn points by flagging an AI output;
the week's board updates live; after the freeze it stops moving for them; after the end the
results page names the winners and their badges are awarded.

Time is moved by editing the week's dates between phases (through the service that saves weeks,
as L&D would in the admin), not by waiting.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from challenges import services
from challenges.models import ChallengeWeek
from leaderboard.models import Badge, BadgeAward, PointsAward
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import make_challenge, make_week
from tests.leaderboard.factories import BadgeFactory
from tests.support.browser import signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REFUND_SENTENCE = (
    "Under our policy you can return any item for a full refund within 90 days, no receipt needed."
)
TONE_SENTENCE = "Customers like you usually forget the receipt anyway."


def submit_flags(page, server, challenge, flags):
    """Flag whole sentences with a category and submit, as an employee would without a mouse."""
    page.goto(f"{server.url}{challenge.url}")
    for n, (sentence, category) in flags.items():
        page.get_by_label(sentence).check()
        page.get_by_label(f"Flaw category for sentence {n}").select_option(label=category)
    page.get_by_role("button", name="Submit flags").click()
    expect(page.locator(".observe-score")).to_contain_text("Your score")


def move_week(week, **changes):
    for field, value in changes.items():
        setattr(week, field, value)
    return services.week_save(
        week=week, challenges=list(week.challenges.all()), teams=list(week.teams.all())
    )


def test_a_challenge_week_runs_live_freezes_and_reveals_its_winners(asgi_live_server, new_page):
    server = asgi_live_server
    champion = BadgeFactory(
        criteria=Badge.WEEK_PLACEMENT, threshold=1, name="Week champion", slug="week-champion"
    )
    care, risk = TeamFactory(name="Care Crew"), TeamFactory(name="Risk Rangers")
    ana = UserFactory(first_name="Ana", last_name="Careful", team=care)
    ben = UserFactory(first_name="Ben", last_name="Riskwise", team=risk)
    kettle = make_challenge(title="Kettle refund reply")
    week = make_week(challenges=[kettle], teams=[care, risk], title="Kettle week")

    # Both watch the week's board: it announces the running week in the banner.
    ana_page = signed_in_page(new_page, server, ana)
    ben_page = signed_in_page(new_page, server, ben)
    board_url = f"{server.url}/leaderboard/{week.scope}/"
    ben_page.goto(board_url)
    expect(ben_page.locator(f'[data-week-banner="{week.pk}"]')).to_contain_text("Kettle week")
    ben_page.wait_for_selector("[data-lb-board][data-lb-updates='1']")
    ben_page.evaluate("window.__sameDocument = true")
    ben_rows = ben_page.locator("[data-lb-rows]")

    # 1. Running: Ana (Care) flags the tone sentence; Ben's board shows her without a reload.
    submit_flags(ana_page, server, kettle, {4: (TONE_SENTENCE, "Tone and empathy")})
    expect(ben_rows.get_by_text("Ana Careful")).to_be_visible(timeout=3000)
    assert ben_page.evaluate("window.__sameDocument") is True
    ana_points = PointsAward.objects.get(user=ana, week_id=week.pk).amount
    assert ana_points > 0

    # 2. Freeze: from now the public board keeps its standings while points still count.
    week = move_week(week, freeze_at=timezone.now())
    ana_page.goto(board_url)
    expect(ana_page.locator("[data-lb-frozen]")).to_contain_text("Standings are frozen")
    ana_page.wait_for_selector("[data-lb-board][data-lb-updates='1']")
    ana_rows = ana_page.locator("[data-lb-rows]")
    submit_flags(
        ben_page,
        server,
        kettle,
        {
            2: (REFUND_SENTENCE, "Factual error / hallucination"),
            4: (TONE_SENTENCE, "Tone and empathy"),
        },
    )
    ben_award = PointsAward.objects.get(user=ben, week_id=week.pk)
    assert ben_award.amount > ana_points  # earned, counted for the week...
    ana_page.wait_for_timeout(2500)  # longer than a broadcast interval
    assert "Ben Riskwise" not in ana_rows.inner_text()  # ...but the public board did not move
    assert str(ana_points) in ana_rows.inner_text()

    # 3. The end: the results page finalises the week, names the winners, badges are awarded.
    move_week(
        week,
        starts_at=week.starts_at - timedelta(days=1),
        freeze_at=week.freeze_at - timedelta(days=1),
        ends_at=timezone.now(),
    )
    ana_page.goto(f"{server.url}/challenge/weeks/{week.pk}/results/")
    expect(ana_page.locator("[data-winner-team]")).to_contain_text("Risk Rangers")
    expect(ana_page.locator("[data-winner-person]").first).to_contain_text("Ben Riskwise")
    expect(ana_page.locator("[data-winner-person]").first).to_contain_text("Week champion")
    assert BadgeAward.objects.filter(badge=champion, user=ben).count() == 1
    assert ChallengeWeek.objects.get(pk=week.pk).finalised_at is not None
    # The revealed board shows everyone's week points.
    ana_page.goto(board_url)
    expect(ana_page.locator("[data-lb-rows]")).to_contain_text("Ben Riskwise")
    expect(ana_page.locator("[data-lb-frozen]")).to_have_count(0)
