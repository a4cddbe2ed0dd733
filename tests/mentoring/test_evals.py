"""evals_run: the suite against a model version x guidance version, with automatic verdicts."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mentoring.models import EvalCase, EvalRun, EvalVerdict
from mentoring.services import feedback, triage
from mentoring.services.evals import phrase_verdict
from tests.accounts.factories import UserFactory
from tests.challenges.factories import TestCaseFactory, make_challenge
from tests.mentoring.factories import LOST_RECEIPT, care_system
from tests.mentoring.helpers import publish, taught_report

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    call_command("evals_run", *args)
    return capsys.readouterr().out.strip().splitlines()


def test_phrase_checks_decide_what_they_can_and_queue_the_rest():
    passed = phrase_verdict(
        response="Bring a bank statement.", must='"bank statement"', must_not=""
    )
    assert passed[0] == "pass"
    assert phrase_verdict(
        response="Cash on the spot!", must='Mention "proof"', must_not='"cash"'
    ) == ("fail", "Says “cash”, which a good answer must not.")
    assert phrase_verdict(response="Hi", must="Be kind", must_not="Be rude")[0] == "pending"


def test_a_case_that_failed_under_v1_passes_under_v2(capsys):
    system = care_system()
    owner, reporter = UserFactory(), UserFactory()
    system.owners.add(owner)
    taught_report(system=system, reporter=reporter, owner=owner, topic="delivery-times")
    publish(system=system, owner=owner)
    report, _ = taught_report(system=system, reporter=reporter, owner=owner)
    case = feedback.case_add(
        user=reporter,
        report=report,
        input_text=LOST_RECEIPT,
        must='Ask for a "proof of purchase"',
        must_not='Never say "never needed"',
    )
    unjudgeable = feedback.case_add(
        user=reporter,
        report=report,
        input_text="Can you explain the refund rules kindly?",
        must="Be kind and clear",
        must_not="Blame the customer",
    )
    triage.case_decide(case=case, by=owner, accept=True)
    triage.case_decide(case=unjudgeable, by=owner, accept=True)
    assert run(capsys, "--system", system.slug, "--guidance", "1")[-1] == "pass rate 0% (0/2)"
    publish(system=system, owner=owner)
    lines = run(capsys, "--system", system.slug, "--guidance", "2")
    assert lines[-1] == "pass rate 50% (1/2)"
    assert run(capsys, "--system", system.slug, "--guidance", "none")[-1] == ("pass rate 0% (0/2)")
    v1, v2 = EvalRun.objects.filter(guidance_version__in=[1, 2]).order_by("guidance_version")
    assert v1.verdicts.get(case=case).verdict == EvalVerdict.FAIL
    assert v2.verdicts.get(case=case).verdict == EvalVerdict.PASS
    assert v2.verdicts.get(case=unjudgeable).verdict == EvalVerdict.PENDING
    assert (v2.passed, v2.failed, v2.pending, v2.model_version) == (1, 0, 1, "m1")


def test_settled_test_cases_of_attached_challenges_join_the_suite(capsys):
    system = care_system()
    challenge = make_challenge(ai_system=system)
    settled = TestCaseFactory(challenge=challenge, status="blind_spot")
    TestCaseFactory(challenge=challenge, status="open")
    TestCaseFactory(challenge=make_challenge(title="Other"), status="passed")
    assert run(capsys, "--system", system.slug)[-1].startswith("pass rate")
    assert list(EvalCase.objects.values_list("source_key", flat=True)) == [
        f"challenge-testcase:{settled.pk}"
    ]


def test_unknown_systems_and_versions_are_refused_clearly():
    system = care_system()
    with pytest.raises(CommandError, match="no AI system"):
        call_command("evals_run", "--system", "nope")
    with pytest.raises(CommandError, match="no guidance v3"):
        call_command("evals_run", "--system", system.slug, "--guidance", "3")
