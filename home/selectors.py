"""Reads for the employee dashboard: progress, points, level, rank, skills, mentoring signals.

The home app reads from every other app (DESIGN.md's arrows); nothing here writes. Each block is
one or two aggregate queries, so the dashboard costs the same however long someone has used it.
"""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, Sum

from accounts.models import User
from challenges.models import (
    BlindSpotDiscovery,
    ChallengePage,
    ContextNote,
    Correction,
    EvalResult,
    FlagSubmission,
)
from challenges.selectors import weeks_running
from courses.models import LessonProgress, Skill
from courses.selectors import assignments_for_user, orientation_module
from home.analytics.charts import svg_chart, svg_hbars, svg_lines
from leaderboard import scopes
from leaderboard.kinds import AWARD_KINDS
from leaderboard.models import BadgeAward, Kudos, PointsAward
from leaderboard.selectors import level_progress, standing_rank
from mentoring.selectors import contribution_summary

SIGNAL_HISTORY = 12  # most recent flag submissions plotted

# How the ledger's kinds read to a person (unknown kinds fall back to the reason or the kind).
KIND_LABELS = AWARD_KINDS


@dataclass
class Signals:
    """How well someone's teaching is working, with the series behind the charts."""

    flag_labels: list[str] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    corrections_reviewed: int = 0
    corrections_accepted: int = 0
    corrections_gold: int = 0
    correction_avg_score: float | None = None
    blind_spots: int = 0
    context_approved: int = 0
    context_pending: int = 0
    pass_rates: list[tuple[str, float, int]] = field(default_factory=list)  # (version, rate, n)

    @property
    def flag_rows(self) -> list[tuple[str, int, int]]:
        """(label, precision %, recall %) rows: the text equivalent of the chart."""
        return [
            (label, round(100 * p), round(100 * r))
            for label, p, r in zip(self.flag_labels, self.precision, self.recall, strict=True)
        ]


def mentoring_signals(user: User) -> Signals:
    """Flag precision/recall over time, peer-accepted corrections, blind spots, context, AI pass
    rate on the user's own test cases per provider version."""
    signals = Signals()
    submissions = list(
        FlagSubmission.objects.filter(user=user)
        .order_by("-created_at")
        .values_list("created_at", "precision", "recall")[:SIGNAL_HISTORY]
    )
    for created_at, precision, recall in reversed(submissions):
        signals.flag_labels.append(created_at.strftime("%d %b"))
        signals.precision.append(round(precision, 3))
        signals.recall.append(round(recall, 3))
    corrections = Correction.objects.filter(user=user, review_count__gte=2).aggregate(
        reviewed=Count("id"),
        accepted=Count("id", filter=Q(score__gte=3)),
        gold=Count("id", filter=Q(is_gold=True)),
        avg=Avg("score"),
    )
    signals.corrections_reviewed = corrections["reviewed"]
    signals.corrections_accepted = corrections["accepted"]
    signals.corrections_gold = corrections["gold"]
    signals.correction_avg_score = (
        round(corrections["avg"], 2) if corrections["avg"] is not None else None
    )
    signals.blind_spots = BlindSpotDiscovery.objects.filter(user=user).count()
    notes = ContextNote.objects.filter(user=user).aggregate(
        approved=Count("id", filter=Q(status=ContextNote.APPROVED)),
        pending=Count("id", filter=Q(status=ContextNote.PENDING)),
    )
    signals.context_approved = notes["approved"]
    signals.context_pending = notes["pending"]
    rates = (
        EvalResult.objects.filter(test_case__user=user)
        .exclude(verdict="")
        .values("run__provider", "run__model")
        .annotate(n=Count("id"), passed=Count("id", filter=Q(verdict="pass")))
        .order_by("run__provider", "run__model")
    )
    for row in rates:
        version = row["run__provider"] + (f" · {row['run__model']}" if row["run__model"] else "")
        signals.pass_rates.append((version, row["passed"] / row["n"], row["n"]))
    return signals


