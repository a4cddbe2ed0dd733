"""Board pages, recognition pages, kudos, and the Open Badges 2.0 hosted endpoints.

Views stay thin: reads through ``selectors``, writes through ``services``.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.roles import is_ld
from config.ratelimit import rate_limited
from leaderboard import scopes, selectors, services, team_boards
from leaderboard.badges import badge_catalogue
from leaderboard.models import Badge, BadgeAward
from leaderboard.scope_list import SCOPES_CACHE_KEY, scopes_and_settings
from leaderboard.selectors.ranks import board_top_people, board_top_people_and_rank
from notifications.selectors import notifications_recent

MAX_LIMIT = 100


def _read_with_viewer(*keys: str):
    """A view decorator (outside ``login_required``): ``keys`` are read in the viewer's one cache
    round trip, with their user (accounts.middleware); the view takes them with ``prefetched``.
    Only keys that are the same for everyone."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            request.prefetch_keys = [*getattr(request, "prefetch_keys", ()), *keys]
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _scope_or_404(request, raw: str):
    try:
        return scopes.resolve(raw), None
    except scopes.UnknownScope as exc:
        response = render(
            request, "leaderboard/unknown_scope.html", {"message": str(exc)}, status=404
        )
        return None, response


def _limit(request) -> tuple[int, str]:
    raw = request.GET.get("limit")
    default = settings.LEADERBOARD_BOARD_SIZE
    if raw in (None, ""):
        return default, ""
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        return (
            default,
            f"The limit must be a whole number from 1 to {MAX_LIMIT}; showing {default}.",
        )
    return int(raw), ""


def _board_common(request, scope: str) -> dict:
    # The navigation and this board's settings, from one cached read (scope_list).
    scope_nav, settings_by_scope = scopes_and_settings(request)
    config = settings_by_scope.get(scope)
    return {
        "scope": scope,
        "scope_label": scopes.label(scope, config.title if config else ""),
        "config": config,
        "frozen": selectors.is_frozen(config),
        "scope_nav": scope_nav,
        "month_scope": scopes.month_key_now(),
        "ws_path": f"/ws/leaderboard/{scope}/",
    }


@login_required
@require_GET
def board_go(request):
    """The scope picker of small screens (a GET form): on to the chosen board."""
    scope, error = _scope_or_404(request, request.GET.get("scope", ""))
    if error:
        return error
    name = "leaderboard:teams" if request.GET.get("view") == "teams" else "leaderboard:board"
    return redirect(name, scope)


@_read_with_viewer(SCOPES_CACHE_KEY)
@login_required
@require_GET
def board(request, scope: str = scopes.ALL):
    """An individual board: top N, the viewer's own rank, and a "near me" view."""
    scope, error = _scope_or_404(request, scope)
    if error:
        return error
    limit, limit_error = _limit(request)
    viewer_is_ld = is_ld(request.user)
    common = _board_common(request, scope)
    if common["frozen"] and viewer_is_ld:
        return _live_board(request, scope, common, limit=limit, limit_error=limit_error)
    near = request.GET.get("view") == "near"
    if near:
        standing, rank = selectors.standing_rank(scope=scope, user=request.user)
    else:  # the top rows and the viewer's rank in one statement
        top, standing, rank = board_top_people_and_rank(scope=scope, user=request.user, limit=limit)
    if near and standing:
        people = [
            (r, s.user, s.points)
            for r, s in selectors.board_near(scope=scope, standing=standing, rank=rank)
        ]
    elif near:
        people = [
            (r, user, points)
            for r, (user, points) in enumerate(board_top_people(scope=scope, limit=limit), start=1)
        ]
    else:
        people = [(r, user, points) for r, (user, points) in enumerate(top, start=1)]
    context = common | {
        "rows": [
            selectors.standing_row(
                rank=r,
                user=user,
                points=points,
                viewer_id=request.user.pk,
                viewer_is_ld=viewer_is_ld,
            )
            for r, user, points in people
        ],
        "me": {"rank": rank, "points": standing.points} if standing else None,
        "near": near,
        "limit": limit,
        "limit_error": limit_error,
        "viewer_is_ld": viewer_is_ld,
    }
    return render(request, "leaderboard/board.html", context)


def _live_board(request, scope: str, common: dict, *, limit: int, limit_error: str):
    """L&D's view of a frozen board: the live standings the public board does not show yet."""
    payload = selectors.board_payload(
        scope=scope, user_ids=[request.user.pk], limit=limit, live=True
    )
    view = selectors.payload_for_viewer(payload, viewer_id=request.user.pk, viewer_is_ld=True)
    context = common | {
        "rows": view["top"],
        "me": view["me"],
        "near": False,
        "limit": limit,
        "limit_error": limit_error,
        "viewer_is_ld": True,
        "live": True,
    }
    return render(request, "leaderboard/board.html", context)


