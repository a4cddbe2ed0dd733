"""Reads for learning pages, dashboards and L&D reports.

Each page's context is built here in a fixed, small number of queries (lesson pages assert it),
whatever the number of lessons or attempts.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from accounts.models import Membership, Team, User
from accounts.roles import is_ld
from courses.models import (
    Assignment,
    LessonPage,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
    ReflectionAnswer,
    SkillModulePage,
)


def user_points_total(user) -> int:
    """All points the user holds in the ledger (0 for visitors)."""
    if not user.is_authenticated:
        return 0
    from leaderboard.models import PointsAward

    return PointsAward.objects.filter(user=user).aggregate(total=Sum("amount"))["total"] or 0


def _percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


def module_cards(*, index: Page, user) -> list[dict]:
    """The index's live modules in tree order, each with lesson count and the user's progress."""
    modules = list(
        SkillModulePage.objects.live()
        .child_of(index)
        .select_related("skill", "cover_image")
        .prefetch_related("cover_image__renditions")
        .order_by("path")
    )
    lessons = list(
        LessonPage.objects.live().descendant_of(index).values_list("pk", "path").order_by("path")
    )
    steplen = Page.steplen
    lessons_by_module: dict[str, list[int]] = {}
    for pk, path in lessons:
        lessons_by_module.setdefault(path[:-steplen], []).append(pk)
    done: set[int] = set()
    if user.is_authenticated and lessons:
        done = set(
            LessonProgress.objects.filter(
                user=user, lesson_id__in=[pk for pk, _ in lessons]
            ).values_list("lesson_id", flat=True)
        )
    cards = []
    for module in modules:
        ids = lessons_by_module.get(module.path, [])
        count = sum(1 for pk in ids if pk in done)
        cards.append(
            {
                "module": module,
                "lesson_count": len(ids),
                "done_count": count,
                "percent": _percent(count, len(ids)),
            }
        )
    return cards


def module_page_context(*, module: SkillModulePage, user) -> dict:
    """Lessons in order with the user's progress, where to continue, and their assignment."""
    lessons = list(LessonPage.objects.live().child_of(module).order_by("path"))
    done: set[int] = set()
    completed = None
    assignment = None
    if user.is_authenticated:
        done = set(
            LessonProgress.objects.filter(
                user=user, lesson_id__in=[lesson.pk for lesson in lessons]
            ).values_list("lesson_id", flat=True)
        )
        completed = ModuleCompletion.objects.filter(user=user, module=module).first()
        assignment = next((a for a in assignments_for_user(user) if a.module.pk == module.pk), None)
    rows = [{"lesson": lesson, "done": lesson.pk in done} for lesson in lessons]
    next_lesson = next((row["lesson"] for row in rows if not row["done"]), None)
    return {
        "lessons": rows,
        "done_count": len(done),
        "percent": _percent(len(done), len(lessons)),
        "continue_lesson": next_lesson,
        "started": bool(done),
        "completion": completed,
        "assignment": assignment,
        "points_total": user_points_total(user),
    }


# Blocks whose rendering shows the viewer's own state (answers, attempts, drafts): rendered on
# every request. Every other block renders the same for everyone and is cached (lesson_shared).
PERSONAL_BLOCKS = frozenset({"quiz", "reflection"})


def lesson_shared(lesson: LessonPage, request=None) -> dict:
    """What a lesson shows everyone alike: its module (title and URL), the module's live lessons
    (pk, title, URL), whether it has a quiz or a reflection, and the body as parts
    (``{"html": ...}`` for a block rendered once for everyone, ``{"index": i}`` for a personal
    block the page renders per request).

    Cached under the page-tree version (``home.page_cache.page_shared``: read with the page's
    route, in the same round trip), which every page save, publish, unpublish, move or delete
    replaces (at once and after the commit), so a new revision shows at once; nothing of any
    person goes in."""
    from home.page_cache import page_shared

    return page_shared(request, lesson, lambda: _lesson_shared(lesson, request))


