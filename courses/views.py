"""Learning actions (quiz, complete, reflect), assignments, certificates and search under /learn/.

Views stay thin: they parse the request, call a service or selector, and render or redirect.
Invalid input re-renders the lesson with the employee's answers kept and a specific message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_ld_manager
from config.errors import ApplicationError, form_add, messages_add
from courses import selectors, services
from courses.forms import AssignmentDueDateForm, AssignmentForm
from courses.models import Assignment, LessonPage, ModuleCompletion, SkillModulePage


def _live_lesson(lesson_id: int) -> LessonPage:
    return get_object_or_404(LessonPage.objects.live(), pk=lesson_id)


def _render_lesson(request, lesson: LessonPage, extra: dict, status: int) -> TemplateResponse:
    context = lesson.get_context(request)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(context.get(key), dict):
            context[key] = {**context[key], **value}
        else:
            context[key] = value
    return TemplateResponse(request, lesson.get_template(request), context, status=status)


def _completion_message(request, completion) -> None:
    if completion is None or not completion.created:
        return
    text = f"Lesson complete: +{completion.lesson_points} points."
    if completion.module_completed:
        text += f" Module complete: +{completion.module_points} points. Your certificate is ready."
    messages.success(request, text)


@login_required
@require_POST
def quiz_submit(request, lesson_id: int, block_id: str):
    lesson = _live_lesson(lesson_id)
    answers = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
    try:
        outcome = services.quiz_submit(
            user=request.user, lesson=lesson, block_id=block_id, answers=answers
        )
    except LookupError:
        raise Http404("This lesson has no such quiz.") from None
    except services.QuizInputError as error:
        messages.error(request, error.message)
        state = {block_id: {"selected": answers, "errors": error.errors, "attempt": None}}
        return _render_lesson(request, lesson, {"quiz_state": state}, status=400)
    attempt = outcome.attempt
    verdict = "Passed" if attempt.passed else "Not passed yet — you can try again"
    messages.info(
        request,
        f"You got {attempt.correct_count} of {attempt.question_count} right "
        f"({attempt.score_percent}%). {verdict}.",
    )
    _completion_message(request, outcome.completion)
    return redirect(f"{lesson.url}#quiz-{block_id}")


@login_required
@require_POST
def lesson_mark_complete(request, lesson_id: int):
    lesson = _live_lesson(lesson_id)
    try:
        completion = services.lesson_complete(user=request.user, lesson=lesson)
    except ApplicationError as error:
        messages_add(request, error)
        return redirect(lesson.url)
    if not completion.created:
        messages.info(request, "You have already completed this lesson.")
    _completion_message(request, completion)
    return redirect(lesson.url)


@login_required
@require_POST
def reflection_save(request, lesson_id: int, block_id: str):
    lesson = _live_lesson(lesson_id)
    text = request.POST.get("text", "")
    try:
        services.reflection_save(user=request.user, lesson=lesson, block_id=block_id, text=text)
    except LookupError:
        raise Http404("This lesson has no such reflection prompt.") from None
    except ApplicationError as error:
        extra = {
            "reflection_drafts": {block_id: text},
            "reflection_errors": {block_id: error.message},
        }
        return _render_lesson(request, lesson, extra, status=400)
    messages.success(request, "Reflection saved. Only you can read it.")
    return redirect(f"{lesson.url}#reflection-{block_id}")


@login_required
def my_learning(request):
    """The employee's assigned modules (due dates, overdue marks, progress), the modules they
    started on their own, and their certificates."""
    assignments = selectors.assignments_for_user(request.user)
    return render(
        request,
        "courses/my_learning.html",
        {
            "assignments": assignments,
            "points_total": selectors.user_points_total(request.user),
            **selectors.learning_overview(request.user, assigned=assignments),
        },
    )


@login_required
def assignments(request):
    """L&D Managers assign modules and follow completion per team."""
    if not is_ld_manager(request.user):
        raise PermissionDenied("Only L&D Managers can assign modules.")
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.assignment_create(
                module=data["module"],
                team=data["team"],
                user=data.get("user"),
                due_date=data["due_date"],
                assigned_by=request.user,
            )
        except ApplicationError as error:
            form_add(form, error)
        else:
            target = assignment.team or assignment.user.public_name
            messages.success(
                request,
                f"“{assignment.module.title}” is assigned to {target}, "
                f"due {assignment.due_date:%d %b %Y}.",
            )
            return redirect("courses:assignments")
    status = 400 if form.errors else 200
    reports = selectors.assignment_reports()
    overdue = [
        (report, selectors.overdue_people(assignment=report.assignment))
        for report in reports
        if report.is_overdue
    ]
    return render(
        request,
        "courses/assignments.html",
        {"form": form, "reports": reports, "overdue": overdue},
        status=status,
    )


def _managed_assignment(request, pk: int) -> Assignment:
    if not is_ld_manager(request.user):
        raise PermissionDenied("Only L&D Managers can change assignments.")
    return get_object_or_404(Assignment.objects.select_related("module", "team", "user"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request, pk: int):
    """Move an assignment's due date."""
    assignment = _managed_assignment(request, pk)
    form = AssignmentDueDateForm(request.POST or None, initial={"due_date": assignment.due_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(
                assignment=assignment, due_date=form.cleaned_data["due_date"], by=request.user
            )
        except ApplicationError as error:
            form_add(form, error)
        else:
            messages.success(
                request,
                f"“{assignment.module.title}” is now due {assignment.due_date:%d %b %Y}.",
            )
            return redirect("courses:assignments")
    return render(
        request,
        "courses/assignment_edit.html",
        {"form": form, "assignment": assignment},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def assignment_withdraw(request, pk: int):
    assignment = _managed_assignment(request, pk)
    services.assignment_withdraw(assignment=assignment, by=request.user)
    messages.success(request, f"“{assignment.module.title}” is withdrawn.")
    return redirect("courses:assignments")


@login_required
@require_POST
def assignment_remind(request, pk: int):
    """Remind the people overdue on one assignment (once per person per day)."""
    assignment = _managed_assignment(request, pk)
    sent = services.assignment_remind_overdue(assignment=assignment, by=request.user)
    if sent:
        messages.success(request, f"Reminded {sent} {'person' if sent == 1 else 'people'}.")
    else:
        messages.info(request, "Nobody to remind: everyone overdue was reminded today already.")
    return redirect("courses:assignments")


@login_required
def certificate(request, module_id: int):
    """A printable certificate, for the signed-in user only and only once the module is done."""
    module = get_object_or_404(SkillModulePage.objects.live(), pk=module_id)
    completion = ModuleCompletion.objects.filter(user=request.user, module=module).first()
    if completion is None:
        raise Http404("You have not completed this module yet.")
    return render(
        request,
        "courses/certificate.html",
        {"module": module, "completion": completion, "learner": request.user},
    )


def search(request):
    """Search the live modules and lessons."""
    query = request.GET.get("q", "").strip()[:200]
    results = list(selectors.learning_search(query)[:30]) if query else []
    return render(request, "courses/search.html", {"query": query, "results": results})
