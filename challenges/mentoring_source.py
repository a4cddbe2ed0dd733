"""What the challenges attached to an AI system contribute to its guidance and eval suite.

Registered with ``mentoring.sources`` in ``ChallengesConfig.ready()``: the arrow points from
challenges to mentoring, so mentoring never imports this app.
"""

from django.utils.text import slugify

from challenges.models import ContextNote, Correction, TestCase
from mentoring.sources import CaseItem, ExampleItem, RuleItem


class ChallengeSource:
    """Approved context notes (rules), gold corrections (pairs), settled test cases (suite)."""

    def rules(self, system) -> list[RuleItem]:
        notes = ContextNote.objects.filter(
            challenge__ai_system=system, status=ContextNote.APPROVED
        ).order_by("pk")
        return [
            RuleItem(slugify(n.title)[:60], n.text, f"challenge-note:{n.pk}", n.user_id)
            for n in notes
        ]

    def examples(self, system) -> list[ExampleItem]:
        golds = (
            Correction.objects.filter(challenge__ai_system=system, is_gold=True)
            .select_related("challenge")
            .order_by("pk")
        )
        return [
            ExampleItem(
                c.challenge.prompt, c.text, c.rationale, f"challenge-correction:{c.pk}", c.user_id
            )
            for c in golds
        ]

    def cases(self, system) -> list[CaseItem]:
        settled = TestCase.objects.filter(
            challenge__ai_system=system, status__in=[TestCase.PASSED, TestCase.BLIND_SPOT]
        ).order_by("pk")
        return [
            CaseItem(t.input, t.must, t.must_not, f"challenge-testcase:{t.pk}", t.user_id)
            for t in settled
        ]


SOURCE = ChallengeSource()
