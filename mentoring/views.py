"""Pages of the mentoring app: systems, the report form, the loop on a report, the owners'
queue, publishing guidance, and an employee's contributions. Thin: services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.errors import ApplicationError, form_add, messages_add
from mentoring import forms, selectors
from mentoring.charts import pass_rate_chart
from mentoring.models import AISystem, EvalCase, EvalVerdict, FieldReport, SystemContextNote
from mentoring.services import evals, feedback, guidance, triage
from mentoring.services.common import is_owner, require_owner


def _run(request, form, action, *, success: str) -> bool:
    """Validate ``form``, call ``action(cleaned_data)``; say what happened. True on success."""
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, error)
        return False
    try:
        action(form.cleaned_data)
    except ApplicationError as exc:
        messages_add(request, exc)
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


@login_required
def system_list(request):
    return render(
        request, "mentoring/system_list.html", {"systems": selectors.systems_for(request.user)}
    )


@login_required
def system_detail(request, slug: str):
    system = get_object_or_404(AISystem, slug=slug)
    context = selectors.system_page(system, request.user)
    context["chart"] = pass_rate_chart(context["runs"])
    return render(request, "mentoring/system_detail.html", context)


@login_required
def report_new(request):
    if request.method == "POST":
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = feedback.report_create(
                    reporter=request.user,
                    system=data["system"],
                    asked=data["asked"],
                    answer=data["answer"],
                    where=data["where"],
                    has_personal_data=data["has_personal_data"],
                    via=data["via"],
                )
            except ApplicationError as exc:
                form_add(form, exc)
            else:
                messages.success(
                    request, "Thank you: your report is in. Now flag what is wrong with it."
                )
                return redirect("mentoring:report", pk=report.pk)
    else:
        # The snippet and bookmarklet open this page with the selected answer prefilled.
        form = forms.ReportForm(
            initial={
                "system": request.GET.get("system", ""),
                "answer": request.GET.get("answer", "")[:8000],
                "asked": request.GET.get("asked", "")[:4000],
                "where": request.GET.get("where", "")[:500],
                "via": "snippet" if request.GET.get("via") == "snippet" else "form",
            }
        )
    return render(request, "mentoring/report_form.html", {"form": form})


def _report(request, pk: int) -> FieldReport:
    report = get_object_or_404(FieldReport.objects.select_related("system", "reporter"), pk=pk)
    if not feedback.can_work_on(request.user, report):
        raise PermissionDenied("Only the reporter and the system's owners can see a report.")
    return report


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    owner = is_owner(request.user, report.system)
    return render(
        request,
        "mentoring/report_detail.html",
        {
            "report": report,
            "flags": report.flags.all(),
            "correction": getattr(report, "correction", None),
            "notes": report.notes.all(),
            "cases": report.cases.all(),
            "is_owner": owner,
            # Prefixed: four forms on one page must not share field ids.
            "flag_form": forms.FlagForm(prefix="flag"),
            "correction_form": forms.CorrectionForm(prefix="correct"),
            "context_form": forms.ContextForm(prefix="context"),
            "case_form": forms.CaseForm(prefix="case"),
            "decision_form": forms.DecisionForm(),
            "redact_form": forms.RedactForm(
                prefix="redact", initial={"asked": report.asked, "answer": report.answer}
            ),
        },
    )


LOOP_STEPS = {
    "flag": (
        forms.FlagForm,
        lambda user, report, d: feedback.flag_add(
            user=user, report=report, quote=d["quote"], category=d["category"]
        ),
        "Flag added.",
    ),
    "correct": (
        forms.CorrectionForm,
        lambda user, report, d: feedback.correction_save(
            user=user, report=report, text=d["text"], rationale=d["rationale"]
        ),
        "Correction saved.",
    ),
    "context": (
        forms.ContextForm,
        lambda user, report, d: feedback.context_add(
            user=user, report=report, topic=d["topic"], text=d["text"]
        ),
        "Context added: the owners will review it.",
    ),
    "case": (
        forms.CaseForm,
        lambda user, report, d: feedback.case_add(
            user=user,
            report=report,
            input_text=d["input_text"],
            must=d["must"],
            must_not=d["must_not"],
        ),
        "Test case added: the owners will review it.",
    ),
}


@login_required
@require_POST
def report_step(request, pk: int, step: str):
    report = _report(request, pk)
    if step not in LOOP_STEPS:
        raise PermissionDenied("Unknown step.")
    form_class, action, success = LOOP_STEPS[step]
    _run(
        request,
        form_class(request.POST, prefix=step),
        lambda d: action(request.user, report, d),
        success=success,
    )
    return redirect(reverse("mentoring:report", args=[report.pk]) + f"#{step}")


@login_required
@require_POST
def report_decide(request, pk: int):
    report = _report(request, pk)

    def decide(d):
        if d["action"] == "confirm":
            triage.report_confirm(report=report, by=request.user, reason=d["reason"])
        elif d["action"] == "reject":
            triage.report_reject(report=report, by=request.user, reason=d["reason"])
        else:
            into = FieldReport.objects.filter(pk=d["into"] or 0).first()
            if into is None:
                raise ApplicationError("Give the number of the report to merge into.")
            triage.report_merge(report=report, into=into, by=request.user, reason=d["reason"])

    _run(request, forms.DecisionForm(request.POST), decide, success="Decision recorded.")
    if request.POST.get("next") == "triage":
        return redirect("mentoring:triage", slug=report.system.slug)
    return redirect("mentoring:report", pk=report.pk)


@login_required
@require_POST
def report_redact(request, pk: int):
    report = _report(request, pk)
    _run(
        request,
        forms.RedactForm(request.POST, prefix="redact"),
        lambda d: triage.report_redact(
            report=report, by=request.user, asked=d["asked"], answer=d["answer"]
        ),
        success="Redacted: the report may now be exported.",
    )
    return redirect("mentoring:report", pk=report.pk)


def _triage_decision(queryset, system_of, decide, *, success: str):
    """A view for an owner's yes or no (with a reason) on one item of a system's triage queue:
    ``decide(item, by, yes, reason)`` calls the service; the owner is sent back to the queue."""

    @login_required
    @require_POST
    def view(request, pk: int):
        item = get_object_or_404(queryset, pk=pk)
        _run(
            request,
            forms.ApproveForm(request.POST),
            lambda d: decide(item, request.user, d["approve"] == "yes", d["reason"]),
            success=success,
        )
        return redirect("mentoring:triage", slug=system_of(item).slug)

    return view


note_decide = _triage_decision(
    SystemContextNote.objects.select_related("system"),
    lambda note: note.system,
    lambda note, by, yes, reason: triage.note_decide(note=note, by=by, approve=yes, reason=reason),
    success="Context note decided.",
)
case_decide = _triage_decision(
    EvalCase.objects.select_related("system"),
    lambda case: case.system,
    lambda case, by, yes, reason: triage.case_decide(case=case, by=by, accept=yes, reason=reason),
    success="Test case decided.",
)
verdict_judge = _triage_decision(
    EvalVerdict.objects.select_related("run__system"),
    lambda verdict: verdict.run.system,
    lambda verdict, by, yes, _reason: evals.verdict_judge(verdict=verdict, by=by, passed=yes),
    success="Judgement recorded.",
)


@login_required
def triage_queue(request, slug: str):
    system = get_object_or_404(AISystem, slug=slug)
    require_owner(request.user, system)
    context = selectors.triage_queue(system)
    context.update({"system": system, "approve_form": forms.ApproveForm()})
    return render(request, "mentoring/triage.html", context)


@login_required
def guidance_page(request, slug: str):
    system = get_object_or_404(AISystem, slug=slug)
    require_owner(request.user, system)
    if request.method == "POST":
        ok = _run(
            request,
            forms.PublishForm(request.POST),
            lambda d: guidance.guidance_publish(system=system, by=request.user, notes=d["notes"]),
            success="Guidance published.",
        )
        if ok:
            return redirect("mentoring:system", slug=system.slug)
    diff = guidance.guidance_diff(system=system)
    return render(
        request,
        "mentoring/guidance.html",
        {
            "system": system,
            "diff": diff,
            "empty": guidance.diff_is_empty(diff),
            "next_version": (diff["from_version"] or 0) + 1,
            "form": forms.PublishForm(),
        },
    )


@login_required
def my_contributions(request):
    return render(
        request,
        "mentoring/contributions.html",
        {"systems": selectors.contributions(request.user)},
    )
