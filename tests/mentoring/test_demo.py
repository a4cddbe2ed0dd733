"""seed_demo registers three AI systems with before/after eval runs and reports in every state."""

import pytest
from django.core.management import call_command

from challenges.models import ChallengePage
from mentoring.models import AISystem, FieldReport
from mentoring.selectors import latest_runs


@pytest.mark.django_db
def test_the_demo_shows_mentoring_improving_three_systems(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    systems = AISystem.objects.order_by("slug")
    assert [s.slug for s in systems] == [
        "care-reply-drafter",
        "compliance-assistant",
        "cv-screening-summariser",
    ]
    for system in systems:
        assert list(system.packs.values_list("version", flat=True)) == [2, 1]
        rates = [(r.guidance_label, r.passed, r.total) for r in latest_runs(system)]
        assert rates == [("none", 0, 2), ("v1", 1, 2), ("v2", 2, 2)], system.slug
        assert ChallengePage.objects.filter(ai_system=system).exists()
        states = set(FieldReport.objects.filter(system=system).values_list("status", flat=True))
        assert states == {"new", "confirmed", "duplicate", "rejected"}
    assert FieldReport.objects.count() >= 12
    assert FieldReport.objects.filter(has_personal_data=True, redacted_at=None).exists()
