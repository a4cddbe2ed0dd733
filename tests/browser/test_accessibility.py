"""Browser: axe-core finds no violations on the key pages of the seeded demo (1366 by 900), and
the page header is one line at 1366 px for the role with the most links.

axe-core is vendored (tests/browser/vendor/axe-core) and injected into each page; the browser
context bypasses the site's Content-Security-Policy only so that the injected script may run.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts import roles
from accounts.models import Team, User
from challenges.models import ChallengePage, Correction
from courses.models import LessonPage, SkillModulePage
from notifications.models import Notification
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import CorrectionFactory, make_challenge

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text("utf-8")
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def desktop(browser):
    """Factory of signed-in pages at 1366 by 900 that may run injected scripts."""
    contexts = []

    def make(base_url, user):
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": str(base_url),
                }
            ]
        )
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def axe_violations(page) -> list[str]:
    page.evaluate(AXE)
    found = page.evaluate(
        """async () => (await axe.run(document)).violations.map(v =>
            `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"""
    )
    return found


def test_key_pages_of_the_demo_have_no_axe_violations(live_server, desktop):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    employee = User.objects.get(email="employee@apprentice.example")
    reviewer = User.objects.get(email="reviewer@apprentice.example")
    line_manager = Team.objects.get(slug="customer-care").line_manager
    quiz_lesson = next(
        lesson for lesson in LessonPage.objects.live().order_by("path") if lesson.quiz_blocks()
    )
    module = SkillModulePage.objects.live().filter(cover_image__isnull=False).first()
    challenge = ChallengePage.objects.live().filter(cover_image__isnull=False).first()
    to_review = (
        Correction.objects.exclude(user=reviewer).exclude(reviews__reviewer=reviewer).first()
    )
    assert module and challenge and to_review and line_manager
    pages = {
        employee: [
            "/",
            "/skills/",
            module.url,
            quiz_lesson.url,
            "/challenges/",
            challenge.url,
            "/leaderboard/",
            "/leaderboard/badges/",
            f"/leaderboard/people/{employee.pk}/",
            "/learn/",
            "/me/notifications/",
            "/insights/",
        ],
        reviewer: ["/challenge/reviews/", f"/challenge/reviews/{to_review.pk}/"],
        line_manager: ["/me/team/"],
    }
    problems = {}
    for user, urls in pages.items():
        page = desktop(live_server.url, user)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            violations = axe_violations(page)
            if violations:
                problems[url] = violations
    assert problems == {}


def test_the_header_is_one_line_at_1366_px_for_the_busiest_role(live_server, desktop):
    team = TeamFactory()
    # An L&D manager and admin who also line-manages a team, with reviews waiting and
    # notifications unread: every link the header can show.
    busy = UserFactory(
        team=team,
        first_name="Maximiliane",
        last_name="Okafor-Lindqvist",
        roles=[roles.LD_MANAGER, roles.REVIEWER],
        is_superuser=True,
    )
    team.line_manager = busy
    team.save()
    challenge = make_challenge()
    for _ in range(3):
        CorrectionFactory(challenge=challenge)
    for i in range(12):
        Notification.objects.create(user=busy, kind="badge", message=f"Notice {i}", url="/")
    page = desktop(live_server.url, busy)
    page.goto(live_server.url + "/")
    rows = page.evaluate(
        """() => [...document.querySelectorAll(
                '.brand, .site-nav > ul > li, .site-header__account > *')]
            .filter(e => e.getClientRects().length)
            .map(e => { const r = e.getBoundingClientRect();
                        return {text: e.textContent.trim().slice(0, 20), top: r.top,
                                bottom: r.bottom, right: r.right}; })"""
    )
    texts = " ".join(row["text"] for row in rows)
    assert "Reviews" in texts and "Manage" in texts and "Sign out" in texts
    # One line: every item overlaps every other vertically, and nothing spills off the right.
    assert max(row["top"] for row in rows) < min(row["bottom"] for row in rows), rows
    assert max(row["right"] for row in rows) <= DESKTOP["width"], rows
    assert page.locator(".site-header").bounding_box()["height"] < 80
    # The L&D tools are one click away in the Manage menu.
    page.get_by_text("Manage", exact=True).click()
    page.get_by_role("link", name="My team").click()
    page.wait_for_url("**/me/team/**")
    assert page.locator('[data-testid="my-team-link"]').get_attribute("aria-current") == "page"