def _lesson_shared(lesson: LessonPage, request=None) -> dict:
    from django.utils.html import format_html

    module = (
        SkillModulePage.objects.select_related("skill")
        .filter(path=lesson.path[: -Page.steplen])
        .first()
    )
    siblings = []
    if module is not None:
        siblings = [
            {"pk": s.pk, "title": s.title, "url": s.get_url(request)}
            for s in LessonPage.objects.live()
            .child_of(module)
            .order_by("path")
            .only("pk", "title", "url_path", "path", "depth")
        ]
    parts = []
    for index, block in enumerate(lesson.body):
        if block.block_type in PERSONAL_BLOCKS:
            parts.append({"index": index, "block_type": block.block_type})
        else:
            html = block.render_as_block(context={"page": lesson, "block_id": block.id})
            parts.append(
                {
                    "html": format_html(
                        '<div class="lesson-block lesson-block--{}">{}</div>',
                        block.block_type,
                        html,
                    )
                }
            )
    return {
        "pk": lesson.pk,
        "module": module
        and {"pk": module.pk, "title": module.title, "url": module.get_url(request)},
        "siblings": siblings,
        "has_quiz": any(p.get("block_type") == "quiz" for p in parts),
        "has_reflection": any(p.get("block_type") == "reflection" for p in parts),
        "parts": parts,
    }


