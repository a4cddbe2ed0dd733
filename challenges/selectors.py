"""Reads of the challenges app that are more than a one-line query.

Each returns what one page needs in a bounded number of queries (asserted by tests).
"""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Membership, User
from accounts.roles import REVIEWER, is_ld, user_roles
from challenges import attempt_cache, scoring
from challenges.models import (
    ChallengePage,
    ChallengeWeek,
    ContextNote,
    Correction,
    Draft,
    Endorsement,
    EvalRun,
    Flag,
    FlagSubmission,
    FlawCategory,
    Reflection,
    Review,
    TestCase,
    TestJudgement,
)
from challenges.models.pages import STEPS
from challenges.services.drafts import draft_data_usable


@dataclass
class SentenceRow:
    """One sentence of the output as a row of the no-JavaScript Observe form."""

    index: int
    start: int
    end: int
    text: str
    checked: bool = False
    category: str = ""
    note: str = ""


@dataclass
class SpanRow:
    """A passage flagged by text selection (the JavaScript enhancement), kept across re-renders."""

    key: str
    start: int
    end: int
    text: str
    category: str = ""
    note: str = ""


@dataclass
class ObserveState:
    rows: list[SentenceRow]
    spans: list[SpanRow] = field(default_factory=list)


def observe_state(*, output: str, data: dict[str, str]) -> ObserveState:
    """The Observe form's rows, filled from a draft or a posted form (same flat field names)."""
    rows = []
    for i, span in enumerate(scoring.sentences(output)):
        rows.append(
            SentenceRow(
                index=i,
                start=span.start,
                end=span.end,
                text=output[span.start : span.end],
                checked=bool(data.get(f"s{i}")),
                category=data.get(f"s{i}-category", ""),
                note=data.get(f"s{i}-note", ""),
            )
        )
    spans = []
    for key in sorted(k for k in data if k.startswith("span-") and k.endswith("-start")):
        name = key[: -len("-start")]
        try:
            start, end = int(data[key]), int(data.get(f"{name}-end", ""))
        except (TypeError, ValueError):
            continue
        spans.append(
            SpanRow(
                key=name.removeprefix("span-"),
                start=start,
                end=end,
                text=output[max(0, start) : max(0, end)],
                category=data.get(f"{name}-category", ""),
                note=data.get(f"{name}-note", ""),
            )
        )
    return ObserveState(rows=rows, spans=spans)


CATEGORIES_CACHE_KEY = "challenges:flaw-categories:v2"  # (stamp, categories)


def active_categories() -> list[FlawCategory]:
    """The flaw categories offered when flagging: the same for everyone, so cached until one
    changes (``forget_categories``)."""
    return categories_stamped()[1]


def categories_stamped(found=None) -> tuple[str, list[FlawCategory]]:
    """(stamp, categories): the stamp is new whenever the categories are read afresh after a
    change, so HTML rendered from them is cached under it. ``found`` is the cached value when
    the caller read it already (one round trip with others)."""
    if found is None:
        found = cache.get(CATEGORIES_CACHE_KEY)
    if not isinstance(found, tuple):
        found = (uuid.uuid4().hex[:12], list(FlawCategory.objects.filter(is_active=True)))
        cache.set(CATEGORIES_CACHE_KEY, found, 3600)
    return found


def forget_categories(**kwargs) -> None:
    cache.delete(CATEGORIES_CACHE_KEY)


# What a challenge page shows everyone alike is cached under the page-tree version
# (``home.page_cache``: replaced by every page save, publish, unpublish, move or delete, so a new
# revision shows at once). Skills, the AI system and the challenge's weeks are edited elsewhere
# and show within SHARED_TTL.
SHARED_TTL = 60


def challenge_shared(challenge: ChallengePage, found: dict | None = None) -> dict:
    """The challenge's skills, who answers its Test step, its weeks, its answer key (shown only
    to those allowed), the index's URL and the cover image's HTML: nothing of any person.
    ``found``: what the caller read from the cache already (``shared_keys``)."""
    key = _shared_key(challenge.pk)
    shared = (found if found is not None else cache.get_many([key])).get(key)
    if shared is None:
        from django.template.loader import render_to_string

        parent = challenge.get_parent()
        weeks = list(
            ChallengeWeek.objects.filter(challenges=challenge)
            .prefetch_related("teams")
            .order_by("-starts_at")
        )
        shared = {
            "skills": list(challenge.skills.all()),
            "provider": _provider(challenge),
            "weeks": weeks,
            # Each week's teams (empty: open to every team), for whether someone's points count.
            "week_teams": {week.pk: {team.pk for team in week.teams.all()} for week in weeks},
            "flaws": list(challenge.flaws.select_related("category")),
            "index_url": parent.url if parent is not None else "",
            "urls": _urls(challenge),
            "cover": render_to_string(
                "includes/cover.html", {"image": challenge.cover_image, "hero": True}
            ),
        }
        cache.set(key, shared, SHARED_TTL)
    return shared


