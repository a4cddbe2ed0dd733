"""L&D programme views inside the Wagtail admin: bulk onboarding (import, preview, export) and
analytics (tables, charts, CSV/XLSX downloads)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import invites
from accounts.models import User
from accounts.onboarding import onboarding_export, onboarding_import, onboarding_preview
from accounts.roles import is_ld_manager
from config.errors import ApplicationError, messages_add
from home.analytics.charts import svg_chart
from home.analytics.selectors import analytics_tables
from home.forms import AnalyticsFilterForm, OnboardingUploadForm


def _require_manager(request) -> None:
    if not is_ld_manager(request.user):
        raise PermissionDenied("Only L&D Managers and admins can onboard employees.")


def onboarding(request):
    """Upload a CSV, see a preview with every bad row named, then import the clean file."""
    _require_manager(request)
    preview = None
    content = ""
    form = OnboardingUploadForm()
    if request.method == "POST" and "confirm" in request.POST:
        content = request.POST.get("content", "")
        try:
            result = onboarding_import(content=content)
        except ValidationError:
            preview = onboarding_preview(content=content)
            messages.error(request, "The file changed or is no longer clean; nothing was imported.")
        else:
            messages.success(
                request,
                f"Imported: {result.count('create')} created, {result.count('update')} updated, "
                f"{result.count('unchanged')} unchanged. {_invited_sentence(result.invited)}",
            )
            return redirect("home_admin:onboarding")
    elif request.method == "POST":
        form = OnboardingUploadForm(request.POST, request.FILES)
        if form.is_valid():
            raw = form.cleaned_data["file"].read()
            preview = onboarding_preview(content=raw)
            if preview.is_clean:
                content = raw.decode("utf-8-sig", errors="replace")
                if not content or "\ufffd" in content:
                    content = raw.decode("cp1252", errors="replace")
    pending = invites.onboarding_invited_pending()
    return TemplateResponse(
        request,
        "home/admin/onboarding.html",
        {
            "form": form,
            "preview": preview,
            "content": content,
            "pending": pending[:PENDING_SHOWN],
            "pending_count": pending.count(),
            "sign_in": invites.sign_in_explained(),
        },
    )


PENDING_SHOWN = 200
INVITED_NAMED = 20


def _invited_sentence(emails: list[str]) -> str:
    if not emails:
        return "Nobody new, so no invitation was sent."
    named = ", ".join(emails[:INVITED_NAMED])
    more = f" and {len(emails) - INVITED_NAMED} more" if len(emails) > INVITED_NAMED else ""
    return (
        f"Invitation e-mails are on their way to {len(emails)} new "
        f"{'person' if len(emails) == 1 else 'people'}: {named}{more}. "
        f"{invites.sign_in_explained()}"
    )


@require_POST
def onboarding_resend(request, pk: int):
    """Resend one person's onboarding invitation (L&D's explicit request)."""
    _require_manager(request)
    person = get_object_or_404(User, pk=pk)
    try:
        invites.onboarding_invitation_resend(user=person)
    except ApplicationError as error:
        messages_add(request, error)
    else:
        messages.success(request, f"Invitation sent again to {person.email}.")
    return redirect("home_admin:onboarding")


def onboarding_export_csv(request):
    """Download every active employee in the import format."""
    _require_manager(request)
    response = HttpResponse(onboarding_export(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="apprentice-employees-{stamp}.csv"'
    return response


def analytics(request):
    """L&D analytics: tables with charts, filtered; each downloadable as CSV or XLSX."""

    _require_manager(request)
    form = AnalyticsFilterForm(request.GET or None)
    tables = analytics_tables(form.filters())
    download = request.GET.get("download")
    if download:
        fmt = request.GET.get("format", "csv")
        table = next((t for t in tables if t.slug == download), None)
        if table is None or fmt not in {"csv", "xlsx"}:
            return HttpResponse("Unknown table or format.", status=404, content_type="text/plain")
        stamp = timezone.now().strftime("%Y%m%d")
        if fmt == "csv":
            response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                table.to_xlsx(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{table.slug}-{stamp}.{fmt}"'
        return response
    sections = []
    for table in tables:
        chart = None
        if table.chart_value is not None and table.rows:
            chart = svg_chart(
                labels=[str(r[table.chart_label]) for r in table.rows],
                values=[r[table.chart_value] for r in table.rows],
                title=f"{table.title}: {table.columns[table.chart_value]}",
                kind=table.chart_kind,
                chart_id=f"chart-{table.slug}",
            )
        sections.append({"table": table, "chart": chart})
    query = request.GET.copy()
    query.pop("download", None)
    query.pop("format", None)
    return TemplateResponse(
        request,
        "home/admin/analytics.html",
        {"form": form, "sections": sections, "query": query.urlencode()},
    )
