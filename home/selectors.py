"""Reads for the employee dashboard: progress, points, level, rank, skills, mentoring signals.

The home app reads from every other app (DESIGN.md's arrows); nothing here writes. Each block is
one or two aggregate queries, so the dashboard costs the same however long someone has used it.
"""

from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.cache import cache
from django.db.models import Avg, Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from accounts.models import User
from challenges.models import (
    BlindSpotDiscovery,
    ChallengePage,
    ChallengeWeek,
    ContextNote,
    Correction,
    EvalResult,
    FlagSubmission,
)
from courses.models import LessonProgress, Skill
from courses.selectors import assignments_for_user, orientation_module
from home.analytics.charts import svg_chart, svg_hbars, svg_lines
from leaderboard import scopes
from leaderboard.kinds import AWARD_KINDS
from leaderboard.models import BadgeAward, Kudos, PointsAward
from leaderboard.ranks import SKILL_PREFIX
from leaderboard.selectors import level_progress, standing_rank
from mentoring.selectors import contribution_summary

SIGNAL_HISTORY = 12  # most recent flag submissions plotted
SKILLS_CACHE_KEY = "home:skills"

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


def _per_user(qs):
    """COUNT of ``qs`` (filtered on ``OuterRef("pk")``) as an aggregate over one user row."""
    return Max(Coalesce(Subquery(qs.values("user").annotate(n=Count("*")).values("n")), 0))


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
    # Corrections, blind spots and context notes counted in one query (one subquery each).
    reviewed = Correction.objects.filter(user=OuterRef("pk"), review_count__gte=2)
    notes = ContextNote.objects.filter(user=OuterRef("pk"))
    counts = User.objects.filter(pk=user.pk).aggregate(
        reviewed=_per_user(reviewed),
        accepted=_per_user(reviewed.filter(score__gte=3)),
        gold=_per_user(reviewed.filter(is_gold=True)),
        avg=Max(Subquery(reviewed.values("user").annotate(a=Avg("score")).values("a"))),
        blind_spots=_per_user(BlindSpotDiscovery.objects.filter(user=OuterRef("pk"))),
        approved=_per_user(notes.filter(status=ContextNote.APPROVED)),
        pending=_per_user(notes.filter(status=ContextNote.PENDING)),
    )
    signals.corrections_reviewed = counts["reviewed"] or 0
    signals.corrections_accepted = counts["accepted"] or 0
    signals.corrections_gold = counts["gold"] or 0
    signals.correction_avg_score = round(counts["avg"], 2) if counts["avg"] is not None else None
    signals.blind_spots = counts["blind_spots"] or 0
    signals.context_approved = counts["approved"] or 0
    signals.context_pending = counts["pending"] or 0
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


def skill_profile(
    user: User, points: dict[str, int] | None = None, found: dict | None = None
) -> list[dict]:
    """Points per skill over the nine skills (and any L&D added), zero where none yet.

    ``points`` ({slug: points}) when the caller read the skill standings already; ``found``
    when it read the cache (the skills are under ``SKILLS_CACHE_KEY``).
    """
    if points is None:
        points = dict(
            PointsAward.objects.filter(user=user)
            .exclude(skill="")
            .values_list("skill")
            .annotate(total=Sum("amount"))
        )
    skills = found.get(SKILLS_CACHE_KEY) if found is not None else cache.get(SKILLS_CACHE_KEY)
    if skills is None:
        skills = list(Skill.objects.order_by("sort_order", "name").values("name", "slug", "colour"))
        cache.set(SKILLS_CACHE_KEY, skills, 60)  # a skill L&D adds shows within a minute
    return [s | {"points": points.get(s["slug"], 0)} for s in skills]


def open_challenges(user: User, limit: int = 3) -> list[ChallengePage]:
    """Live challenges the user has not yet submitted flags for, newest first."""
    done = FlagSubmission.objects.filter(user=user).values("challenge_id")
    return list(
        ChallengePage.objects.live().exclude(pk__in=done).order_by("-first_published_at")[:limit]
    )


def running_week_rank(user: User):
    """The running challenge week the user takes part in, and their rank on its board (the
    public one: frozen after the freeze), or (None, None)."""

    week = week_taking_part(user)
    if week is None:
        return None, None
    standing, rank = standing_rank(scope=f"week-{week.pk}", user=user)
    return week, (rank if standing else None)


