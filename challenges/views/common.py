"""What the challenges views share: finding a live challenge, going back to a step, refusing,
and showing the challenge page again with what was typed and what was wrong."""

import contextlib

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse

from challenges import services
from challenges.models import ChallengePage
from config.errors import ApplicationError
from mentoring.ai import AIUnavailable


def challenge_or_404(page_id: int) -> ChallengePage:
    return get_object_or_404(ChallengePage.objects.live(), pk=page_id)


def post_dict(post) -> dict:
    """A form post as a draft's data: one value per field, a list for a repeated field."""
    return {
        key: (values if len(values) > 1 else values[0])
        for key, values in post.lists()
        if key != "csrfmiddlewaretoken"
    }


def back(challenge: ChallengePage, step: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{challenge.url}#step-{step}")


def refuse(request, message: str, status: int = 403):
    return render(request, "challenges/refused.html", {"message": message}, status=status)


def submit_step(request, challenge, *, step, form, save, invalid, done):
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
        return rerender(request, challenge, step=step, errors=errors, form=form)
    messages.success(request, done)
    return back(challenge, step)


def rerender(request, challenge, *, step, errors, form=None, observe=None):
    """Show the challenge page again with the user's input and what was wrong with it."""
    # An oversized input is still shown back below, just not kept as a draft.
    with contextlib.suppress(ApplicationError):
        services.draft_save(
            user=request.user, challenge=challenge, step=step, data=post_dict(request.POST)
        )
    context = challenge.get_context(request)
    if form is not None:
        context["forms"][step] = form
    if observe is not None:
        context["observe"] = observe
        context["observe_cache"] = None  # what was posted, not the rows everyone sees
    context["step_errors"] = {step: list(errors)}
    context["error_step"] = step
    return TemplateResponse(request, challenge.get_template(request), context, status=400)
