"""My team: a line manager's view of their own team's progress, one learner's report, and both
as CSV or XLSX (formula-escaped by the shared table export)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Membership, User
from home.team_progress import progress_table, teams_visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(table, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(table.to_xlsx(), content_type=XLSX)
    else:
        raise Http404("Unknown format: choose csv or xlsx.")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


@login_required
@require_GET
def my_team(request):
    """The teams the viewer line-manages (L&D Managers see every team)."""
    teams = list(teams_visible_to(request.user).filter(is_active=True))
    if not teams:
        raise PermissionDenied("This page is for line managers: you manage no team.")
    if len(teams) == 1:
        return team_progress(request, teams[0].pk)
    return render(request, "home/my_team.html", {"teams": teams})


@login_required
@require_GET
def team_progress(request, pk: int):
    team = get_object_or_404(teams_visible_to(request.user), pk=pk)
    people, table = progress_table(team=team)
    fmt = request.GET.get("format")
    if fmt:
        return _download(table, fmt, f"team-{team.slug}")
    return render(
        request,
        "home/team_progress.html",
        {"team": team, "table": table, "rows": zip(people, table.rows, strict=True)},
    )


@login_required
@require_GET
def learner_report(request, pk: int, user_id: int):
    """One learner of a team the viewer may see (current members only)."""
    team = get_object_or_404(teams_visible_to(request.user), pk=pk)
    member = Membership.objects.filter(team=team, user_id=user_id, ended_at__isnull=True)
    if not member.exists():
        raise Http404("This person is not in this team.")
    person = get_object_or_404(User, pk=user_id)
    people, table = progress_table(people=User.objects.filter(pk=person.pk))
    fmt = request.GET.get("format")
    if fmt:
        return _download(table, fmt, f"learner-{person.pk}")
    return render(
        request,
        "home/team_progress.html",
        {
            "team": team,
            "table": table,
            "person": person,
            "rows": zip(people, table.rows, strict=True),
        },
    )
