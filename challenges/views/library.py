"""The Context Library (approved notes, search, the notes waiting for review), endorsements,
L&D's decisions, and upvotes of shared reflections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import is_ld
from challenges import selectors, services
from challenges.models import ContextNote, Reflection
from challenges.views.common import refuse
from config.errors import ApplicationError, messages_add
from courses.models import Skill


def _pending() -> str:
    return reverse("challenges:library") + "#pending"


@login_required
@require_GET
def context_library(request):
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(ContextNote.KIND_CHOICES) else ""
    skill = request.GET.get("skill", "")[:80]
    return render(
        request,
        "challenges/context_library.html",
        {
            "notes": selectors.context_library(query=query, kind=kind, skill=skill),
            "pending": selectors.pending_context_notes(user=request.user),
            "query": query,
            "kind": kind,
            "skill": skill,
            "kinds": ContextNote.KIND_CHOICES,
            "skills": Skill.objects.all(),
            "is_ld": is_ld(request.user),
        },
    )


@login_required
@require_POST
def context_endorse(request, pk: int):
    note = get_object_or_404(ContextNote, pk=pk)
    try:
        if services.context_note_endorse(user=request.user, note=note):
            messages.success(request, "Endorsed.")
        else:
            messages.info(request, "You had already endorsed this note.")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ApplicationError as exc:
        messages_add(request, exc)
    return HttpResponseRedirect(_pending())


@login_required
@require_POST
def context_review(request, pk: int):
    note = get_object_or_404(ContextNote, pk=pk)
    try:
        services.context_note_review(
            by=request.user, note=note, approve=request.POST.get("decision") == "approve"
        )
    except PermissionDenied as exc:
        return refuse(request, str(exc))
    messages.success(request, f"“{note.title}” reviewed.")
    return HttpResponseRedirect(_pending())


@require_GET
def insights(request):
    """The insights feed moved to the home app's cross-team feed (/insights/)."""
    return HttpResponsePermanentRedirect(reverse("insights"))


@login_required
@require_POST
def reflection_upvote(request, pk: int):
    reflection = get_object_or_404(Reflection, pk=pk, shared=True)
    try:
        if services.reflection_upvote(user=request.user, reflection=reflection):
            messages.success(request, "Upvoted.")
        else:
            messages.info(request, "You had already upvoted this reflection.")
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = f"{reverse('insights')}#reflection-{pk}"
    return HttpResponseRedirect(back)
