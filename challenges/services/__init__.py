"""Every write of the challenges app that has business rules, one module per loop step.

Services are keyword-only and atomic; a rule that refuses a request raises
``config.errors.ApplicationError`` with full-sentence messages for the user (``PermissionDenied``
only for who may ask at all, such as L&D-only actions), and they award points only through
``leaderboard.services.points_award`` (idempotent per source key, so retries never double-count).
"""

from challenges.services.context import (
    context_note_endorse,
    context_note_review,
    context_note_submit,
)
from challenges.services.correct import (
    correction_mark_gold,
    correction_submit,
    review_check,
    review_submit,
)
from challenges.services.drafts import draft_discard, draft_save
from challenges.services.observe import FlagInput, flags_submit
from challenges.services.reflect import reflection_submit, reflection_upvote
from challenges.services.testing import eval_run, testcase_judge, testcase_run
from challenges.services.weeks import (
    week_finalise,
    week_for,
    week_id_for,
    week_save,
    weeks_close,
    weeks_close_schedule,
)

__all__ = [
    "FlagInput",
    "context_note_endorse",
    "context_note_review",
    "context_note_submit",
    "correction_mark_gold",
    "correction_submit",
    "draft_discard",
    "draft_save",
    "eval_run",
    "flags_submit",
    "reflection_submit",
    "reflection_upvote",
    "review_check",
    "review_submit",
    "testcase_judge",
    "testcase_run",
    "week_finalise",
    "week_for",
    "week_id_for",
    "week_save",
    "weeks_close",
    "weeks_close_schedule",
]
