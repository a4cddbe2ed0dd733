"""Models of the challenges app, one module per concern.

- ``taxonomy``: the flaw categories (an editable snippet).
- ``pages``: the Wagtail pages an L&D author writes (challenges with their answer keys and the
  sample AI's scripted behaviours).
- ``records``: what employees produce in the five steps of the mentoring loop, plus drafts.
- ``weeks``: challenge weeks, the time-boxed team competitions.

Every record links its user, its challenge and ``created_at`` so challenge weeks can count it and
the corpus export can ship it.
"""

from challenges.models.pages import (
    Behaviour,
    ChallengeIndexPage,
    ChallengePage,
    Flaw,
)
from challenges.models.records import (
    BlindSpotDiscovery,
    ContextNote,
    Correction,
    Criterion,
    Draft,
    Endorsement,
    EvalResult,
    EvalRun,
    Flag,
    FlagSubmission,
    Reflection,
    Review,
    TestCase,
    TestJudgement,
    Upvote,
)
from challenges.models.taxonomy import FlawCategory
from challenges.models.weeks import ChallengeWeek

__all__ = [
    "Behaviour",
    "BlindSpotDiscovery",
    "ChallengeIndexPage",
    "ChallengePage",
    "ChallengeWeek",
    "ContextNote",
    "Correction",
    "Criterion",
    "Draft",
    "Endorsement",
    "EvalResult",
    "EvalRun",
    "Flag",
    "FlagSubmission",
    "Flaw",
    "FlawCategory",
    "Reflection",
    "Review",
    "TestCase",
    "TestJudgement",
    "Upvote",
]
