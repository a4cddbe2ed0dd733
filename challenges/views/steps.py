"""The loop steps' posts (Observe, Correct, Context, Test, Reflect) and server-side drafts.

A rejected submission re-renders the challenge page with the user's input and the reasons, and
keeps the input as a server-side draft, so nothing typed is lost.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from challenges import services
from challenges.forms import (
    ContextNoteForm,
    CorrectionForm,
    ObserveForm,
    ReflectionForm,
    TestCaseForm,
)
from challenges.models.pages import STEPS
from challenges.views.common import (
    back,
    challenge_or_404,
    post_dict,
    rerender,
    submit_step,
)
from config.errors import ApplicationError
from config.input_guard import InputRefused, json_body
from config.ratelimit import rate_limited

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@login_required
@require_POST
def observe_submit(request, page_id: int):
    challenge = challenge_or_404(page_id)
    form = ObserveForm(request.POST, output=challenge.output)
    errors = form.errors
    if form.is_valid():
        try:
            services.flags_submit(user=request.user, challenge=challenge, flags=form.flags)
        except ApplicationError as exc:
            errors = exc.messages
    if errors:
        return rerender(request, challenge, step="observe", errors=errors, observe=form.state)
    messages.success(request, "Flags submitted. Compare them with the answer key below.")
    return back(challenge, "observe")


@login_required
@require_POST
def correct_submit(request, page_id: int):
    challenge = challenge_or_404(page_id)
    return submit_step(
        request,
        challenge,
        step="correct",
        form=CorrectionForm(request.POST),
        save=lambda data: services.correction_submit(
            user=request.user, challenge=challenge, **data
        ),
        invalid="Please write both your rewrite and why you changed it.",
        done="Correction submitted. Two colleagues will review it.",
    )


@login_required
@require_POST
def context_submit(request, page_id: int):
    challenge = challenge_or_404(page_id)
    return submit_step(
        request,
        challenge,
        step="context",
        form=ContextNoteForm(request.POST, skills=challenge.skills.all()),
        save=lambda data: services.context_note_submit(
            user=request.user,
            challenge=challenge,
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            skill_ids=[int(s) for s in data["skills"]],
            client_token=data["client_token"],
        ),
        invalid="Please fill in the kind, a title and the note.",
        done="Context note added. Colleagues can endorse it; L&D reviews it.",
    )


@login_required
@require_POST
@rate_limited("ai_test", label="AI test runs")
def test_submit(request, page_id: int):
    challenge = challenge_or_404(page_id)
    return submit_step(
        request,
        challenge,
        step="test",
        form=TestCaseForm(request.POST),
        save=lambda data: services.testcase_run(user=request.user, challenge=challenge, **data),
        invalid="Please write the input and what a good answer must and must not do.",
        done="The AI answered your test. Judge whether it passed.",
    )


@login_required
@require_POST
def reflect_submit(request, page_id: int):
    challenge = challenge_or_404(page_id)
    return submit_step(
        request,
        challenge,
        step="reflect",
        form=ReflectionForm(request.POST),
        save=lambda data: services.reflection_submit(
            user=request.user, challenge=challenge, **data
        ),
        invalid="Please say what changed and what remains.",
        done="Reflection saved.",
    )


@require_POST
@rate_limited("draft", label="draft saves", as_json=True)
def draft_save(request, page_id: int, step: str):
    """Save what the user typed (JSON: {"data": {...}}, or a form post from sendBeacon)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Your session has expired. Sign in again."}, status=401)
    if step not in STEPS:
        return JsonResponse({"error": "Unknown step."}, status=404)
    challenge = challenge_or_404(page_id)
    if request.content_type == "application/json":
        try:
            body = json_body(request)
        except InputRefused as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            return JsonResponse(
                {"error": 'A draft is sent as a JSON object: {"data": {field: value, …}}.'},
                status=400,
            )
        data = body["data"]
    elif request.content_type in FORM_CONTENT_TYPES:
        data = post_dict(request.POST)
    else:
        return JsonResponse(
            {"error": "Send the draft as application/json (or as a form post)."}, status=415
        )
    try:
        draft = services.draft_save(user=request.user, challenge=challenge, step=step, data=data)
    except ApplicationError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    return JsonResponse({"saved_at": draft.updated_at.isoformat()})
