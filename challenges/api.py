"""The corpus export in the JSON API (django-ninja), mounted at /api/v1/corpus/; L&D managers."""

from ninja import Router, Schema, Status

from accounts.roles import is_ld_manager
from challenges import corpus

router = Router(tags=["corpus"])


class ErrorOut(Schema):
    detail: str


@router.get("/{name}", response={200: list[dict], 403: ErrorOut, 404: ErrorOut})
def corpus_file(request, name: str):
    """One file of the corpus as a JSON list of its lines (``preferences``, ``flags``,
    ``context`` or ``evals``; the shape of each is in docs/corpus.md)."""
    if not is_ld_manager(request.user):
        return Status(403, {"detail": "Only L&D managers can export the corpus."})
    if name not in corpus.FILES:
        return Status(
            404,
            {"detail": f"There is no corpus file “{name[:40]}”. Use {', '.join(corpus.FILES)}."},
        )
    return Status(200, list(corpus.rows(name)))
