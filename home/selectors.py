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
from django.utils.safestring import SafeString, mark_safe

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
# and assignments) are kept per person, with what they were drawn under: the person's version
# (replaced by every notification written or read and by changes to their user row or roles:
# badges, kudos, reviews and assignments notify), their newest ledger row (every award and
# revocation is a new row: points, skills, signals that score) and the page-tree version
# (challenges published or withdrawn). What changes without any of those (a week starting, a
# rule in a guidance pack) shows within DASHBOARD_TTL. Ranks move when anyone scores: the page
# keeps them per person under the standings' generation, which every fold replaces
# (``_ranked``).
DASHBOARD_TTL = 60


def dashboard_context(user: User, *, request=None) -> dict:
    """Everything the signed-in home page shows, with charts ready to render. With the
    ``request`` that ``user`` is the viewer of (the page), the cached panels are their rendered
    HTML (``html``), read with the skills, the levels and the spotlight in one round trip under
    the person version their request started with; without (the API), the panels' data."""
    from accounts.person_cache import person_cached, person_version, prefetched_many
    from home.page_cache import pages_version
    from leaderboard.selectors.ranks import standings_and_recent
    from leaderboard.selectors.recognition import LEVELS_CACHE_KEY, level_progress_in

    month = scopes.month_key_now()
    boards = {"scopes": [scopes.ALL, month], "prefixes": [SKILL_PREFIX], "running_weeks": True}
    page = request is not None and request.user.pk == user.pk
    found = None  # the page's cache entries, read in one round trip
    if page:
        # Read with the viewer's user when the page asked for them beforehand
        # (``HomePage.prefetch_keys``), else in one round trip of its own: before the database,
        # so the ledger token in them is no newer than what is read below (``_own_and_recent``).
        keys = dashboard_keys(user.pk)
        key, spotlight = keys[0], keys[3]
        found = prefetched_many(request, keys)
        # The person's own standings (all time, this month, the running weeks, skills) and
        # newest ledger rows: kept under their ledger token, else one statement of index reads;
        # their ranks come from the cache (``_ranked``), counted again only after the standings'
        # generation or their own row changed.
        own, rows = _own_and_recent(user.pk, found, boards)
    else:
        # Every figure with its rank in one statement.
        standings, rows = standings_and_recent(user_id=user.pk, **boards)
    recent = [_Award(*row) for row in rows]
    newest = max((award.pk for award in recent), default=0)
    earned = bool(recent)
    if page:
        version = getattr(request, "person_version", None)
        if version is None or getattr(request, "person_version_pk", None) != user.pk:
            version = person_version(user.pk)
        standings = _ranked(user.pk, own, found)
        # The panels are kept with what they were drawn under: the person's version, their
        # newest ledger row and the page-tree version.
        drawn_under = (version, newest, pages_version())
        entry = found.get(key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == drawn_under:
            panels = entry[1]
        else:
            panels = _dashboard_page_panels(user, earned=earned)
            cache.set(key, (drawn_under, panels), DASHBOARD_TTL)
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
        mentors = found.get(spotlight)
        extra["mentors"] = mentors[:3] if isinstance(mentors, list) else None
        levels = found.get(LEVELS_CACHE_KEY)
    context = {
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
    if found is not None:  # the page: its panels and the spotlight as markup
        context["body"] = dashboard_body(context)
        if context.get("mentors") is not None:
            context["mentors_html"] = top_mentors_html(context["mentors"])
    return context


def panels_key(pk) -> str:
    """Where the person's dashboard panels are kept, with what they were drawn under."""
    return f"dashboard:panels:{pk}"


def dashboard_keys(user_pk) -> list[str]:
    """The cache keys the dashboard page reads for this person, by id (``home.page_cache`` asks
    for them with the viewer's user): their panels, the skills, the levels, the spotlight, the
    standings' generation, their kept ranks, their ledger token, the ledger generation and
    their kept own standings and newest rows."""
    from leaderboard.selectors.ranks import (
        LEDGER_GENERATION_KEY,
        STANDINGS_GENERATION_KEY,
        ledger_token_key,
    )
    from leaderboard.selectors.recognition import LEVELS_CACHE_KEY
    from leaderboard.spotlight import spotlight_key

    return [
        panels_key(user_pk),
        SKILLS_CACHE_KEY,
        LEVELS_CACHE_KEY,
        spotlight_key(),
        STANDINGS_GENERATION_KEY,
        ranks_key(user_pk),
        ledger_token_key(user_pk),
        LEDGER_GENERATION_KEY,
        own_key(user_pk),
    ]


def own_key(pk) -> str:
    """Where the person's own standings and newest ledger rows are kept for the dashboard:
    ``((user id, ledger token, ledger generation, scopes), own, rows)``."""
    return f"dashboard:own:{pk}"


# Kept under the person's ledger token, which every award and revocation replaces after its
# commit: the bound is for what changes without one (a challenge week starting, whose board the
# statement names while it runs). The token lives longer (``LEDGER_TOKEN_TIMEOUT``), so an entry
# kept under "no token" can never outlive a token made after it.
OWN_TTL = 300


def _own_and_recent(user_id: int, found: dict, boards: dict) -> tuple[dict, list]:
    """``own_standings_and_recent`` for the dashboard page: from ``found`` (the page's
    ``get_many``, read before this) while the person's ledger token, the ledger generation and
    the boards named (the month's changes with the month) are those it was read under; else read
    (one statement) and kept under what ``found`` held, so an award committing after that read
    makes the next view miss. The cache down: every read misses and the statement runs."""
    from leaderboard.selectors.ranks import (
        LEDGER_GENERATION_KEY,
        ledger_token_key,
        own_standings_and_recent,
    )

    read_under = (
        user_id,
        found.get(ledger_token_key(user_id)),
        found.get(LEDGER_GENERATION_KEY),
        tuple(boards["scopes"]),
        tuple(boards["prefixes"]),
        boards["running_weeks"],
    )
    key = own_key(user_id)
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == read_under:
        return entry[1], entry[2]
    own, rows = own_standings_and_recent(user_id=user_id, **boards)
    cache.set(key, (read_under, own, rows), OWN_TTL)
    return own, rows


def ranks_key(pk) -> str:
    """Where the person's ranks are kept: ``(generation, {scope: (points, reached_at, rank)})``."""
    return f"dashboard:ranks:{pk}"


def _ranked(user_id: int, own: dict, found: dict) -> dict[str, tuple[int, int]]:
    """``{scope: (points, rank)}`` for the person's own standings ``own`` ({scope: (points,
    reached_at)}): a rank kept under the current standings' generation for the same points and
    time is the rank now (``leaderboard.selectors.ranks.standings_generation``); the others are
    counted (one statement) and kept. ``found``: the page's ``get_many``, which read the
    generation (before anything is counted) and the kept ranks."""
    from leaderboard.selectors.ranks import ranks_of, standings_generation

    generation = standings_generation(found)
    entry = found.get(ranks_key(user_id))
    kept = {}
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == generation:
        kept = entry[1]
    ranked, missing = {}, []
    for scope, (points, reached_at) in own.items():
        known = kept.get(scope)
        if known is not None and known[0] == points and known[1] == reached_at:
            ranked[scope] = (points, known[2])
        else:
            missing.append(scope)
    if missing:
        counted = ranks_of(user_id=user_id, scopes=missing)
        ranked |= {scope: (points, rank) for scope, (points, _, rank) in counted.items()}
        keep = {scope: kept[scope] for scope in own if scope not in missing} | counted
        cache.set(ranks_key(user_id), (generation, keep), DASHBOARD_TTL)
    return ranked


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


class _Phrase:
    """``phrase % params`` of a lazy translation, remembered per parameters: a table of these
    belongs to one language (translations do not change while the process runs)."""

    __slots__ = ("done", "phrase")

    def __init__(self, phrase):
        self.phrase, self.done = phrase, {}

    def __mod__(self, params: dict) -> str:
        key = tuple(params.items())
        text = self.done.get(key)
        if text is None:
            if len(self.done) >= 1000:
                self.done.clear()
            text = self.done[key] = str(self.phrase % params)
        return text


# Per language: NaturalTimeFormatter's phrases as ``_Phrase``s (its own time strings, and the
# substrings ``timesince`` is given for the past).
_NATURAL: dict[str, tuple[dict, dict]] = {}


def natural_time(value, now=None, language: str | None = None) -> str:
    """What ``naturaltime`` says of a past ``value`` (an aware datetime), with its arithmetic
    (``timesince``'s) but each phrase translated once per process: ``naturaltime`` translated
    three or four lazy strings a call. Anything else goes to ``naturaltime``."""
    from datetime import UTC, datetime

    from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter
    from django.utils.timesince import timesince
    from django.utils.timezone import is_aware
    from django.utils.translation import get_language

    if not isinstance(value, datetime) or not is_aware(value):
        return naturaltime(value)
    now = now or datetime.now(UTC)
    if value >= now:
        return naturaltime(value)
    language = language or get_language()
    tables = _NATURAL.get(language)
    if tables is None:
        tables = _NATURAL[language] = (
            {k: _Phrase(v) for k, v in NaturalTimeFormatter.time_strings.items()},
            {k: _Phrase(v) for k, v in NaturalTimeFormatter.past_substrings.items()},
        )
    phrases, past = tables
    delta = now - value
    if delta.days != 0:
        return phrases["past-day"] % {"delta": timesince(value, now, time_strings=past)}
    if delta.seconds == 0:
        return phrases["now"] % {}
    if delta.seconds < 60:
        return phrases["past-second"] % {"count": delta.seconds}
    if delta.seconds // 60 < 60:
        return phrases["past-minute"] % {"count": delta.seconds // 60}
    return phrases["past-hour"] % {"count": delta.seconds // 60 // 60}


def recent_items(recent: list[_Award]) -> SafeString:
    """The recent-activity list's items (labels escaped; times as ``naturaltime`` says)."""
    from datetime import UTC, datetime

    from django.utils.translation import get_language

    now, language = datetime.now(UTC), get_language()
    items = []
    for award in recent:
        when = natural_time(award.created_at, now, language)
        # The item is the same while the row's fields and its time read the same.
        key = (award.amount, award.kind, award.reason, when)
        item = _RECENT_ITEMS.get(key)
        if item is None:
            if len(_RECENT_ITEMS) >= _RECENT_ITEMS_MAX:
                _RECENT_ITEMS.clear()
            item = _RECENT_ITEMS[key] = format_html(
                '<li><strong>{}</strong> {} <span class="muted">{}</span></li>',
                f"{award.amount:+d}",
                award.label,
                when,
            )
        items.append(item)
    return mark_safe("".join(items))  # noqa: S308 - each item made by format_html


# Recent-activity items drawn once per process per (amount, kind, reason, time as read).
_RECENT_ITEMS: dict[tuple, SafeString] = {}
_RECENT_ITEMS_MAX = 20_000


def _number(value) -> str:
    """A number as a template shows it (``{{ value }}``: localised; an int is its digits
    unless thousands are grouped)."""
    from django.conf import settings
    from django.utils.formats import localize

    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return localize(value)


def dashboard_body(d: dict) -> SafeString:
    """The dashboard's panels as markup for the page (what a template with the same markup
    drew, without the template machinery: its tags and filters cost more than the figures).
    Text is escaped by ``format_html``; the panels in ``d["html"]`` and the skills section are
    markup already."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    week = d["week"]
    week_row = ""
    if week:
        week_rank = (
            format_html('<a href="/leaderboard/week-{}/">#{}</a>', week.pk, _number(d["week_rank"]))
            if d["week_rank"]
            else "—"
        )
        week_row = format_html(
            '<div><dt>Rank in {}</dt><dd data-testid="dash-week-rank">{}</dd></div>',
            week.title,
            week_rank,
        )
    progress = d["progress"]
    level = progress["level"]
    bar = ""
    if progress["next"]:
        bar = format_html(
            '\n    <p id="level-progress-label">{} points to {}</p>\n'
            '    <div class="progress" role="progressbar" aria-labelledby="level-progress-label"'
            ' aria-valuemin="0" aria-valuemax="100" aria-valuenow="{}">'
            '<div class="progress__bar" style="width: {}%"></div></div>',
            intcomma(progress["to_go"]),
            progress["next"].name,
            _number(progress["percent"]),
            _number(progress["percent"]),
        )
    if d["recent"]:
        recent = format_html('<ul class="plain-list">\n      {}\n    </ul>', d["recent_html"])
    else:
        recent = mark_safe(
            '<p class="empty">No points yet: complete a lesson or a challenge step.</p>'
        )
    html = d["html"]
    return format_html(
        '<div class="dashboard">\n'
        '  <section class="card dashboard__stats" aria-labelledby="dash-progress">\n'
        '    <h2 id="dash-progress">Your progress</h2>\n'
        '    <dl class="stats">\n'
        '      <div><dt>Points</dt><dd data-testid="dash-points">{}</dd></div>\n'
        '      <div><dt>Rank (all time)</dt><dd data-testid="dash-rank">{}</dd></div>\n'
        "      <div><dt>Rank this month</dt><dd>{}</dd></div>\n"
        "      {}\n"
        '      <div><dt>Level</dt><dd data-testid="dash-level">{}</dd></div>\n'
        "    </dl>{}\n"
        "    {}\n"
        "  </section>\n\n  {}\n\n  {}\n\n"
        '  <section class="card dashboard__wide" aria-labelledby="dash-skills">\n'
        '    <h2 id="dash-skills">Your skill profile</h2>\n    {}\n  </section>\n\n  {}\n\n'
        '  <section class="card" aria-labelledby="dash-activity">\n'
        '    <h2 id="dash-activity">Recent activity</h2>\n    {}\n  </section>\n\n  {}\n'
        "</div>",
        intcomma(d["points"]),
        format_html("#{}", _number(d["rank"])) if d["rank"] else "—",
        format_html("#{}", _number(d["month_rank"])) if d["month_rank"] else "—",
        week_row,
        (level.name if level else "") or "Getting started",
        bar,
        html.get("badges", ""),
        html.get("assigned", ""),
        html.get("challenges", ""),
        d["skills_html"],
        html.get("signals", ""),
        recent,
        html.get("kudos", ""),
    )


_BOARD_URL: list[str] = []
# The spotlight drawn once per process per distinct list (the same for everyone).
_MENTORS_HTML: dict[tuple, SafeString] = {}


def top_mentors_html(mentors: list) -> SafeString:
    """The "top mentors" spotlight (``leaderboard/includes/top_mentors.html``'s markup) for
    ``mentors`` read with the page's other cache entries."""
    key = tuple((m["url"], m["name"], m["points"]) for m in mentors)
    html = _MENTORS_HTML.get(key)
    if html is None:
        if len(_MENTORS_HTML) >= 64:
            _MENTORS_HTML.clear()
        html = _MENTORS_HTML[key] = _top_mentors_html(mentors)
    return html


def _top_mentors_html(mentors: list) -> SafeString:
    if not _BOARD_URL:
        from django.urls import reverse

        _BOARD_URL.append(reverse("leaderboard:board_default"))
    if mentors:
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="muted">{} points</span></li>',
            ((m["url"], m["name"], _number(m["points"])) for m in mentors),
        )
        body = format_html('<ol class="lb-spotlight__list">\n    {}\n  </ol>', items)
    else:
        body = mark_safe('<p class="empty">No points earned this month yet. Be the first!</p>')
    return format_html(
        '<section class="card lb-spotlight" aria-labelledby="spotlight-title">\n'
        '  <h2 id="spotlight-title">Top mentors this month</h2>\n  {}\n'
        '  <p><a href="{}">See the full leaderboard</a></p>\n</section>',
        body,
        _BOARD_URL[0],
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
