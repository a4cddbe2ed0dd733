"""Plain views of the challenges app: step submissions, drafts, reviews, library, insights.

The challenge page itself is a Wagtail page (ChallengePage.serve); the step forms post here. A
rejected submission re-renders the challenge page with the user's input and the reasons, and
keeps the input as a server-side draft, so nothing typed is lost.
"""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_ld
from challenges import selectors, services
from challenges.context_processors import waiting_reviews_key
from challenges.forms import (
    ContextNoteForm,
    CorrectionForm,
    JudgementForm,
    ReflectionForm,
    ReviewForm,
    TestCaseForm,
)
from challenges.models import (
    ChallengePage,
    ChallengeWeek,
    ContextNote,
    Correction,
    Reflection,
    Review,
    TestCase,
)
from challenges.models.pages import STEPS
from challenges.rubric import RUBRIC, word_diff
from config.errors import ApplicationError, messages_add
from config.input_guard import InputRefused, json_body
from config.ratelimit import rate_limited
from mentoring.ai import AIUnavailable

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _challenge(page_id: int) -> ChallengePage:
    return get_object_or_404(ChallengePage.objects.live(), pk=page_id)


def _post_dict(post) -> dict:
    return {
        key: (values if len(values) > 1 else values[0])
        for key, values in post.lists()
        if key != "csrfmiddlewaretoken"
    }


