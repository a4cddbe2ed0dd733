"""The home page's demo introduction (used by ``manage.py seed_demo``).

The home page and default site are created by ``home``'s data migration.
"""

from wagtail.models import Site

from home.models import HomePage

INTRO = (
    "<p>Apprentice is where our people teach AI to work smarter. Spot what an AI answer gets "
    "wrong, correct it, add the context it lacked, test it with tricky cases, and reflect on "
    "what you learnt. Your team earns points and recognition as you go.</p>"
)


def seed(*, stdout) -> None:
    home = HomePage.objects.get(depth=2)
    if home.title != "Apprentice" or home.intro != INTRO:
        home.title = "Apprentice"
        home.intro = INTRO
        home.save_revision().publish()
    Site.objects.filter(is_default_site=True).update(site_name="Apprentice")
    stdout.write("Home: site and home page ready.")
