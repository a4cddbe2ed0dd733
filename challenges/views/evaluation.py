"""L&D's evaluation suite of a challenge: its test cases re-run against the AI, pass rate now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.roles import is_ld
from challenges import selectors, services
from challenges.views.common import challenge_or_404, refuse
from mentoring.ai import AIUnavailable


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request, page_id: int):
    challenge = challenge_or_404(page_id)
    if not is_ld(request.user):
        return refuse(request, "The evaluation suite is for L&D.")
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
