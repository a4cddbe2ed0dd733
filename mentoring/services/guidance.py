"""Compiling, publishing and exporting a system's guidance pack.

A pack is compiled from what owners have accepted: approved context notes (rules) and gold
corrections (few-shot pairs), from field reports here and from every registered source (the
challenges attached to the system). Text a reporter marked as personal data stays out until an
owner redacts it. Publishing freezes the compiled pack as the next version, with its diff.
"""

import json
from dataclasses import asdict
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.errors import ApplicationError
from mentoring.models import (
    AISystem,
    FieldReport,
    GuidanceExample,
    GuidancePack,
    GuidanceRule,
    SystemContextNote,
)
from mentoring.services.ask import published_pack, system_prompt_for
from mentoring.services.common import require_owner
from mentoring.sources import ExampleItem, RuleItem, sources


def _exportable_reports(system: AISystem):
    return (
        FieldReport.objects.filter(system=system, status=FieldReport.CONFIRMED)
        .exclude(has_personal_data=True, redacted_at__isnull=True)
        .select_related("correction")
    )


def guidance_compile(*, system: AISystem) -> tuple[list[RuleItem], list[ExampleItem]]:
    """The rules and pairs a pack published now would hold (reads only)."""
    rules = [
        RuleItem(note.topic, note.text, f"note:{note.pk}", note.author_id)
        for note in SystemContextNote.objects.filter(
            system=system, status=SystemContextNote.APPROVED
        )
        .exclude(report__has_personal_data=True, report__redacted_at__isnull=True)
        .order_by("pk")
    ]
    examples = []
    for report in _exportable_reports(system).order_by("pk"):
        correction = getattr(report, "correction", None)
        if correction is not None:
            examples.append(
                ExampleItem(
                    report.asked,
                    correction.text,
                    correction.rationale,
                    f"report:{report.pk}",
                    correction.author_id,
                )
            )
    for source in sources():
        rules += source.rules(system)
        examples += source.examples(system)
    return rules, examples


def guidance_diff(*, system: AISystem) -> dict:
    """What publishing now would add and remove, against the published version."""
    rules, examples = guidance_compile(system=system)
    current = published_pack(system)
    old_rules = {r.source_key: r for r in current.rules.all()} if current else {}
    old_examples = {e.source_key: e for e in current.examples.all()} if current else {}
    new_rules = {r.source_key: r for r in rules}
    new_examples = {e.source_key: e for e in examples}
    return {
        "from_version": current.version if current else None,
        "rules_added": [asdict(new_rules[k]) for k in new_rules if k not in old_rules],
        "rules_removed": [
            {"topic": old_rules[k].topic, "text": old_rules[k].text, "source_key": k}
            for k in old_rules
            if k not in new_rules
        ],
        "examples_added": [asdict(new_examples[k]) for k in new_examples if k not in old_examples],
        "examples_removed": [
            {"prompt": old_examples[k].prompt, "source_key": k}
            for k in old_examples
            if k not in new_examples
        ],
    }


def diff_is_empty(diff: dict) -> bool:
    return not any(diff[k] for k in diff if k != "from_version")


def guidance_publish(*, system: AISystem, by, notes: str = "", at=None) -> GuidancePack:
    """Publish the compiled guidance as the next version (owners only).

    Refused when nothing changed since the published version. A concurrent publish loses the
    race on the (system, version) constraint and is refused, never a second "v2".
    """
    require_owner(by, system)
    diff = guidance_diff(system=system)
    if diff["from_version"] is not None and diff_is_empty(diff):
        raise ApplicationError(
            f"Nothing changed since guidance v{diff['from_version']}: approve context or "
            "confirm corrections first."
        )
    rules, examples = guidance_compile(system=system)
    version = (diff["from_version"] or 0) + 1
    try:
        with transaction.atomic():
            pack = GuidancePack.objects.create(
                system=system,
                version=version,
                published_by=by,
                published_at=at or timezone.now(),
                notes=notes.strip(),
                diff=diff,
            )
            GuidanceRule.objects.bulk_create(
                GuidanceRule(
                    pack=pack,
                    topic=r.topic,
                    text=r.text,
                    source_key=r.source_key,
                    contributor_id=r.contributor_id,
                )
                for r in rules
            )
            GuidanceExample.objects.bulk_create(
                GuidanceExample(
                    pack=pack,
                    prompt=e.prompt,
                    answer=e.answer,
                    rationale=e.rationale,
                    source_key=e.source_key,
                    contributor_id=e.contributor_id,
                )
                for e in examples
            )
    except IntegrityError as exc:
        raise ApplicationError(
            f"Someone else published guidance v{version} a moment ago; reload and look again."
        ) from exc
    return pack


def guidance_export(*, system: AISystem, out: Path, version: int | None = None) -> list[Path]:
    """Write ``guidance.json`` and ``system_prompt.md`` for the AI team (published version)."""
    pack = system.packs.get(version=version) if version else published_pack(system)
    if pack is None:
        raise ValueError(f"“{system.slug}” has no published guidance yet.")
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "system": system.slug,
        "model_version": system.model_version,
        "guidance_version": pack.version,
        "published_at": pack.published_at.isoformat(),
        "system_prompt": system_prompt_for(system, pack),
        "rules": [
            {"topic": r.topic, "text": r.text, "source": r.source_key} for r in pack.rules.all()
        ],
        "few_shot": [
            {
                "prompt": e.prompt,
                "answer": e.answer,
                "rationale": e.rationale,
                "source": e.source_key,
            }
            for e in pack.examples.all()
        ],
        "selection": "Pick the few-shot pairs most relevant to each incoming prompt (3 at most).",
    }
    json_path = out / "guidance.json"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path = out / "system_prompt.md"
    md_path.write_text(data["system_prompt"] + "\n", encoding="utf-8")
    return [json_path, md_path]
