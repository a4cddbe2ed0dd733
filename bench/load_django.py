"""The database side of the load run (``bench/load.py`` calls it with the run's settings).

``prepare N OUT``: N extra employees in the demo teams, a signed-in session for each, and the
pages the scenario visits, written to OUT (JSON) for the locustfile.
``check LOG OUT [SINCE]``: every submission the site acknowledged is stored exactly once, every
refused one not at all; no source key is paid twice; and every standing, team standing and
score bucket equals what ``standings_rebuild`` computes from the ledger. Writes OUT (JSON), exits
1 on failure. SINCE (ISO time the run started) ignores quiz attempts of earlier runs.
"""

import json
import os
import sys
from collections import Counter
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402

from accounts import roles  # noqa: E402
from accounts.models import Team, User  # noqa: E402
from accounts.services import membership_set  # noqa: E402
from bench.common import aggregates_snapshot  # noqa: E402
from challenges.models import ChallengePage, ContextNote, Correction, Reflection, Review  # noqa: E402
from challenges.models import TestCase as TestCaseRecord  # noqa: E402
from courses.models import LessonPage, LessonProgress, QuizAttempt  # noqa: E402
from leaderboard.models import (  # noqa: E402
    AggregateDelta,
    Kudos,
    PointsAward,
)

LOAD_DOMAIN = "load.apprentice.example"

# Where each acknowledged submission's marker must appear.
MARKED = {
    "correct": (Correction, "text"),
    "context": (ContextNote, "text"),
    "test": (TestCaseRecord, "input"),
    "reflect": (Reflection, "what_changed"),
    "review": (Review, "comment"),
    "kudos": (Kudos, "message"),
}


def prepare(count: int, out: Path) -> None:
    employee = Group.objects.get(name=roles.EMPLOYEE)
    teams = list(Team.objects.filter(is_active=True).order_by("pk"))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    users = []
    for n in range(count):
        user, created = User.objects.get_or_create(
            email=f"employee-{n:04d}@{LOAD_DOMAIN}",
            defaults={"first_name": "Load", "last_name": f"Employee {n:04d}"},
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(employee)
            membership_set(user=user, team=teams[n % len(teams)])
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        users.append({"id": user.pk, "session": session.session_key})
    lessons = [p.url for p in LessonPage.objects.live().specific()]
    challenges = [p.url for p in ChallengePage.objects.live().specific()]
    people = list(
        User.objects.filter(is_active=True, show_on_leaderboards=True).values_list("pk", flat=True)
    )
    plan = {
        "users": users,
        "csrf": _get_new_csrf_string(),
        "lessons": lessons,
        "challenges": challenges,
        "people": people,
    }
    out.write_text(json.dumps(plan))
    print(f"{len(users)} employees, {len(lessons)} lessons, {len(challenges)} challenges")


def check(log: Path, out: Path, since: datetime | None = None) -> bool:
    """``since``: when the run started (rows from earlier runs on a kept database are not its)."""
    submissions = json.loads(log.read_text())
    result = {"submissions": {}, "problems": []}
    by_kind = Counter()
    states = {True: "acked", False: "refused", None: "cut off by the end of the run"}
    for s in submissions:
        by_kind[(s["kind"], states[s["acked"]])] += 1
        if s["kind"] in MARKED:
            model, field = MARKED[s["kind"]]
            stored = model.objects.filter(**{f"{field}__contains": s["marker"]}).count()
            allowed = {True: {1}, False: {0}, None: {0, 1}}[s["acked"]]
            if stored not in allowed:
                result["problems"].append({**s, "stored": stored})
    quizzes = [s for s in submissions if s["kind"] == "quiz"]
    acked = Counter(s["user"] for s in quizzes if s["acked"])
    cut_off = Counter(s["user"] for s in quizzes if s["acked"] is None)
    rows = Counter(
        dict(
            QuizAttempt.objects.filter(user_id__in={s["user"] for s in quizzes})
            .filter(created_at__gte=since or datetime.min.replace(tzinfo=UTC))
            .values_list("user_id")
            .annotate(n=Count("id"))
        )
    )
    for user in set(acked) | set(rows) | set(cut_off):
        if not acked[user] <= rows[user] <= acked[user] + cut_off[user]:
            result["problems"].append(
                {"kind": "quiz", "user": user, "acked": acked[user], "rows": rows[user]}
            )
    completed = {s["user"] for s in submissions if s["kind"] == "lesson_complete"}
    duplicate_progress = (
        LessonProgress.objects.filter(user_id__in=completed)
        .values("user_id", "lesson_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    if duplicate_progress:
        result["problems"].append({"kind": "lesson_complete", "duplicates": duplicate_progress})
    paid_twice = (
        PointsAward.objects.values("user_id", "source_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    if paid_twice:
        result["problems"].append({"kind": "ledger", "paid_twice": paid_twice})
    result["submissions"] = {f"{k} {state}": n for (k, state), n in sorted(by_kind.items())}

    # Deltas still pending now would be a fold that never ran (a stranded change): count them.
    result["pending_deltas"] = AggregateDelta.objects.count()
    if result["pending_deltas"]:
        result["problems"].append({"kind": "fold", "pending_deltas": result["pending_deltas"]})
    before = aggregates_snapshot()
    call_command("standings_rebuild")
    after = aggregates_snapshot()
    result["consistency"] = {}
    for name in before:
        differ = len(set(before[name]) ^ set(after[name]))
        result["consistency"][name] = {"rows": len(after[name]), "differ": differ}
        if differ:
            result["problems"].append({"kind": name, "rows_that_differ": differ})
    result["ledger_rows"] = PointsAward.objects.count()
    result["ok"] = not result["problems"]
    out.write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps({k: v for k, v in result.items() if k != "problems"}, indent=2))
    for problem in result["problems"][:20]:
        print("PROBLEM", problem)
    return result["ok"]


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "prepare":
        prepare(int(args[0]), Path(args[1]))
    elif command == "check":
        since = datetime.fromisoformat(args[2]) if len(args) > 2 else None
        sys.exit(0 if check(Path(args[0]), Path(args[1]), since) else 1)
    else:
        sys.exit(f"unknown command {command!r}: use prepare or check")
