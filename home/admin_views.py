"""L&D programme views inside the Wagtail admin (bulk onboarding; analytics come later)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from accounts.onboarding import COLUMNS, onboarding_export, onboarding_import, onboarding_preview
from accounts.roles import is_ld_manager


class OnboardingUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=f"Columns: {', '.join(COLUMNS)}. Only email and team are required.",
    )


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
                f"{result.count('unchanged')} unchanged.",
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
    return TemplateResponse(
        request,
        "home/admin/onboarding.html",
        {"form": form, "preview": preview, "content": content, "columns": COLUMNS},
    )


def onboarding_export_csv(request):
    """Download every active employee in the import format."""
    _require_manager(request)
    response = HttpResponse(onboarding_export(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="apprentice-employees-{stamp}.csv"'
    return response
