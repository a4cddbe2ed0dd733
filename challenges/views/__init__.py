"""Plain views of the challenges app, one module per concern (the URLconf imports them here).

- ``steps``: the loop steps' posts (Observe, Correct, Context, Test, Reflect) and drafts;
- ``reviews``: the review queue, peer review of a correction, test-case verdicts, gold;
- ``library``: the Context Library, endorsements, L&D's decisions, reflection upvotes;
- ``weeks``: challenge weeks and their results;
- ``evaluation``: L&D's evaluation suite of a challenge.

The challenge page itself is a Wagtail page (``ChallengePage.serve``); the step forms post here.
Views translate: they parse with a form, call a service or selector, and turn an
``ApplicationError`` into what the user sees.
"""

from challenges.views.evaluation import evaluation
from challenges.views.library import (
    context_endorse,
    context_library,
    context_review,
    insights,
    reflection_upvote,
)
from challenges.views.reviews import (
    correction_gold,
    review_correction,
    review_queue,
    testcase_judge,
)
from challenges.views.steps import (
    context_submit,
    correct_submit,
    draft_save,
    observe_submit,
    reflect_submit,
    test_submit,
)
from challenges.views.weeks import week_results, weeks

__all__ = [
    "context_endorse",
    "context_library",
    "context_review",
    "context_submit",
    "correct_submit",
    "correction_gold",
    "draft_save",
    "evaluation",
    "insights",
    "observe_submit",
    "reflect_submit",
    "reflection_upvote",
    "review_correction",
    "review_queue",
    "test_submit",
    "testcase_judge",
    "week_results",
    "weeks",
]