def week_taking_part(user: User):
    """The running challenge week (soonest ending) open to every team or to the user's current
    team, or None: one query (``weeks_running`` and the teams of each, in one)."""
    now = timezone.now()
    member = {"teams__memberships__user": user, "teams__memberships__ended_at": None}
    return (
        ChallengeWeek.objects.filter(starts_at__lte=now, ends_at__gt=now)
        .filter(Q(teams__isnull=True) | Q(**member))
        .order_by("ends_at", "pk")
        .first()
    )


# The dashboard's panels that are slow to read (a dozen aggregates over challenges, mentoring
# and assignments) are kept per person. Their key carries the person's version (replaced by
# every notification written or read and by changes to their user row or roles: badges, kudos,
# reviews and assignments notify), their newest ledger row (every award and revocation is a new
# row: points, skills, signals that score) and the page-tree version (challenges published or
# withdrawn). What changes without any of those (a week starting, a rule in a guidance pack)
# shows within DASHBOARD_TTL. Ranks move when anyone scores, so standings are read every time.
DASHBOARD_TTL = 60


def dashboard_context(user: User, *, request=None) -> dict:
    """Everything the signed-in home page shows, with charts ready to render. With the
    ``request`` that ``user`` is the viewer of (the page), the cached panels are their rendered
    HTML (``html``), read with the skills, the levels and the spotlight in one round trip under
    the person version their request started with; without (the API), the panels' data."""
    from accounts.person_cache import person_cached, person_key, person_version
    from home.page_cache import pages_version
    from leaderboard.selectors.ranks import standings_and_recent
    from leaderboard.selectors.recognition import LEVELS_CACHE_KEY, level_progress_in
    from leaderboard.spotlight import spotlight_key

    # Every figure from the standings (all time, this month, the running weeks, skills) and the
    # newest ledger rows in one statement: ranks move when anyone scores, so read every time.
    month = scopes.month_key_now()
    standings, rows = standings_and_recent(
        user_id=user.pk, scopes=[scopes.ALL, month], prefixes=[SKILL_PREFIX], running_weeks=True
    )
    recent = [_Award(*row) for row in rows]
    newest = max((award.pk for award in recent), default=0)
    earned = bool(recent)
    found = None  # the page's cache entries, read in one round trip
    if request is not None and request.user.pk == user.pk:
        version = getattr(request, "person_version", None)
        if version is None or getattr(request, "person_version_pk", None) != user.pk:
            version = person_version(user.pk)
        key = person_key(user.pk, f"dashboard-page:{newest}:{pages_version()}", version)
        found = cache.get_many([key, SKILLS_CACHE_KEY, LEVELS_CACHE_KEY, spotlight_key()])
        panels = found.get(key)
        if panels is None:
            panels = _dashboard_page_panels(user, earned=earned)
            cache.set(key, panels, DASHBOARD_TTL)
    else:
        name = f"dashboard:{newest}:{pages_version()}"
        panels_of = lambda: _dashboard_panels(user, earned=earned)  # noqa: E731
        panels = person_cached(user.pk, name, panels_of, timeout=DASHBOARD_TTL)
    week = panels["week"]
    if week is not None and week.ends_at <= timezone.now():
        week = None  # ended since it was cached
    week_scope = f"week-{week.pk}" if week else None
    points, rank = standings.get(scopes.ALL, (0, None))
    month_rank = standings.get(month, (0, None))[1]
    week_rank = standings.get(week_scope, (0, None))[1]
    skills = skill_profile(
        user,
        points={
            scope.removeprefix(SKILL_PREFIX): value[0]
            for scope, value in standings.items()
            if scope.startswith(SKILL_PREFIX)
        },
        found=found,
    )
    skills_html = skills_section(skills)
    charts = {"skills": skills_html.chart, **panels.get("charts", {})}
    extra = {}
    levels = None
    if found is not None:
        mentors = found.get(spotlight_key())
        extra["mentors"] = mentors[:3] if isinstance(mentors, list) else None
        levels = found.get(LEVELS_CACHE_KEY)
    return {
        **panels,
        **extra,
        "points": points,
        "progress": level_progress(points) if levels is None else level_progress_in(points, levels),
        "rank": rank,
        "month_rank": month_rank,
        "week": week,
        "week_rank": week_rank,
        "skills": skills,
        "charts": charts,
        "skills_html": skills_html,
        "recent": recent,
        "recent_html": recent_items(recent),
    }