def _urls(challenge: ChallengePage) -> dict[str, str]:
    """Where the page's forms post and its links go (reversed once, not on every render)."""
    from django.urls import reverse

    urls = {"library": reverse("challenges:library"), "insights": reverse("insights")}
    for name in (*STEPS, "evaluation"):
        urls[name] = reverse(f"challenges:{name}", args=[challenge.pk])
    for step in STEPS:
        urls[f"draft_{step}"] = reverse("challenges:draft", args=[challenge.pk, step])
    return urls


def _shared_key(challenge_pk) -> str:
    from home.page_cache import pages_version

    return f"challenges:shared:v3:{pages_version()}:{challenge_pk}"


def _has(*, challenge: ChallengePage, user) -> dict:
    """Which of this person's records of the challenge exist, and their current team: one query,
    so a step with nothing to show costs none."""
    mine = {"user": OuterRef("pk"), "challenge": challenge}
    found = {
        "drafts": Exists(Draft.objects.filter(**mine)),
        "submission": Exists(FlagSubmission.objects.filter(**mine)),
        "correction": Exists(Correction.objects.filter(**mine)),
        "notes": Exists(ContextNote.objects.filter(**mine)),
        "test_cases": Exists(TestCase.objects.filter(**mine)),
        "reflection": Exists(Reflection.objects.filter(**mine)),
    }
    # Named apart from the user's relations (``test_cases`` is one).
    current = Membership.objects.filter(user=OuterRef("pk"), ended_at__isnull=True)
    row = User.objects.filter(pk=user.pk).values(
        **{f"has_{k}": v for k, v in found.items()},
        team_of_user=Subquery(current.values("team_id")[:1]),
    )
    row = row.first() or {}
    return {
        **{name: bool(row.get(f"has_{name}")) for name in found},
        "team_id": row.get("team_of_user"),
    }


def attempt_records(*, challenge: ChallengePage, user) -> dict:
    """This person's records of the challenge as the page shows them (cached per person and
    challenge by ``challenges.attempt_cache``)."""
    has = _has(challenge=challenge, user=user)
    # A stored draft is checked again on load: a bad one loses its bad fields, never the page.
    drafts = {}
    if has["drafts"]:
        drafts = {
            d.step: draft_data_usable(step=d.step, data=d.data)
            for d in Draft.objects.filter(user=user, challenge=challenge)
        }
    submission = None
    if has["submission"]:
        submission = (
            FlagSubmission.objects.filter(user=user, challenge=challenge)
            .prefetch_related(Prefetch("flags", Flag.objects.select_related("category")))
            .first()
        )
    correction = None
    if has["correction"]:
        correction = (
            Correction.objects.filter(user=user, challenge=challenge)
            .prefetch_related("reviews")
            .first()
        )
    notes = []
    if has["notes"]:
        notes = list(
            ContextNote.objects.filter(user=user, challenge=challenge).prefetch_related("skills")
        )
    test_cases = []
    if has["test_cases"]:
        judged = TestJudgement.objects.filter(test_case=OuterRef("pk"), judge=user)
        test_cases = list(
            TestCase.objects.filter(user=user, challenge=challenge).annotate(
                judged_by_me=Exists(judged),
                my_verdict=Subquery(judged.values("verdict")[:1]),
            )
        )
    reflection = None
    if has["reflection"]:
        reflection = Reflection.objects.filter(user=user, challenge=challenge).first()
    return {
        # Their current team, for whether their points count on a week of it (``_counts``).
        "team_id": has["team_id"],
        "drafts": drafts,
        "submission": submission,
        "correction": correction,
        "notes": notes,
        "test_cases": test_cases,
        "reflection": reflection,
    }


# The steps' navigation drawn once per process per (step, open, done) sequence: a handful of
# combinations, where the template's loop cost a dozen tags per step on every request.
_STEPS_NAV: dict[tuple, SafeString] = {}


