"""Badge artwork: every demo badge shows shipped SVG artwork with an accessible name on the badges
page, the person page and the dashboard, and the file it points at exists."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from accounts import demo as accounts_demo
from leaderboard import demo
from leaderboard.models import Badge, BadgeAward
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

IMG = re.compile(r"<img [^>]*data-badge-art=\"(?P<slug>[^\"]+)\"[^>]*>")


def _art(html: str) -> dict[str, str]:
    return {m["slug"]: m[0] for m in IMG.finditer(html)}


def _check(tag: str, badge: Badge, *, own_art: bool = True) -> None:
    assert f'alt="{badge.name} badge"' in tag
    src = re.search(r'src="([^"]+)"', tag)[1]
    assert src.startswith(settings.STATIC_URL)
    path = finders.find(src.removeprefix(settings.STATIC_URL))
    assert path, f"{src} is not a shipped static file"
    svg = Path(path).read_text()
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>" in svg
    if own_art:
        assert f'aria-label="{badge.name} badge"' in svg


@pytest.fixture
def seeded_badges():
    demo.seed(stdout=io.StringIO())
    return list(Badge.objects.order_by("slug"))


def test_badges_page_shows_every_seeded_badge_with_its_own_artwork(client, seeded_badges):
    client.force_login(UserFactory())
    response = client.get("/leaderboard/badges/")
    assert response.status_code == 200
    art = _art(response.content.decode())
    assert set(art) == {b.slug for b in seeded_badges} == {row[0] for row in demo.BADGES}
    for badge in seeded_badges:
        _check(art[badge.slug], badge)
        # Each demo badge has artwork of its own, not its family's.
        assert f"leaderboard/badges/{badge.slug}.svg" in art[badge.slug]


def test_person_page_and_dashboard_show_the_artwork_of_badges_held(client, seeded_badges):
    accounts_demo.seed(stdout=io.StringIO())
    user = UserFactory()
    for badge in seeded_badges:
        BadgeAward.objects.create(badge=badge, user=user)
    client.force_login(user)
    person = _art(client.get(f"/leaderboard/people/{user.pk}/").content.decode())
    dashboard = _art(client.get("/").content.decode())
    for badge in seeded_badges:
        _check(person[badge.slug], badge)
        _check(dashboard[badge.slug], badge)


def test_a_new_badge_without_artwork_of_its_own_gets_its_familys(client):
    badge = Badge.objects.create(
        slug="streak-30", name="Month of learning", description="30 days.", criteria=Badge.STREAK
    )
    client.force_login(UserFactory())
    art = _art(client.get("/leaderboard/badges/").content.decode())
    assert "leaderboard/badges/streak.svg" in art["streak-30"]
    _check(art["streak-30"], badge, own_art=False)
