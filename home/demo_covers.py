"""Cover images for the demo's modules and challenges (the last step of ``manage.py seed_demo``).

The pictures ship with the project in ``demo/covers/`` (drawn by ``tools/demo_covers.py``, no
network), named ``module-<slug>.png`` or ``challenge-<slug>.png``, with their alt text in
``alt.json``. Each becomes one image in the "Demo covers" collection of the Wagtail image library
(the alt text is the image's description) and the cover of the demo page with that slug, only
while the page has no cover and no unpublished draft: a cover or a draft of L&D's is never
touched. The renditions the templates ask for are made here, so page views only read them.

Idempotent: images are found by title in their collection, and a page that has a cover is left
alone, so a second run creates nothing.
"""

import json

from django.conf import settings
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection

from challenges.models import ChallengePage
from courses.models import SkillModulePage

COVERS_DIR = settings.BASE_DIR / "demo" / "covers"
COLLECTION = "Demo covers"
# The filter specs of templates/includes/cover.html (card in lists, hero on the page).
COVER_SPECS = ("fill-480x240", "fill-960x360")
PAGE_TYPES = {"module": SkillModulePage, "challenge": ChallengePage}


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=COLLECTION).first() or root.add_child(name=COLLECTION)


def _image(collection: Collection, stem: str, alt: str):
    image_model = get_image_model()
    title = f"Demo cover: {stem}"
    image = image_model.objects.filter(collection=collection, title=title).first()
    if image is None:
        with (COVERS_DIR / f"{stem}.png").open("rb") as handle:
            image = image_model(title=title, description=alt, collection=collection)
            image.file = ImageFile(handle, name=f"demo-cover-{stem}.png")
            image.save()
    return image


def seed(*, stdout) -> None:
    alt_texts = json.loads((COVERS_DIR / "alt.json").read_text("utf-8"))
    collection = _collection()
    covered = 0
    for stem, alt in alt_texts.items():
        kind, _, slug = stem.partition("-")
        page = PAGE_TYPES[kind].objects.filter(slug=slug).first()
        if page is None or page.cover_image_id or page.has_unpublished_changes:
            continue
        image = _image(collection, stem, alt)
        image.get_renditions(*COVER_SPECS)
        page.cover_image = image
        page.save_revision().publish()
        covered += 1
    stdout.write(f"Covers: {len(alt_texts)} demo images, {covered} pages newly covered.")