def steps_nav(steps: list[dict]) -> SafeString:
    """The navigation's items for ``steps`` ({key, open, done}, in order), as the page's
    template drew them."""
    key = tuple((s["key"], bool(s["open"]), bool(s["done"])) for s in steps)
    html = _STEPS_NAV.get(key)
    if html is None:
        if len(_STEPS_NAV) >= 1024:
            _STEPS_NAV.clear()
        html = _STEPS_NAV[key] = format_html_join(
            "\n      ",
            '<li class="steps-nav__item{}{}"><a href="#step-{}">{}. {}</a>{}</li>',
            (
                (
                    " is-done" if done else "",
                    "" if open_ else " is-closed",
                    step,
                    number,
                    step.title(),
                    mark_safe(' <span class="tag tag--success">done</span>') if done else "",
                )
                for number, (step, open_, done) in enumerate(key, start=1)
            ),
        )
    return html


def challenge_page_context(*, challenge: ChallengePage, user, found: dict | None = None) -> dict:
    """Everything the challenge page shows this user (answer key only after submitting, or L&D).
    ``found``: the cache entries the caller read already (``shared_keys``)."""
    found = found if found is not None else cache.get_many(shared_keys(challenge, user))
    shared = challenge_shared(challenge, found)
    stamp, categories = categories_stamped(found.get(CATEGORIES_CACHE_KEY))
    staff = is_ld(user)
    at = timezone.now()
    records = attempt_cache.cached(
        user.pk,
        challenge.pk,
        found,
        lambda: attempt_records(challenge=challenge, user=user),
    )
    drafts, submission = records["drafts"], records["submission"]
    correction, notes = records["correction"], records["notes"]
    test_cases, reflection = records["test_cases"], records["reflection"]
    show_key = staff or submission is not None
    answer_key = []
    if show_key:
        found_flaws = {}
        if submission is not None:
            found_flaws = {
                f.matched_flaw_id: f for f in submission.flags.all() if f.matched_flaw_id
            }
        answer_key = [
            {"flaw": flaw, "found_by": found_flaws.get(flaw.pk)} for flaw in shared["flaws"]
        ]
    done = {
        "observe": submission is not None,
        "correct": correction is not None,
        "context": bool(notes),
        "test": bool(test_cases),
        "reflect": reflection is not None,
    }
    observe_data = drafts.get("observe", {})
    observe_html = None
    if not observe_data:
        cached = found.get(observe_key(challenge.pk))
        if isinstance(cached, tuple) and cached[0] == stamp:
            observe_html = cached[1]
    steps = [{"key": s, "open": getattr(challenge, f"open_{s}"), "done": done[s]} for s in STEPS]
    return {
        "is_ld": staff,
        "steps": steps,
        "steps_nav": steps_nav(steps),
        "skills": shared["skills"],
        "categories": categories,
        "drafts": drafts,
        # Its rows are needed only when rendered here (a draft, or not cached yet).
        "observe": None
        if observe_html is not None
        else observe_state(output=challenge.output, data=observe_data),
        # The Observe rows nobody has a draft of are the same for everyone (challenge_steps).
        "observe_cache": None if observe_data else (observe_key(challenge.pk), stamp, observe_html),
        "submission": submission,
        "answer_key": answer_key,
        "correction": correction,
        "notes": notes,
        "test_cases": test_cases,
        "reflection": reflection,
        "provider": shared["provider"],
        "week_status": challenge_week_status(
            challenge=challenge,
            user=user,
            at=at,
            weeks=shared["weeks"],
            counts=_counts(shared, records["team_id"], at),
        ),
        "index_url": shared["index_url"],
        "urls": shared["urls"],
        "cover": shared["cover"],
    }


def _counts(shared: dict, team_id, at) -> bool | None:
    """Whether this user's points count on a running week of the challenge, as
    ``challenge_week_status`` reads it: a running week open to every team or to theirs."""
    running = [w.pk for w in shared["weeks"] if w.is_running(at)]
    if not running:
        return None
    teams = shared["week_teams"]
    return any(not teams.get(pk) or team_id in teams[pk] for pk in running)


def shared_keys(challenge: ChallengePage, user) -> list[str]:
    """The cache keys of what the challenge page shows everyone, and this person's records of
    it, read in one round trip."""
    return page_keys(challenge.pk, user.pk)


def page_keys(challenge_pk, user_pk) -> list[str]:
    """``shared_keys`` by ids (``ChallengePage.prefetch_keys``: named before the page is read)."""
    from challenges.forms import fields_keys

    return [
        _shared_key(challenge_pk),
        CATEGORIES_CACHE_KEY,
        observe_key(challenge_pk),
        *fields_keys(challenge_pk).values(),
        *attempt_cache.keys(user_pk, challenge_pk),
    ]


