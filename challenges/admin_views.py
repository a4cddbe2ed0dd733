"""Wagtail admin views of the challenges app: the corpus export (L&D managers only)."""

import io
import zipfile

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import is_ld_manager
from challenges import corpus

REFUSED = "Only L&D managers can export the corpus."


def _refused() -> HttpResponse:
    # A plain 403 (Wagtail turns PermissionDenied into a redirect to the dashboard), so a
    # script fetching the export learns it was refused rather than getting an HTML page.
    return HttpResponse(REFUSED, status=403, content_type="text/plain; charset=utf-8")


def corpus_export(request):
    """The export page: one download per file, or all four in a zip."""
    if not is_ld_manager(request.user):
        return _refused()
    return render(request, "challenges/admin/corpus.html", {"files": corpus.FILES})


def corpus_download(request, name: str):
    """One file as JSON lines, or ``all`` as a zip of the four."""
    if not is_ld_manager(request.user):
        return _refused()
    stamp = timezone.now().strftime("%Y%m%d")
    if name == "all":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in corpus.FILES:
                archive.writestr(f"{file}.jsonl", corpus.jsonl(file))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="corpus-{stamp}.zip"'
        return response
    if name not in corpus.FILES:
        return HttpResponse(
            f"There is no corpus file of that name. Use one of: {', '.join(corpus.FILES)}.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(corpus.jsonl(name), content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.jsonl"'
    return response