def _lesson_progress(*, lesson: LessonPage, user, ids: list[int]) -> tuple[int, bool, int]:
    """(points the user holds, whether they completed ``lesson``, how many of the lessons
    ``ids`` they completed): one statement of three indexed subqueries, written out because
    building it with the ORM cost more than running it."""
    from django.db import connection

    from leaderboard.models import PointsAward

    quote = connection.ops.quote_name
    awards = quote(PointsAward._meta.db_table)
    progress = quote(LessonProgress._meta.db_table)
    listed = ", ".join(["%s"] * len(ids)) or "NULL"
    sql = (
        f"SELECT (SELECT COALESCE(SUM(amount), 0) FROM {awards} WHERE user_id = %s),"  # noqa: S608 - table names from the models
        f" EXISTS (SELECT 1 FROM {progress} WHERE user_id = %s AND lesson_id = %s),"
        f" (SELECT COUNT(*) FROM {progress} WHERE user_id = %s AND lesson_id IN ({listed}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, lesson.pk, user.pk, *ids])
        points, done_here, done_in_module = cursor.fetchone()
    return int(points), bool(done_here), int(done_in_module)


def lesson_page_context(*, lesson: LessonPage, user, request=None) -> dict:
    """Module, previous/next, progress, quiz state, the user's reflections and their points.

    One query for a signed-in viewer (points and progress together), one more for a lesson with
    a quiz (their attempts), one more with a reflection (their answers)."""
    shared = lesson_shared(lesson, request)
    module, siblings = shared["module"], shared["siblings"]
    body = [
        part if "html" in part else {"block": lesson.body[part["index"]]}
        for part in shared["parts"]
    ]
    ids = [s["pk"] for s in siblings]
    position = ids.index(lesson.pk) if lesson.pk in ids else None
    points, is_complete, done_in_module = 0, False, 0
    attempts: list[QuizAttempt] = []
    reflections: dict[str, ReflectionAnswer] = {}
    if user.is_authenticated:
        points, is_complete, done_in_module = _lesson_progress(lesson=lesson, user=user, ids=ids)
        if shared["has_quiz"]:
            attempts = list(QuizAttempt.objects.filter(user=user, lesson=lesson))
        if shared["has_reflection"]:
            reflections = {
                r.block_id: r for r in ReflectionAnswer.objects.filter(user=user, lesson=lesson)
            }
    quiz_state: dict[str, dict] = {}
    for attempt in attempts:  # newest first
        state = quiz_state.setdefault(attempt.block_id, {"attempt": attempt, "best": attempt})
        if attempt.score_percent > state["best"].score_percent:
            state["best"] = attempt
    reflection_counts = {}
    if shared["has_reflection"] and is_ld(user):
        # L&D sees how many wrote a reflection, never what they wrote.
        reflection_counts = {block.id: 0 for block in lesson.reflection_blocks()}
        reflection_counts.update(
            ReflectionAnswer.objects.filter(lesson=lesson)
            .values_list("block_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    return {
        "module": module,
        "previous_lesson": siblings[position - 1] if position else None,
        "next_lesson": siblings[position + 1]
        if position is not None and position + 1 < len(siblings)
        else None,
        "lesson_number": position + 1 if position is not None else None,
        "lesson_total": len(siblings),
        "is_complete": is_complete,
        "module_percent": _percent(done_in_module, len(ids)),
        "has_quiz": shared["has_quiz"],
        "body": body,
        "quiz_state": quiz_state,
        "reflections": reflections,
        "reflection_counts": reflection_counts,
        "points_total": points,
    }


@dataclass
class AssignedModule:
    """A module assigned to the user (directly or through their team) and how far they are."""

    module: SkillModulePage
    due_date: datetime.date
    via_team: Team | None
    done_count: int
    lesson_count: int
    completed: bool

    @property
    def percent(self) -> int:
        return 100 if self.completed else _percent(self.done_count, self.lesson_count)

    @property
    def is_overdue(self) -> bool:
        return not self.completed and self.due_date < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.due_date - timezone.localdate()).days


def assignments_for_user(user: User) -> list[AssignedModule]:
    """Live modules assigned to ``user`` or their current team, soonest due first.

    When a module is assigned both ways, the earlier due date wins. Used by the home dashboard.
    """
    if not user.is_authenticated:
        return []
    # The current team through the membership join, not ``user.current_team`` (a query less).
    target = Q(user=user) | Q(team__memberships__user=user, team__memberships__ended_at=None)
    assignments = (
        Assignment.objects.filter(target, module__live=True)
        .distinct()
        .select_related("module", "module__skill", "team")
        .order_by("due_date", "pk")
    )
    by_module: dict[int, Assignment] = {}
    for assignment in assignments:
        by_module.setdefault(assignment.module_id, assignment)
    if not by_module:
        return []
    modules = {a.module_id: a.module for a in by_module.values()}
    lessons = list(
        LessonPage.objects.live().filter(_children_q(modules.values())).values_list("pk", "path")
    )
    steplen = Page.steplen
    path_to_module = {m.path: m.pk for m in modules.values()}
    lesson_module = {pk: path_to_module.get(path[:-steplen]) for pk, path in lessons}
    done_lessons = set(
        LessonProgress.objects.filter(user=user, lesson_id__in=lesson_module).values_list(
            "lesson_id", flat=True
        )
    )
    completed = set(
        ModuleCompletion.objects.filter(user=user, module_id__in=modules).values_list(
            "module_id", flat=True
        )
    )
    result = []
    for module_id, assignment in by_module.items():
        ids = [pk for pk, mid in lesson_module.items() if mid == module_id]
        result.append(
            AssignedModule(
                module=assignment.module,
                due_date=assignment.due_date,
                via_team=assignment.team,
                done_count=sum(1 for pk in ids if pk in done_lessons),
                lesson_count=len(ids),
                completed=module_id in completed,
            )
        )
    return result


def _children_q(modules) -> Q:
    query = Q(pk__in=[])
    for module in modules:
        query |= Q(path__startswith=module.path, depth=module.depth + 1)
    return query


@dataclass
class AssignmentReport:
    """For L&D Managers: who an assignment is for, and how many of them have completed it."""

    assignment: Assignment
    people: int
    completed: int

    @property
    def percent(self) -> int:
        return _percent(self.completed, self.people)

    @property
    def is_overdue(self) -> bool:
        return self.completed < self.people and self.assignment.due_date < timezone.localdate()


def assignment_reports() -> list[AssignmentReport]:
    """Completion of every assignment, per team (current members) or per person."""
    assignments = list(
        Assignment.objects.select_related("module", "team", "user").order_by("due_date", "pk")
    )
    team_ids = {a.team_id for a in assignments if a.team_id}
    members: dict[int, set[int]] = {}
    for team_id, user_id in Membership.objects.filter(
        team_id__in=team_ids, ended_at__isnull=True, user__is_active=True
    ).values_list("team_id", "user_id"):
        members.setdefault(team_id, set()).add(user_id)
    completions = set(
        ModuleCompletion.objects.filter(
            module_id__in={a.module_id for a in assignments}
        ).values_list("module_id", "user_id")
    )
    reports = []
    for assignment in assignments:
        people = (
            members.get(assignment.team_id, set()) if assignment.team_id else {assignment.user_id}
        )
        done = sum(1 for user_id in people if (assignment.module_id, user_id) in completions)
        reports.append(AssignmentReport(assignment=assignment, people=len(people), completed=done))
    return reports


def _assignees(assignment: Assignment):
    """Active people an assignment is for: its person, or its team's current members."""
    if assignment.user_id:
        return User.objects.filter(pk=assignment.user_id, is_active=True)
    members = Membership.objects.filter(team_id=assignment.team_id, ended_at__isnull=True)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True)