def _back(challenge: ChallengePage, step: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{challenge.url}#step-{step}")


def _refuse(request, message: str, status: int = 403):
    return render(request, "challenges/refused.html", {"message": message}, status=status)


def _submit_step(request, challenge, *, step, form, save, invalid, done):
    """Validate ``form``, hand its data to ``save`` (a service call), then go back to the step,
    or show the page again with what was typed and a message saying what was wrong (a rule's,
    or that the AI is not answering)."""
    errors = []
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ApplicationError as exc:
            errors = exc.messages
        except AIUnavailable as exc:
            errors = [str(exc)]
    else:
        errors = [invalid]
    if errors:
        return _rerender(request, challenge, step=step, errors=errors, form=form)
    messages.success(request, done)
    return _back(challenge, step)


def _rerender(request, challenge, *, step, errors, form=None, observe_data=None):
    """Show the challenge page again with the user's input and what was wrong with it."""
    data = _post_dict(request.POST)
    # An oversized input is still shown back below, just not kept as a draft.
    with contextlib.suppress(ApplicationError):
        services.draft_save(user=request.user, challenge=challenge, step=step, data=data)
    context = challenge.get_context(request)
    if form is not None:
        context["forms"][step] = form
    if observe_data is not None:
        context["observe"] = selectors.observe_state(output=challenge.output, data=observe_data)
    context["step_errors"] = {step: list(errors)}
    context["error_step"] = step
    return TemplateResponse(request, challenge.get_template(request), context, status=400)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flags_from_post(challenge: ChallengePage, post) -> list[services.FlagInput]:
    state = selectors.observe_state(output=challenge.output, data=_post_dict(post))
    flags = [
        services.FlagInput(row.start, row.end, _int(row.category), row.note)
        for row in state.rows
        if row.checked
    ]
    flags += [
        services.FlagInput(span.start, span.end, _int(span.category), span.note)
        for span in state.spans
    ]
    return flags


@login_required
@require_POST
def observe_submit(request, page_id: int):
    challenge = _challenge(page_id)
    repeated = [k for k, v in request.POST.lists() if len(v) > 1 and k != "csrfmiddlewaretoken"]
    if repeated:
        names = ", ".join(f"“{name[:40]}”" for name in repeated[:5])
        return _rerender(
            request,
            challenge,
            step="observe",
            errors=[f"Each field is sent once; these came more than once: {names}."],
            observe_data={k: v[-1] for k, v in request.POST.lists()},
        )
    flags = _flags_from_post(challenge, request.POST)
    try:
        services.flags_submit(user=request.user, challenge=challenge, flags=flags)
    except ApplicationError as exc:
        return _rerender(
            request,
            challenge,
            step="observe",
            errors=exc.messages,
            observe_data=_post_dict(request.POST),
        )
    messages.success(request, "Flags submitted. Compare them with the answer key below.")
    return _back(challenge, "observe")


@login_required
@require_POST
def correct_submit(request, page_id: int):
    challenge = _challenge(page_id)
    return _submit_step(
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
    challenge = _challenge(page_id)
    return _submit_step(
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
    challenge = _challenge(page_id)
    return _submit_step(
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
def testcase_judge(request, pk: int):
    test_case = get_object_or_404(TestCase.objects.select_related("challenge"), pk=pk)
    form = JudgementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose pass or fail.")
    else:
        try:
            services.testcase_judge(
                judge=request.user, test_case=test_case, verdict=form.cleaned_data["verdict"]
            )
            messages.success(request, "Thank you: your verdict is recorded.")
        except ApplicationError as exc:
            messages_add(request, exc)
    if test_case.user_id == request.user.pk:
        return _back(test_case.challenge.specific, "test")
    return HttpResponseRedirect("/challenge/reviews/#judge")


@login_required
@require_POST
def reflect_submit(request, page_id: int):
    challenge = _challenge(page_id)
    return _submit_step(
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
    challenge = _challenge(page_id)
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
        data = _post_dict(request.POST)
    else:
        return JsonResponse(
            {"error": "Send the draft as application/json (or as a form post)."}, status=415
        )
    try:
        draft = services.draft_save(user=request.user, challenge=challenge, step=step, data=data)
    except ApplicationError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    return JsonResponse({"saved_at": draft.updated_at.isoformat()})


@login_required
@require_GET
def review_queue(request):
    return render(
        request,
        "challenges/review_queue.html",
        {
            "corrections": selectors.review_queue(user=request.user),
            "test_cases": selectors.judge_queue(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_correction(request, pk: int):
    correction = get_object_or_404(Correction.objects.select_related("challenge"), pk=pk)
    refusal = None
    try:
        services.review_check(reviewer=request.user, correction=correction)
    except PermissionDenied as exc:
        return _refuse(request, str(exc))
    except ApplicationError as exc:
        refusal = exc
    challenge = correction.challenge.specific
    form = ReviewForm(request.POST or None)
    errors = []
    if request.method == "POST":
        if refusal is not None:
            errors = refusal.messages
        elif form.is_valid():
            try:
                services.review_submit(
                    reviewer=request.user,
                    correction=correction,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
                cache.delete(waiting_reviews_key(request.user.pk))
                messages.success(request, "Review submitted. Thank you!")
                return HttpResponseRedirect("/challenge/reviews/")
            except ApplicationError as exc:
                errors = exc.messages
        else:
            errors = ["Give each of the four criteria a score from 1 to 5."]
    return render(
        request,
        "challenges/review_form.html",
        {
            "correction": correction,
            "challenge": challenge,
            "form": form,
            "criteria": [(form[c], sorted(RUBRIC[c].items())) for c in Review.CRITERIA],
            "diff": word_diff(challenge.output, correction.text),
            "errors": errors,
            "already": refusal is not None,
            "is_ld": is_ld(request.user),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def correction_gold(request, pk: int):
    correction = get_object_or_404(Correction, pk=pk)
    try:
        services.correction_mark_gold(by=request.user, correction=correction)
    except PermissionDenied as exc:
        return _refuse(request, str(exc))
    messages.success(request, "Marked as gold.")
    return HttpResponseRedirect(f"/challenge/reviews/{pk}/")


@login_required
@require_GET
def context_library(request):
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(ContextNote.KIND_CHOICES) else ""
    skill = request.GET.get("skill", "")[:80]
    from courses.models import Skill

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
    return HttpResponseRedirect("/challenge/library/#pending")


@login_required
@require_POST
def context_review(request, pk: int):
    note = get_object_or_404(ContextNote, pk=pk)
    try:
        services.context_note_review(
            by=request.user, note=note, approve=request.POST.get("decision") == "approve"
        )
    except PermissionDenied as exc:
        return _refuse(request, str(exc))
    messages.success(request, f"“{note.title}” reviewed.")
    return HttpResponseRedirect("/challenge/library/#pending")


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


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request, page_id: int):
    challenge = _challenge(page_id)
    if not is_ld(request.user):
        return _refuse(request, "The evaluation suite is for L&D.")
    if request.method == "POST":
        try:
            run = services.eval_run(challenge=challenge, by=request.user)
            messages.success(
                request, f"Re-run with {run.provider} ({run.model}): {run.passed}/{run.total} pass."
            )
        except AIUnavailable as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "challenges/evaluation.html",
        {"challenge": challenge, **selectors.evaluation_summary(challenge=challenge)},
    )


@login_required
@require_GET
def weeks(request):
    """Challenge weeks: running, coming up, and the results of those that ended."""
    return render(request, "challenges/weeks.html", selectors.weeks_overview())


@login_required
@require_GET
def week_results(request, pk: int):
    """A week's results page: the winning team(s), top individuals and their badges.

    Reads only: until the ``weeks_close`` job has finalised an ended week, the page says its
    results are being finalised.
    """
    week = get_object_or_404(ChallengeWeek, pk=pk)
    context = {"week": week, "now": timezone.now()}
    if week.finalised_at:
        context |= selectors.week_results(week=week)
    return render(request, "challenges/week_results.html", context)
