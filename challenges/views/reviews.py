"""Peer review: the review queue, reviewing a correction with the rubric, verdicts on
colleagues' test cases, and L&D's gold mark."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_ld
from challenges import selectors, services
from challenges.context_processors import waiting_reviews_key
from challenges.forms import JudgementForm, ReviewForm
from challenges.models import Correction, Review, TestCase
from challenges.rubric import RUBRIC, word_diff
from challenges.views.common import back, refuse
from config.errors import ApplicationError, messages_add


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
        return refuse(request, str(exc))
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
                return HttpResponseRedirect(reverse("challenges:review_queue"))
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
        return back(test_case.challenge.specific, "test")
    return HttpResponseRedirect(reverse("challenges:review_queue") + "#judge")


@login_required
@require_POST
def correction_gold(request, pk: int):
    correction = get_object_or_404(Correction, pk=pk)
    try:
        services.correction_mark_gold(by=request.user, correction=correction)
    except PermissionDenied as exc:
        return refuse(request, str(exc))
    messages.success(request, "Marked as gold.")
    return HttpResponseRedirect(reverse("challenges:review", args=[pk]))
