"""Analytics reads. Every table is a handful of aggregate queries, whatever the head count."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Membership, Team, User
from challenges.models import Flag, FlagSubmission, Flaw, Review, TestCase
from courses.models import LessonPage, ModuleCompletion, QuizAttempt, SkillModulePage
from courses.selectors import assignment_reports
from home.analytics.stats import krippendorff_alpha
from home.analytics.tables import Table
from leaderboard.kinds import kind_label
from leaderboard.models import PointsAward


@dataclass(frozen=True)
class Filters:
    """What the L&D Manager narrowed the analytics to."""

    team: Team | None = None
    skill: str = ""
    start: date | None = None
    end: date | None = None

    @property
    def start_at(self) -> datetime | None:
        if self.start is None:
            return None
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime | None:
        if self.end is None:
            return None
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def awards(self):
        awards = PointsAward.objects.all()
        if self.team is not None:
            awards = awards.filter(team=self.team)
        if self.skill:
            awards = awards.filter(skill=self.skill)
        if self.start_at:
            awards = awards.filter(created_at__gte=self.start_at)
        if self.end_before:
            awards = awards.filter(created_at__lt=self.end_before)
        return awards


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


def _window(qs, filters: Filters, field: str = "created_at"):
    if filters.start_at:
        qs = qs.filter(**{f"{field}__gte": filters.start_at})
    if filters.end_before:
        qs = qs.filter(**{f"{field}__lt": filters.end_before})
    return qs


def _challenge_records(qs, filters: Filters):
    """A loop-record queryset narrowed by period, the author's team and the challenge's skill."""
    qs = _window(qs, filters)
    if filters.team is not None:
        qs = qs.filter(team=filters.team)
    if filters.skill:
        qs = qs.filter(challenge__skills__slug=filters.skill)
    return qs


def module_completion_by_team(filters: Filters) -> Table:
    """Per team and module: how many current members have completed it."""

    completions = _window(
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

    attempts = _window(QuizAttempt.objects.all(), filters)
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


def flaw_categories_missed(filters: Filters) -> Table:
    """Per flaw category: how often employees' flag submissions missed a known flaw of it."""

    submissions = _challenge_records(FlagSubmission.objects.all(), filters)
    per_challenge = dict(
        submissions.values_list("challenge").annotate(n=Count("id", distinct=True))
    )
    opportunities: dict[str, int] = {}
    names: dict[str, str] = {}
    flaws = Flaw.objects.filter(page__in=per_challenge).values_list(
        "pk", "page", "category__slug", "category__name"
    )
    flaw_category = {}
    for flaw_id, page_id, slug, name in flaws:
        opportunities[slug] = opportunities.get(slug, 0) + per_challenge[page_id]
        names[slug] = name
        flaw_category[flaw_id] = slug
    found: dict[str, int] = {}
    for flaw_id, n in (
        Flag.objects.filter(submission__in=submissions, matched_flaw__isnull=False)
        .values_list("matched_flaw")
        .annotate(n=Count("submission", distinct=True))
    ):
        slug = flaw_category.get(flaw_id)
        if slug:
            found[slug] = found.get(slug, 0) + n
    rows = []
    for slug, total in opportunities.items():
        missed = max(total - found.get(slug, 0), 0)
        rows.append([names[slug], total, missed, round(100 * missed / total, 1) if total else 0.0])
    rows.sort(key=lambda row: -row[3])
    return Table(
        slug="flaws-missed",
        title="Flaw categories most often missed",
        sheet_title="Flaws most often missed",
        columns=["Category", "Chances to spot", "Missed", "Missed %"],
        rows=rows,
        description="Each known flaw in a challenge's answer key, once per flag submission.",
        chart_value=3,
    )


def ai_failures_found(filters: Filters) -> Table:
    """Where test cases found the AI failing: blind spots per challenge and scripted weakness."""

    cases = _challenge_records(TestCase.objects.all(), filters)
    rows = [
        [
            row["challenge__title"],
            row["behaviour__note"] or row["behaviour__probe"] or "Unscripted input",
            row["cases"],
            row["blind"],
        ]
        for row in cases.values("challenge__title", "behaviour__note", "behaviour__probe")
        .annotate(cases=Count("id"), blind=Count("id", filter=Q(status=TestCase.BLIND_SPOT)))
        .order_by("-blind", "-cases")[:50]
    ]
    return Table(
        slug="ai-failures",
        title="AI failures found by test cases",
        sheet_title="AI failures found",
        columns=["Challenge", "Weakness probed", "Test cases", "Blind spots confirmed"],
        rows=rows,
        chart_value=3,
    )


def review_load(filters: Filters) -> Table:
    """Reviews given per reviewer, agreement with consensus, and Krippendorff's alpha overall."""

    reviews = _challenge_records(Review.objects.all(), filters)
    per_reviewer = list(
        reviews.values("reviewer")
        .annotate(
            n=Count("id"),
            agreed=Count("id", filter=Q(agrees=True)),
            judged=Count("id", filter=Q(agrees__isnull=False)),
        )
        .order_by("-n")[:100]
    )

    people = User.objects.in_bulk([r["reviewer"] for r in per_reviewer])
    rows = [
        [
            people[r["reviewer"]].public_name if r["reviewer"] in people else "?",
            r["n"],
            round(100 * r["agreed"] / r["judged"], 1) if r["judged"] else None,
        ]
        for r in per_reviewer
    ]
    units: dict[tuple[int, str], list[float]] = {}
    for values in reviews.values_list(
        "correction", "accuracy", "tone", "completeness", "policy_fit"
    ).iterator(chunk_size=5000):
        for criterion, score in zip(Review.CRITERIA, values[1:], strict=True):
            units.setdefault((values[0], criterion), []).append(score)
    alpha = krippendorff_alpha(units)
    description = (
        f"Krippendorff's alpha (interval) on rubric scores: {alpha:.3f}."
        if alpha is not None
        else "Krippendorff's alpha needs at least two reviews of the same correction."
    )
    return Table(
        slug="review-load",
        title="Review load and reviewer agreement",
        sheet_title="Review load and agreement",
        columns=["Reviewer", "Reviews given", "Agrees with consensus %"],
        rows=rows,
        description=description,
        chart_value=1,
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
