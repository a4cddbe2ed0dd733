"""Cover images: seed_demo puts the shipped demo covers on the demo modules and challenges, the
pages and their lists show them with their alt text, and a second run or an L&D cover is left
alone."""

import io
import json
import re

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.images.models import Rendition
from wagtail.models import Revision

from challenges.models import ChallengePage
from courses.models import SkillModulePage
from home import demo_covers

pytestmark = pytest.mark.django_db

IMG = re.compile(r'<img [^>]*data-cover="(?P<kind>hero|card)"[^>]*>')


def _covers(html: str, kind: str) -> list[str]:
    return [m[0] for m in IMG.finditer(html) if m["kind"] == kind]


def _alt(tag: str) -> str:
    return re.search(r'alt="([^"]*)"', tag)[1]


def test_demo_pages_and_lists_show_their_shipped_covers(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    alt_texts = json.loads((demo_covers.COVERS_DIR / "alt.json").read_text("utf-8"))
    pages = [*SkillModulePage.objects.live(), *ChallengePage.objects.live()]
    assert len(pages) == len(alt_texts)
    client.login(email="employee@apprentice.example", password=settings.DEMO_PASSWORD)
    for page in pages:
        kind = "module" if isinstance(page, SkillModulePage) else "challenge"
        image = page.cover_image
        assert image.description == alt_texts[f"{kind}-{page.slug}"]
        assert (demo_covers.COVERS_DIR / f"{kind}-{page.slug}.png").is_file()
        hero = _covers(client.get(page.url).content.decode(), "hero")
        assert len(hero) == 1 and _alt(hero[0]) == image.description
    for url, model in (("/skills/", SkillModulePage), ("/challenges/", ChallengePage)):
        cards = _covers(client.get(url).content.decode(), "card")
        expected = {p.cover_image.description for p in model.objects.live()}
        assert {_alt(tag) for tag in cards} == expected and len(cards) == len(expected)
    # The renditions were made by the seed: their files are in storage.
    for rendition in Rendition.objects.all():
        assert rendition.file.storage.exists(rendition.file.name)


def test_covers_step_is_idempotent_and_keeps_a_cover_chosen_by_ld(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    module = SkillModulePage.objects.get(slug="data-literacy-numbers")
    chosen = get_image_model().objects.exclude(pk=module.cover_image_id).first()
    module.cover_image = chosen
    module.save_revision().publish()
    counts = (
        get_image_model().objects.count(),
        Rendition.objects.count(),
        Revision.objects.count(),
    )
    demo_covers.seed(stdout=io.StringIO())
    after = (get_image_model().objects.count(), Rendition.objects.count(), Revision.objects.count())
    assert after == counts
    module.refresh_from_db()
    assert module.cover_image_id == chosen.pk
