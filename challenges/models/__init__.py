"""Models of the challenges app, one module per concern.

- ``taxonomy``: the flaw categories (an editable snippet).
- ``pages``: the Wagtail pages an L&D author writes (challenges with their answer keys and the
  sample AI's scripted behaviours).
- ``records``: what employees produce in the steps of the mentoring loop, plus drafts; the
  shared ``StepRecord`` base.
- ``evaluation``: the Test step (test cases, judgements, blind spots found) and the runs of a
  challenge's evaluation suite.
- ``weeks``: challenge weeks, the time-boxed team competitions.

Every record links its user, its challenge and ``created_at`` so challenge weeks can count it and
the corpus export can ship it.
"""

from challenges.models.evaluation import (
    BlindSpotDiscovery,
    EvalResult,
    EvalRun,
    TestCase,
    TestJudgement,
)
from challenges.models.pages import (
    Behaviour,
    ChallengeIndexPage,
    ChallengePage,
    Flaw,
)
from challenges.models.records import (
    ContextNote,
    Correction,
    Criterion,
    Draft,
    Endorsement,
    Flag,
    FlagSubmission,
    Reflection,
    Review,
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