@_read_with_viewer(SCOPES_CACHE_KEY)
@login_required
@require_GET
def team_board(request, scope: str):
    """A team board: the top teams by total or per-active-member average (the scope's
    setting), the viewer's own team wherever it stands, and a search by team name (?q=)."""
    scope, error = _scope_or_404(request, scope)
    if error:
        return error
    context = _board_common(request, scope)
    ranking = context["config"].team_ranking if context["config"] else "total"
    live = context["frozen"] and is_ld(request.user)
    query, query_error = team_boards.search_query(request.GET.get("q"))
    team = request.user.current_team
    context |= team_boards.team_page(
        scope=scope,
        ranking=ranking,
        team_id=team.pk if team else None,
        query=None if query_error else query,
        live=live,
    )
    context |= {
        "ranking": ranking,
        "live": live,
        "query": query,
        "query_error": query_error,
        "page_size": team_boards.PAGE_SIZE,
    }
    return render(request, "leaderboard/teams.html", context)


@login_required
@require_GET
def badges(request):
    """Every badge with its artwork, how to earn it, and whether the viewer has."""
    catalogue = badge_catalogue(viewer=request.user)
    return render(
        request,
        "leaderboard/badges.html",
        {"catalogue": catalogue, "held": sum(item["held"] for item in catalogue)},
    )


@login_required
def person(request, user_id: int):
    """A colleague's recognition: level, badges, kudos received; give kudos from here."""
    person = get_object_or_404(User, pk=user_id)
    viewer_is_ld = is_ld(request.user)
    if not selectors.profile_visible(person=person, viewer=request.user, viewer_is_ld=viewer_is_ld):
        raise Http404("This profile is not public.")
    own = person.pk == request.user.pk
    notifications = notifications_recent(user=person, limit=10) if own else []
    context = selectors.person_profile(person=person, viewer=request.user) | {
        "person": person,
        "own": own,
        "kudos_left": selectors.kudos_left(user=request.user),
        "notifications": notifications,
        # GET never writes: marking them read is the page's "Mark all as read" button (a POST).
        "unread_notifications": any(n.read_at is None for n in notifications),
    }
    return render(request, "leaderboard/person.html", context)


@login_required
@require_POST
@rate_limited("kudos", label="kudos")
def kudos_give(request, user_id: int):
    """Give kudos to a colleague (POST from their profile page)."""
    recipient = get_object_or_404(User, pk=user_id)
    viewer_is_ld = is_ld(request.user)
    if not selectors.profile_visible(
        person=recipient, viewer=request.user, viewer_is_ld=viewer_is_ld
    ):
        raise Http404("This profile is not public.")
    try:
        services.kudos_give(
            giver=request.user, recipient=recipient, message=request.POST.get("message", "")
        )
    except services.LeaderboardError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Your kudos to {recipient.public_name} are on their way.")
    return redirect("leaderboard:person", user_id=recipient.pk)


# Open Badges 2.0 (hosted verification). Public, as a verifier must fetch them; an assertion's
# id is a random UUID and names the recipient only by a salted hash of their e-mail address.

OB_CONTEXT = "https://w3id.org/openbadges/v2"


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _ld_json(data: dict) -> JsonResponse:
    return JsonResponse(data, content_type="application/ld+json")


@require_GET
def ob_issuer(request):
    return _ld_json(
        {
            "@context": OB_CONTEXT,
            "type": "Issuer",
            "id": _absolute(request, reverse("leaderboard:ob_issuer")),
            "name": settings.WAGTAIL_SITE_NAME,
            "url": _absolute(request, "/"),
            "email": settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">"),
        }
    )


@require_GET
def ob_badge_class(request, slug: str):
    badge = get_object_or_404(Badge, slug=slug)
    image = badge.image.get_rendition("original").url if badge.image else static(badge.artwork_path)
    return _ld_json(
        {
            "@context": OB_CONTEXT,
            "type": "BadgeClass",
            "id": _absolute(request, reverse("leaderboard:ob_badge", args=[badge.slug])),
            "name": badge.name,
            "description": badge.description,
            "image": _absolute(request, image),
            "criteria": {"narrative": badge.get_criteria_display()},
            "issuer": _absolute(request, reverse("leaderboard:ob_issuer")),
        }
    )


def recipient_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


@require_GET
def ob_assertion(request, uid):
    award = get_object_or_404(BadgeAward.objects.select_related("badge", "user"), uid=uid)
    return _ld_json(
        {
            "@context": OB_CONTEXT,
            "type": "Assertion",
            "id": _absolute(request, reverse("leaderboard:ob_assertion", args=[award.uid])),
            "recipient": {
                "type": "email",
                "hashed": True,
                "salt": award.salt,
                "identity": recipient_identity(award.user.email, award.salt),
            },
            "badge": _absolute(request, reverse("leaderboard:ob_badge", args=[award.badge.slug])),
            "verification": {"type": "hosted"},
            "issuedOn": award.awarded_at.isoformat(),
        }
    )
