"""Analytics reads: participation, points and learning tables, and the list of tables the
analytics page shows (the challenge-loop tables are in ``loop``). Every table is a handful of
aggregate queries, whatever the head count.
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek

from accounts.models import Membership, Team
from courses.models import LessonPage, ModuleCompletion, QuizAttempt, SkillModulePage
from courses.selectors import assignment_reports
from home.analytics.filters import Filters, window
from home.analytics.loop import ai_failures_found, flaw_categories_missed, review_load
from home.analytics.tables import Table
from leaderboard.kinds import kind_label


def participation_by_team(filters: Filters) -> Table:
    """Per team: current members, members active in the period, participation rate, points."""
    teams = Team.objects.filter(is_active=True).order_by("name")
    if filters.team is not None:
        teams = teams.filter(pk=filters.team.pk)
    members = dict(
        Membership.objects.filter(ended_at__isnull=True)
        .values_list("team")
        .annotate(n=Count("user", distinct=True))
    )
    activity = {
        row["team"]: row
        for row in filters.awards()
        .filter(team__isnull=False)
        .values("team")
        .annotate(active=Count("user", distinct=True), points=Sum("amount"))
    }
    rows = []
    for team in teams:
        n = members.get(team.pk, 0)
        active = activity.get(team.pk, {}).get("active", 0)
        points = activity.get(team.pk, {}).get("points", 0) or 0
        rate = round(100 * active / n, 1) if n else 0.0
        rows.append([team.name, team.department, n, active, rate, points])
    return Table(
        slug="participation-team",
        title="Participation by team",
        columns=["Team", "Department", "Members", "Active members", "Participation %", "Points"],
        rows=rows,
        description="Members active in the period earned at least one award there.",
        chart_label=0,
        chart_value=4,
    )


def participation_by_week(filters: Filters) -> Table:
    """Per ISO week: people active, awards and points earned."""
    rows = [
        [row["week"].date(), row["active"], row["awards"], row["points"] or 0]
        for row in filters.awards()
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(active=Count("user", distinct=True), awards=Count("id"), points=Sum("amount"))
        .order_by("week")
    ]
    return Table(
        slug="participation-week",
        title="Participation by week",
        columns=["Week starting", "Active people", "Awards", "Points"],
        rows=rows,
        chart_label=0,
        chart_value=1,
        chart_kind="line",
    )


def points_by_kind(filters: Filters) -> Table:
    """What people earn points for: a view of which parts of the programme are used."""
    rows = [
        [kind_label(row["kind"]), row["awards"], row["people"], row["points"] or 0]
        for row in filters.awards()
        .values("kind")
        .annotate(
            awards=Count("id"),
            people=Count("user", distinct=True),
            points=Sum("amount", filter=Q(amount__gt=0)),
        )
        .order_by("-points")
    ]
    return Table(
        slug="points-kind",
        title="Activity by kind",
        columns=["Kind", "Awards", "People", "Points"],
        rows=rows,
        chart_label=0,
        chart_value=3,
    )


def module_completion_by_team(filters: Filters) -> Table:
    """Per team and module: how many current members have completed it."""

    completions = window(
        ModuleCompletion.objects.filter(user__memberships__ended_at__isnull=True),
        filters,
        "completed_at",
    )
    if filters.team is not None:
        completions = completions.filter(user__memberships__team=filters.team)
    if filters.skill:
        completions = completions.filter(module__skill__slug=filters.skill)
    rows = list(
        completions.values("user__memberships__team", "module")
        .annotate(done=Count("user", distinct=True))
        .order_by("-done")[:200]
    )
    teams = Team.objects.in_bulk({r["user__memberships__team"] for r in rows})
    modules = dict(
        SkillModulePage.objects.filter(pk__in={r["module"] for r in rows}).values_list(
            "pk", "title"
        )
    )
    members = dict(
        Membership.objects.filter(ended_at__isnull=True, team__in=teams)
        .values_list("team")
        .annotate(n=Count("user", distinct=True))
    )
    table_rows = []
    for r in rows:
        team_id = r["user__memberships__team"]
        n = members.get(team_id, 0)
        table_rows.append(
            [
                teams[team_id].name,
                modules.get(r["module"], "?"),
                n,
                r["done"],
                round(100 * r["done"] / n, 1) if n else 0.0,
            ]
        )
    table_rows.sort(key=lambda row: (row[0], row[1]))
    return Table(
        slug="module-completion",
        title="Module completion by team",
        columns=["Team", "Module", "Members", "Completed", "Completed %"],
        rows=table_rows,
    )


def assignment_status(filters: Filters) -> Table:
    """Every assignment's completion (team assignments count current members)."""

    rows = []
    for report in assignment_reports():
        assignment = report.assignment
        if filters.team is not None and assignment.team_id != filters.team.pk:
            continue
        if filters.skill and getattr(assignment.module.skill, "slug", "") != filters.skill:
            continue
        target = assignment.team.name if assignment.team_id else assignment.user.public_name
        status = "overdue" if report.is_overdue else ("done" if report.percent == 100 else "open")
        rows.append(
            [
                target,
                assignment.module.title,
                assignment.due_date,
                report.people,
                report.completed,
                report.percent,
                status,
            ]
        )
    return Table(
        slug="assignments",
        title="Assignment status",
        columns=["Assigned to", "Module", "Due", "People", "Completed", "Completed %", "Status"],
        rows=rows,
        chart_value=None,
    )