def observe_key(challenge_pk) -> str:
    """The Observe rows' HTML (with the categories' stamp it was rendered from)."""
    from home.page_cache import pages_version

    return f"challenges:observe:{pages_version()}:{challenge_pk}"


def _provider(challenge: ChallengePage) -> dict:
    """Who answers the Test step: the attached AI system, or the site-wide provider."""
    system = challenge.ai_system
    if system is not None:
        return {
            "name": system.provider,
            "model": system.model if system.provider == "openai" else "sample stand-in",
            "system": system.name,
        }
    if settings.AI_PROVIDER == "openai":
        return {"name": "openai", "model": settings.AI_MODEL, "system": ""}
    return {"name": settings.AI_PROVIDER, "model": challenge.model_name or "sample", "system": ""}


# Reviewers get the first look at fresh work: for this long, a correction nobody has reviewed yet
# sorts first in a Reviewer's queue and last in everyone else's (still reachable, never hidden, so
# a company without Reviewers loses nothing).
REVIEWER_FIRST_LOOK = timedelta(minutes=30)
WAITING_REVIEWS_CAP = 99


def _reviewable(user):
    """Corrections this user may review: live challenge, not their own, not yet reviewed by them."""
    return (
        Correction.objects.exclude(user=user)
        .exclude(Exists(Review.objects.filter(correction=OuterRef("pk"), reviewer=user)))
        .filter(challenge__live=True)
    )


