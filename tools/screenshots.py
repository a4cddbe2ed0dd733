"""Screenshots of the key pages, so anyone can see the site without clicking (make screenshots).

    .venv/bin/python tools/screenshots.py [--out screenshots] [--port 8765]

Seeds a scratch SQLite database (``<out>/scratch.sqlite3``, made afresh each run) with
``seed_demo``, starts the development server on it (in-memory cache and channel layer, no Redis),
signs in as the demo roles through the sign-in form, and saves full-page PNGs at 1366x900 and
390x844 into ``<out>/`` (git-ignored), named ``<width>-<role>-<page>.png``; each challenge step
is also saved on its own. The demo's cover images land in ``media/`` as with ``make run``.
Needs Chromium (``CHROMIUM_PATH``, default /usr/bin/chromium).
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VIEWPORTS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}
STEPS = ["observe", "correct", "context", "test", "reflect"]


def _env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="true",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def _urls(env: dict) -> dict:
    """The seeded pages worth a picture, read from the scratch database."""
    os.environ.update(env)
    import django

    django.setup()
    from accounts.models import Team, User
    from challenges.models import ChallengePage, Correction
    from courses.models import LessonPage, SkillModulePage

    reviewer = User.objects.get(email="reviewer@apprentice.example")
    quiz_lesson = next(
        lesson for lesson in LessonPage.objects.live().order_by("path") if lesson.quiz_blocks()
    )
    correction = (
        Correction.objects.exclude(user=reviewer).exclude(reviews__reviewer=reviewer).first()
    )
    employee = User.objects.get(email="employee@apprentice.example")
    return {
        "module": SkillModulePage.objects.live().order_by("path").first().url,
        "lesson": quiz_lesson.url,
        "challenge": ChallengePage.objects.live().order_by("path").first().url,
        "review": f"/challenge/reviews/{correction.pk}/" if correction else "/challenge/reviews/",
        "person": f"/leaderboard/people/{employee.pk}/",
        "line_manager": Team.objects.get(slug="customer-care").line_manager.email,
    }


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds:.0f} s.")


def _shots(base: str, out: Path, urls: dict, password: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    plan = {
        ("employee", "employee@apprentice.example"): [
            ("dashboard", "/"),
            ("skills", "/skills/"),
            ("module", urls["module"]),
            ("lesson-quiz", urls["lesson"]),
            ("challenges", "/challenges/"),
            ("challenge", urls["challenge"]),
            ("leaderboard", "/leaderboard/"),
            ("badges", "/leaderboard/badges/"),
            ("person", urls["person"]),
        ],
        ("reviewer", "reviewer@apprentice.example"): [
            ("review-queue", "/challenge/reviews/"),
            ("review-form", urls["review"]),
        ],
        ("line-manager", urls["line_manager"]): [("my-team", "/me/team/")],
        ("ld-manager", "manager@apprentice.example"): [
            ("analytics", "/admin/programme/analytics/"),
            ("admin", "/admin/"),
        ],
    }
    saved = []
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for size, viewport in VIEWPORTS.items():
            for (role, email), pages in plan.items():
                context = browser.new_context(viewport=viewport, is_mobile=size == "390")
                page = context.new_page()
                page.goto(base + "/accounts/login/")
                page.fill("input[name=login]", email)
                page.fill("input[name=password]", password)
                page.press("input[name=password]", "Enter")
                page.wait_for_load_state()
                for name, url in pages:
                    page.goto(base + url)
                    page.wait_for_load_state("networkidle")
                    path = out / f"{size}-{role}-{name}.png"
                    page.screenshot(path=path, full_page=True)
                    saved.append(path)
                    if name == "challenge":
                        for number, step in enumerate(STEPS, start=1):
                            section = page.locator(f"#step-{step}")
                            if section.count():
                                path = out / f"{size}-{role}-challenge-step{number}-{step}.png"
                                section.screenshot(path=path)
                                saved.append(path)
                context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    db = out / "scratch.sqlite3"
    db.unlink(missing_ok=True)
    env = _env(db)
    print(f"Seeding {db} …", flush=True)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed_demo")
    urls = _urls(env)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(base + "/healthz")
        from django.conf import settings

        saved = _shots(base, out, urls, settings.DEMO_PASSWORD)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"{len(saved)} screenshots in {out}")
    if shutil.which("du"):
        subprocess.run(["du", "-sh", str(out)], check=False)  # noqa: S603, S607


if __name__ == "__main__":
    main()