MAX_QUESTIONS = 12


def quiz_questions_failed(filters: Filters) -> Table:
    """Quiz questions answered wrongly most often (per attempt), with the question text."""

    attempts = window(QuizAttempt.objects.all(), filters)
    if filters.team is not None:
        attempts = attempts.filter(
            user__memberships__team=filters.team, user__memberships__ended_at__isnull=True
        )
    # Per-question results live in a JSON object keyed "0", "1", …; numeric keys cannot be
    # queried portably (Django reads them as array indexes), so they are tallied while
    # streaming one narrow column set.
    tally: dict[tuple[int, str], dict] = {}
    for lesson_id, block_id, results in attempts.values_list(
        "lesson", "block_id", "results"
    ).iterator(chunk_size=5000):
        group = tally.setdefault((lesson_id, block_id), {"attempts": 0, "wrong": {}})
        group["attempts"] += 1
        for key, right in (results or {}).items():
            if not right:
                group["wrong"][key] = group["wrong"].get(key, 0) + 1
    grouped = [
        {"lesson": lesson_id, "block_id": block_id, **group}
        for (lesson_id, block_id), group in tally.items()
    ]
    lessons = LessonPage.objects.in_bulk({g["lesson"] for g in grouped})
    rows = []
    for group in grouped:
        lesson = lessons.get(group["lesson"])
        if lesson is None:
            continue
        module = lesson.get_parent().specific
        if filters.skill and getattr(getattr(module, "skill", None), "slug", "") != filters.skill:
            continue
        block = next((b for b in lesson.quiz_blocks() if b.id == group["block_id"]), None)
        questions = list(block.value["questions"]) if block else []
        for i, question in enumerate(questions[:MAX_QUESTIONS]):
            wrong = group["wrong"].get(str(i), 0)
            if wrong:
                rows.append(
                    [
                        lesson.title,
                        question["question"],
                        group["attempts"],
                        wrong,
                        round(100 * wrong / group["attempts"], 1),
                    ]
                )
    rows.sort(key=lambda row: (-row[4], -row[3]))
    return Table(
        slug="quiz-failed",
        title="Quiz questions most often failed",
        sheet_title="Quiz questions failed",
        columns=["Lesson", "Question", "Attempts", "Wrong", "Wrong %"],
        rows=rows[:30],
        chart_label=1,
        chart_value=4,
    )


# The tables on the analytics page, in order.
TABLES = [
    participation_by_team,
    participation_by_week,
    points_by_kind,
    module_completion_by_team,
    assignment_status,
    quiz_questions_failed,
    flaw_categories_missed,
    ai_failures_found,
    review_load,
]


def analytics_tables(filters: Filters) -> list[Table]:
    return [build(filters) for build in TABLES]
