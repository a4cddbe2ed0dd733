"""Owners' decisions: points only on confirmation, under the daily cap; judging eval answers."""

import pytest
from django.urls import reverse

from leaderboard.models import PointsAward
from mentoring.models import EvalCase, EvalRun, EvalVerdict
from mentoring.services import feedback, triage
from mentoring.services.evals import evals_run
from tests.accounts.factories import UserFactory
from tests.mentoring.factories import NO_RECEIPT_NEEDED, care_system

pytestmark = pytest.mark.django_db


def test_confirmed_reports_earn_points_only_up_to_the_daily_cap(settings):
    settings.LEADERBOARD_DAILY_CAPS = {
        **settings.LEADERBOARD_DAILY_CAPS,
        "fieldreport.confirmed": 50,
    }
    system = care_system()
    owner, reporter = UserFactory(), UserFactory()
    system.owners.add(owner)
    for n in range(3):
        report = feedback.report_create(
            reporter=reporter, system=system, asked=f"Question {n}", answer=NO_RECEIPT_NEEDED
        )
        triage.report_confirm(report=report, by=owner)
    amounts = PointsAward.objects.filter(user=reporter).order_by("pk")
    assert list(amounts.values_list("amount", flat=True)) == [30, 20]  # the third: none


def test_an_owner_judges_an_answer_the_phrase_checks_could_not(client):
    system = care_system()
    owner, author = UserFactory(), UserFactory()
    system.owners.add(owner)
    EvalCase.objects.create(
        system=system,
        author=author,
        source_key="manual:1",
        input="Please explain the returns policy kindly.",
        must="Be kind",
        must_not="Be rude",
        status=EvalCase.ACCEPTED,
    )
    run = evals_run(system=system, guidance=None)
    verdict = run.verdicts.get()
    assert (run.pending, verdict.verdict) == (1, EvalVerdict.PENDING)
    url = reverse("mentoring:verdict_judge", args=[verdict.pk])
    client.force_login(author)
    client.post(url, {"approve": "yes"})  # not an owner: refused with a message
    assert EvalVerdict.objects.get(pk=verdict.pk).verdict == EvalVerdict.PENDING
    client.force_login(owner)
    queue = client.get(reverse("mentoring:triage", args=[system.slug])).content.decode()
    assert "Please explain the returns policy kindly." in queue
    client.post(url, {"approve": "no"})
    client.post(url, {"approve": "yes"})  # already judged: refused
    run = EvalRun.objects.get(pk=run.pk)
    assert (run.passed, run.failed, run.pending) == (0, 1, 0)
    assert EvalVerdict.objects.get(pk=verdict.pk).verdict == EvalVerdict.FAIL