def skill_profile(user: User) -> list[dict]:
    """Points per skill over the nine skills (and any L&D added), zero where none yet."""
    points = dict(
        PointsAward.objects.filter(user=user)
        .exclude(skill="")
        .values_list("skill")
        .annotate(total=Sum("amount"))
    )
    return [
        {"name": s.name, "slug": s.slug, "colour": s.colour, "points": points.get(s.slug, 0)}
        for s in Skill.objects.order_by("sort_order", "name")
    ]


def open_challenges(user: User, limit: int = 3) -> list[ChallengePage]:
    """Live challenges the user has not yet submitted flags for, newest first."""
    done = FlagSubmission.objects.filter(user=user).values("challenge_id")
    return list(
        ChallengePage.objects.live().exclude(pk__in=done).order_by("-first_published_at")[:limit]
    )


def running_week_rank(user: User):
    """The running challenge week the user takes part in, and their rank on its board (the
    public one: frozen after the freeze), or (None, None)."""

    team_id = user.current_team.pk if user.current_team else None
    for week in weeks_running():
        team_ids = set(week.teams.values_list("pk", flat=True))
        if team_ids and team_id not in team_ids:
            continue
        standing, rank = standing_rank(scope=f"week-{week.pk}", user=user)
        return week, (rank if standing else None)
    return None, None


def dashboard_context(user: User) -> dict:
    """Everything the signed-in home page shows, with charts ready to render."""
    standing, rank = standing_rank(scope=scopes.ALL, user=user)
    points = standing.points if standing else 0
    month_standing, month_rank = standing_rank(scope=scopes.month_key_now(), user=user)
    week, week_rank = running_week_rank(user)
    skills = skill_profile(user)
    signals = mentoring_signals(user)
    charts = {
        "skills": svg_hbars(
            labels=[s["name"] for s in skills],
            values=[s["points"] for s in skills],
            colours=[s["colour"] for s in skills],
            title="Your points per skill",
            chart_id="chart-skills",
        ),
    }
    if signals.flag_labels:
        charts["flags"] = svg_lines(
            labels=signals.flag_labels,
            series=[("Precision", signals.precision), ("Recall", signals.recall)],
            title="Your flag precision and recall, challenge by challenge",
            chart_id="chart-flags",
            y_max=1.0,
            percent=True,
        )
    if signals.pass_rates:
        charts["pass_rates"] = svg_chart(
            labels=[v for v, _, _ in signals.pass_rates],
            values=[round(100 * r, 1) for _, r, _ in signals.pass_rates],
            title="AI pass rate on your test cases, by model version (%)",
            chart_id="chart-pass-rates",
        )
    recent = list(PointsAward.objects.filter(user=user).order_by("-created_at", "-pk")[:8])
    for award in recent:
        award.label = award.reason or KIND_LABELS.get(award.kind, award.kind)
    return {
        "assignments": assignments_for_user(user),
        "open_challenges": open_challenges(user),
        "points": points,
        "progress": level_progress(points),
        "rank": rank,
        "month_rank": month_rank if month_standing else None,
        "week": week,
        "week_rank": week_rank,
        "badges": list(
            BadgeAward.objects.filter(user=user).select_related("badge", "badge__image")[:12]
        ),
        "skills": skills,
        "signals": signals,
        "guidance": contribution_summary(user),
        "charts": charts,
        "recent": recent,
        **welcome_for(user, earned=bool(recent)),
        "kudos": list(
            Kudos.objects.filter(recipient=user).select_related("giver").order_by("-created_at")[:5]
        ),
    }


def welcome_for(user: User, *, earned: bool) -> dict:
    """A newcomer (no points and no lesson done yet) is welcomed, not welcomed back, and
    pointed at the orientation module."""

    newcomer = not earned and not LessonProgress.objects.filter(user=user).exists()
    return {"newcomer": newcomer, "orientation": orientation_module() if newcomer else None}