def review_queue(*, user, limit: int = 20, at=None) -> list[Correction]:
    """Corrections this user may review, in the order they are offered.

    Everyone: colleagues from other teams first, then the least-reviewed, then the oldest. The
    Reviewer role changes one thing: corrections with no review yet that are younger than
    ``REVIEWER_FIRST_LOOK`` come first for Reviewers and last for everyone else."""
    team = user.current_team
    other_team = (
        Case(
            When(Q(team__isnull=False) & ~Q(team=team), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        if team is not None
        else Value(0)
    )
    fresh = Q(review_count=0, created_at__gt=(at or timezone.now()) - REVIEWER_FIRST_LOOK)
    first, later = (0, 1) if REVIEWER in user_roles(user) else (1, 0)
    priority = Case(
        When(fresh, then=Value(first)), default=Value(later), output_field=IntegerField()
    )
    return list(
        _reviewable(user)
        .annotate(other_team_first=other_team, priority=priority)
        .select_related("challenge")
        .order_by("priority", "other_team_first", "review_count", "created_at", "pk")[:limit]
    )


def waiting_reviews_count(*, user) -> int:
    """How many corrections wait for this user's review (one query, capped for the header)."""
    return _reviewable(user).order_by()[: WAITING_REVIEWS_CAP + 1].count()


def judge_queue(*, user, limit: int = 20) -> list[TestCase]:
    """Colleagues' open test cases this user has not judged, least-judged first."""
    return list(
        TestCase.objects.filter(status=TestCase.OPEN)
        .exclude(user=user)
        .exclude(Exists(TestJudgement.objects.filter(test_case=OuterRef("pk"), judge=user)))
        .select_related("challenge")
        .order_by("peer_judgement_count", "created_at", "pk")[:limit]
    )


def context_library(*, query: str = "", kind: str = "", skill: str = "") -> list[ContextNote]:
    """Approved context notes, searched in title and text, optionally by kind and skill."""
    notes = ContextNote.objects.filter(status=ContextNote.APPROVED)
    for word in query.split()[:8]:
        notes = notes.filter(Q(title__icontains=word) | Q(text__icontains=word))
    if kind:
        notes = notes.filter(kind=kind)
    if skill:
        notes = notes.filter(skills__slug=skill)
    return list(
        notes.select_related("user", "challenge")
        .prefetch_related("skills")
        .order_by("-endorsement_count", "-created_at")
        .distinct()[:100]
    )


def pending_context_notes(*, user, limit: int = 50) -> list[ContextNote]:
    """Notes waiting for L&D, with whether this user endorsed each (for the endorse button)."""
    return list(
        ContextNote.objects.filter(status=ContextNote.PENDING)
        .annotate(endorsed_by_me=Exists(Endorsement.objects.filter(note=OuterRef("pk"), user=user)))
        .select_related("user", "challenge")
        .order_by("-endorsement_count", "created_at")[:limit]
    )


def evaluation_summary(*, challenge: ChallengePage) -> dict:
    """The challenge's evaluation suite: verdicts when judged ("then") and each re-run ("now")."""
    test_cases = list(TestCase.objects.filter(challenge=challenge).order_by("pk"))
    decided = [t for t in test_cases if t.status != TestCase.OPEN]
    passed = sum(1 for t in decided if t.status == TestCase.PASSED)
    runs = list(EvalRun.objects.filter(challenge=challenge).prefetch_related("results")[:10])
    return {
        "test_cases": test_cases,
        "then": {"passed": passed, "decided": len(decided), "total": len(test_cases)},
        "runs": runs,
        "latest": runs[0] if runs else None,
    }


def flags_for(submission: FlagSubmission) -> list[Flag]:
    return list(submission.flags.select_related("category", "matched_flaw"))


# Challenge weeks ------------------------------------------------------------------------------


def weeks_running(*, at=None) -> list[ChallengeWeek]:
    """Weeks whose window contains ``at`` (now), soonest ending first (the banner)."""
    at = at or timezone.now()
    return list(
        ChallengeWeek.objects.filter(starts_at__lte=at, ends_at__gt=at).order_by("ends_at", "pk")
    )


def challenge_week_status(
    *,
    challenge: ChallengePage,
    user,
    at=None,
    weeks: list | None = None,
    counts: bool | None = None,
) -> dict | None:
    """What the challenge page says about weeks: counting on a board, ended, or not started.

    None when the challenge is in no week. ``counts`` says whether this user's points count
    on the running week's board now (their team may not take part); a caller that read it
    already passes it.
    """
    at = at or timezone.now()
    if weeks is None:  # the challenge's weeks, newest first (challenge_shared has them cached)
        weeks = list(ChallengeWeek.objects.filter(challenges=challenge).order_by("-starts_at"))
    if not weeks:
        return None
    running = next((w for w in weeks if w.is_running(at)), None)
    if running is not None and counts is not None:
        return {"state": "running", "week": running, "counts": counts}
    if running is not None:
        # As ``week_for``: a running week of this challenge open to every team or to the
        # user's current one (one query instead of one per week plus the membership).
        takes_part = Q(teams__isnull=True)
        if getattr(user, "is_authenticated", False):
            member = {"teams__memberships__user": user, "teams__memberships__ended_at": None}
            takes_part |= Q(**member)
        counts = (
            ChallengeWeek.objects.filter(pk__in=[w.pk for w in weeks if w.is_running(at)])
            .filter(takes_part)
            .exists()
        )
        return {"state": "running", "week": running, "counts": counts}
    upcoming = [w for w in weeks if w.starts_at > at]
    if upcoming:
        return {"state": "upcoming", "week": upcoming[-1], "counts": False}
    return {"state": "ended", "week": weeks[0], "counts": False}


def week_results(*, week: ChallengeWeek, top: int = 3) -> dict:
    """A finalised week's results: the winning team(s) by the week's ranking, top individuals,
    and the placement badges its people earned."""
    from leaderboard import selectors as boards
    from leaderboard.models import BadgeAward

    teams = boards.team_board(scope=week.scope, ranking=week.team_ranking)
    value = "average" if week.team_ranking == ChallengeWeek.AVERAGE else "points"
    best = teams[0][value] if teams else None
    winners = [t for t in teams if best is not None and t[value] == best and best > 0]
    people = [
        boards.standing_row(
            rank=rank, user=s.user, points=s.points, viewer_id=None, viewer_is_ld=False
        )
        | {"user_id": s.user_id}
        for rank, s in enumerate(boards.board_top(scope=week.scope, limit=top), start=1)
        if s.points > 0
    ]
    badges = {}
    if week.finalised_at:
        for award in BadgeAward.objects.filter(
            user_id__in=[p["user_id"] for p in people], badge__criteria="week_placement"
        ).select_related("badge"):
            badges.setdefault(award.user_id, []).append(award.badge.name)
    for person in people:
        person["badges"] = badges.get(person["user_id"], [])
    return {"teams": teams, "winners": winners, "people": people}


def weeks_overview(*, at=None) -> dict:
    """Running, upcoming and finished weeks, for the weeks page."""
    at = at or timezone.now()
    weeks = list(ChallengeWeek.objects.order_by("-starts_at", "-pk")[:50])
    return {
        "running": [w for w in weeks if w.is_running(at)],
        "upcoming": [w for w in weeks if w.starts_at > at],
        "finished": [w for w in weeks if w.ends_at <= at],
    }
