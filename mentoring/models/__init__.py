"""Models of the mentoring app: the company's AI systems and the loop on their real answers.

- ``systems``: the registry (``AISystem``) and the sample stand-in's scripted behaviours.
- ``feedback``: field reports with their flags, corrections, context notes and eval cases.
- ``guidance``: versioned guidance packs and evaluation runs.
"""

from mentoring.models.feedback import (
    FLAW_CATEGORIES,
    EvalCase,
    FieldReport,
    ReportCorrection,
    ReportFlag,
    SystemContextNote,
)
from mentoring.models.guidance import (
    EvalRun,
    EvalVerdict,
    GuidanceExample,
    GuidancePack,
    GuidanceRule,
)
from mentoring.models.systems import AISystem, SystemBehaviour

__all__ = [
    "FLAW_CATEGORIES",
    "AISystem",
    "EvalCase",
    "EvalRun",
    "EvalVerdict",
    "FieldReport",
    "GuidanceExample",
    "GuidancePack",
    "GuidanceRule",
    "ReportCorrection",
    "ReportFlag",
    "SystemBehaviour",
    "SystemContextNote",
]