def overdue_people(*, assignment: Assignment) -> list[User]:
    """Who has not completed ``assignment``'s module after its due date (empty until then)."""
    if assignment.due_date >= timezone.localdate():
        return []
    done = ModuleCompletion.objects.filter(module_id=assignment.module_id).values("user_id")
    return list(
        _assignees(assignment).exclude(pk__in=done).order_by("last_name", "first_name", "pk")
    )


def learning_search(query: str):
    """Live modules and lessons matching ``query`` (Wagtail search), best first.

    Only the words are searched: quotes and operators would be read as full-text syntax, and an
    unbalanced quote is an error in SQLite's full-text search.
    """
    pages = Page.objects.live().type(SkillModulePage, LessonPage).specific()
    words = re.findall(r"\w+", query)
    if not words:
        return pages.none()
    return pages.search(" ".join(words[:20]))


def orientation_module() -> SkillModulePage | None:
    """The live module about the platform itself (no skill), where a newcomer starts."""
    return SkillModulePage.objects.live().filter(skill__isnull=True).order_by("path").first()


@dataclass
class ModuleInProgress:
    """A module the user started on their own (not assigned) and has not finished."""

    module: SkillModulePage
    done_count: int
    lesson_count: int

    @property
    def percent(self) -> int:
        return _percent(self.done_count, self.lesson_count)


def learning_overview(user: User, *, assigned: list[AssignedModule]) -> dict:
    """What "My learning" shows beside assignments: certificates earned, and unassigned modules
    in progress. Four queries whatever the number of modules."""
    completions = list(
        ModuleCompletion.objects.filter(user=user, module__live=True)
        .select_related("module")
        .order_by("-completed_at")
    )
    finished = {c.module_id for c in completions}
    skip = finished | {a.module.pk for a in assigned}
    steplen = Page.steplen
    done_paths = list(
        LessonProgress.objects.filter(user=user, lesson__live=True).values_list(
            "lesson__path", flat=True
        )
    )
    started = {path[:-steplen] for path in done_paths}
    modules = [
        m
        for m in SkillModulePage.objects.live().filter(path__in=started).order_by("title")
        if m.pk not in skip
    ]
    in_progress = []
    if modules:
        lessons = LessonPage.objects.live().filter(_children_q(modules)).values_list("path")
        totals: dict[str, int] = {}
        for (path,) in lessons:
            totals[path[:-steplen]] = totals.get(path[:-steplen], 0) + 1
        done: dict[str, int] = {}
        for path in done_paths:
            done[path[:-steplen]] = done.get(path[:-steplen], 0) + 1
        in_progress = [
            ModuleInProgress(
                module=m, done_count=done.get(m.path, 0), lesson_count=totals.get(m.path, 0)
            )
            for m in modules
        ]
    return {"certificates": completions, "in_progress": in_progress}