@dataclass(slots=True)
class _Award:
    """A ledger row as the recent-activity list shows it."""

    pk: int
    amount: int
    kind: str
    reason: str
    created_at: object

    @property
    def label(self) -> str:
        return self.reason or KIND_LABELS.get(self.kind, self.kind)


# The skills chart and its table drawn once per process per distinct (skills, points): people's
# points repeat from one visit to the next, and drawing them cost more than the figures.
_SKILLS_SECTIONS: dict[tuple, "SkillsSection"] = {}
_SKILLS_SECTIONS_MAX = 2048


class SkillsSection(SafeString):
    """The skill profile's chart and its table as markup, with the chart alone as ``chart``."""

    chart: SafeString


def skills_section(skills: list[dict]) -> SkillsSection:
    """The dashboard's points-per-skill bars and table for ``skill_profile``'s rows."""
    key = tuple((s["name"], s["colour"], s["points"]) for s in skills)
    section = _SKILLS_SECTIONS.get(key)
    if section is None:
        chart = svg_hbars(
            labels=[s["name"] for s in skills],
            values=[s["points"] for s in skills],
            colours=[s["colour"] for s in skills],
            title="Your points per skill",
            chart_id="chart-skills",
        )
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((s["name"], s["points"]) for s in skills)
        )
        section = SkillsSection(
            format_html(
                "{}\n    <details><summary>Skill points as a table</summary>\n"
                '      <table><thead><tr><th scope="col">Skill</th>'
                '<th scope="col">Points</th></tr></thead>\n'
                "      <tbody>{}</tbody></table>\n    </details>",
                chart,
                rows,
            )
        )
        section.chart = chart
        if len(_SKILLS_SECTIONS) >= _SKILLS_SECTIONS_MAX:
            _SKILLS_SECTIONS.clear()
        _SKILLS_SECTIONS[key] = section
    return section


def recent_items(recent: list[_Award]) -> SafeString:
    """The recent-activity list's items (labels escaped; times as ``naturaltime`` says)."""
    return format_html_join(
        "",
        '<li><strong>{}</strong> {} <span class="muted">{}</span></li>',
        ((f"{a.amount:+d}", a.label, naturaltime(a.created_at)) for a in recent),
    )


# The page's panels as rendered HTML: what the cached value holds is small and renders as is.
PAGE_FRAGMENTS = ("badges", "assigned", "challenges", "signals", "kudos")


def _dashboard_page_panels(user: User, *, earned: bool) -> dict:
    """The dashboard page's slow panels, rendered (cached per person by ``dashboard_context``):
    nothing in them belongs to the request (no form, no token)."""
    from django.template.loader import render_to_string

    data = _dashboard_panels(user, earned=earned)
    html = {
        name: render_to_string(f"home/includes/dashboard_{name}.html", {"dashboard": data})
        for name in PAGE_FRAGMENTS
    }
    orientation = data["orientation"]
    return {
        "html": html,
        "week": data["week"],
        "newcomer": data["newcomer"],
        "orientation": orientation
        and {
            "url": orientation.url,
            "title": orientation.title,
            "estimated_minutes": orientation.estimated_minutes,
        },
    }


def _dashboard_panels(user: User, *, earned: bool) -> dict:
    """The dashboard's slow panels for ``dashboard_context`` (cached there, per person)."""
    signals = mentoring_signals(user)
    charts = {}
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
    return {
        "week": week_taking_part(user),
        "assignments": assignments_for_user(user),
        "open_challenges": open_challenges(user),
        "badges": list(
            BadgeAward.objects.filter(user=user).select_related("badge", "badge__image")[:12]
        ),
        "signals": signals,
        "guidance": contribution_summary(user),
        "charts": charts,
        **welcome_for(user, earned=earned),
        "kudos": list(
            Kudos.objects.filter(recipient=user).select_related("giver").order_by("-created_at")[:5]
        ),
    }


def welcome_for(user: User, *, earned: bool) -> dict:
    """A newcomer (no points and no lesson done yet) is welcomed, not welcomed back, and
    pointed at the orientation module."""

    newcomer = not earned and not LessonProgress.objects.filter(user=user).exists()
    return {"newcomer": newcomer, "orientation": orientation_module() if newcomer else None}
