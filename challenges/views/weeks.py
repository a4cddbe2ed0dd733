"""Challenge weeks: the overview and a week's results (reads only)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from challenges import selectors
from challenges.models import ChallengeWeek


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
