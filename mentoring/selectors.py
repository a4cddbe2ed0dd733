"""Reads for the mentoring pages: pass rates, flipped cases, the owners' queue, contributions."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Q, Subquery

from mentoring.ai.sample import similarity
from mentoring.models import (
    FLAW_CATEGORIES,
    AISystem,
    EvalCase,
    EvalRun,
    EvalVerdict,
    FieldReport,
    GuidanceExample,
    GuidancePack,
    GuidanceRule,
    ReportFlag,
    SystemContextNote,
)
from mentoring.services.ask import published_pack
from mentoring.services.common import is_owner

DUPLICATE_SIMILARITY = 0.8


def systems_for(user):
    """Every system, with the viewer's ownership and the published version."""
    systems = list(AISystem.objects.order_by("name").prefetch_related("owners"))
    versions = dict(
        GuidancePack.objects.values("system_id")
        .annotate(top=Max("version"))
        .values_list("system_id", "top")
    )
    for system in systems:
        system.published_version = versions.get(system.pk)
        system.viewer_owns = any(o.pk == user.pk for o in system.owners.all())
    return systems


def latest_runs(system: AISystem) -> list[EvalRun]:
    """The latest run per (model version, guidance version), oldest model and guidance first."""
    latest: dict[tuple, EvalRun] = {}
    for run in EvalRun.objects.filter(system=system).order_by("created_at", "pk"):
        latest[(run.model_version, run.guidance_version)] = run
    runs = list(latest.values())
    runs.sort(key=lambda r: (r.created_at.date(), r.model_version, r.guidance_version or 0))
    for run in runs:
        run.percent = round(100 * run.passed / run.total) if run.total else 0
    return runs


@dataclass
class Flips:
    before: EvalRun | None = None
    after: EvalRun | None = None
    fixed: list = field(default_factory=list)
    broken: list = field(default_factory=list)


def flips(system: AISystem) -> Flips:
    """Cases whose verdict changed between the two latest guidance versions of the current
    model version (before: the previous guidance, or none)."""
    runs = [r for r in latest_runs(system) if r.model_version == system.model_version]
    runs.sort(key=lambda r: r.guidance_version or 0)
    if len(runs) < 2:
        return Flips()
    before, after = runs[-2], runs[-1]
    old = dict(EvalVerdict.objects.filter(run=before).values_list("case_id", "verdict"))
    result = Flips(before=before, after=after)
    for verdict in EvalVerdict.objects.filter(run=after).select_related("case"):
        was = old.get(verdict.case_id)
        if was == EvalVerdict.FAIL and verdict.verdict == EvalVerdict.PASS:
            result.fixed.append(verdict)
        elif was == EvalVerdict.PASS and verdict.verdict == EvalVerdict.FAIL:
            result.broken.append(verdict)
    return result


def system_page(system: AISystem, user) -> dict:
    runs = latest_runs(system)
    return {
        "system": system,
        "pack": published_pack(system),
        "runs": runs,
        "flips": flips(system),
        "is_owner": is_owner(user, system),
        "case_count": EvalCase.objects.filter(system=system, status=EvalCase.ACCEPTED).count(),
    }


def suspected_duplicates(report: FieldReport, earlier: list[FieldReport]) -> list[FieldReport]:
    """Earlier reports of the same system whose answer reads almost the same."""
    return [
        other
        for other in earlier
        if other.pk != report.pk
        and other.created_at <= report.created_at
        and similarity(report.answer, other.answer) >= DUPLICATE_SIMILARITY
    ]


def triage_queue(system: AISystem) -> dict:
    """What waits for the owners: new reports (with suspected duplicates), confirmed failures
    by flaw category, context to approve, test cases to accept, answers to judge."""
    new = list(
        FieldReport.objects.filter(system=system, status=FieldReport.NEW)
        .select_related("reporter")
        .prefetch_related("flags")
        .order_by("created_at")
    )
    others = list(
        FieldReport.objects.filter(system=system)
        .exclude(status=FieldReport.DUPLICATE)
        .only("pk", "answer", "created_at", "status")
    )
    for report in new:
        report.suspected = suspected_duplicates(report, others)
    confirmed_flags = Counter(
        ReportFlag.objects.filter(
            report__system=system, report__status=FieldReport.CONFIRMED
        ).values_list("category", flat=True)
    )
    labels = dict(FLAW_CATEGORIES)
    return {
        "new_reports": new,
        "by_category": [(labels[c], n) for c, n in confirmed_flags.most_common() if c in labels],
        "duplicates": FieldReport.objects.filter(system=system, status=FieldReport.DUPLICATE)
        .select_related("duplicate_of")
        .order_by("-decided_at")[:20],
        "notes": SystemContextNote.objects.filter(
            system=system, status=SystemContextNote.PENDING
        ).select_related("author"),
        "cases": EvalCase.objects.filter(system=system, status=EvalCase.PENDING).select_related(
            "author"
        ),
        "to_judge": EvalVerdict.objects.filter(
            run__system=system, verdict=EvalVerdict.PENDING
        ).select_related("case", "run")[:20],
    }


def contributions(user) -> list[dict]:
    """Per system the person contributed to: their reports (with the owners' decisions), what
    of theirs is in the published guidance, and the cases that now pass because of it."""
    systems = AISystem.objects.filter(
        Q(reports__reporter=user) | Q(context_notes__author=user) | Q(eval_cases__author=user)
    ).distinct()
    out = []
    for system in systems.order_by("name"):
        pack = published_pack(system)
        in_guidance, mine = [], set()
        if pack is not None:
            for rule in pack.rules.filter(contributor=user):
                in_guidance.append(("Context", f"[{rule.topic}] {rule.text}"))
                mine.add(rule.source_key)
            for example in pack.examples.filter(contributor=user):
                in_guidance.append(("Gold answer", example.prompt))
                mine.add(example.source_key)
        now_passing = []
        flipped = flips(system)
        for verdict in flipped.fixed:
            if set(verdict.fixed_by) & mine or verdict.case.author_id == user.pk:
                now_passing.append(verdict)
        out.append(
            {
                "system": system,
                "pack": pack,
                "in_guidance": in_guidance,
                "now_passing": now_passing,
                "flips": flipped,
                "reports": FieldReport.objects.filter(system=system, reporter=user).order_by(
                    "-created_at"
                )[:20],
            }
        )
    return out


def contribution_summary(user) -> dict:
    """For the dashboard: how many of the person's contributions are in the guidance each AI
    system runs with now (its latest published pack), and on which systems. One query."""
    latest = GuidancePack.objects.filter(
        version=Subquery(
            GuidancePack.objects.filter(system=OuterRef("system"))
            .order_by("-version")
            .values("version")[:1]
        )
    )
    systems = Counter(
        GuidanceRule.objects.filter(contributor=user, pack__in=latest)
        .order_by()
        .values_list("pack__system__name", flat=True)
        .union(
            GuidanceExample.objects.filter(contributor=user, pack__in=latest)
            .order_by()
            .values_list("pack__system__name", flat=True),
            all=True,
        )
    )
    return {"in_guidance": sum(systems.values()), "systems": sorted(systems)}
