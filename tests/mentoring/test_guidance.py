"""Guidance packs: compiled from what owners accepted, versioned with a diff, exported."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from config.errors import ApplicationError
from mentoring.models import GuidancePack
from mentoring.services import feedback, triage
from mentoring.services.ask import examples_for
from mentoring.services.guidance import guidance_diff
from tests.accounts.factories import UserFactory
from tests.challenges.factories import ContextNoteFactory, CorrectionFactory, make_challenge
from tests.mentoring.factories import FIXED_RECEIPT, LOST_RECEIPT, care_system
from tests.mentoring.helpers import publish, taught_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def system():
    return care_system()


@pytest.fixture
def owner(system):
    person = UserFactory()
    system.owners.add(person)
    return person


def test_only_confirmed_and_approved_teaching_enters_the_pack(system, owner):
    taught_report(system=system, reporter=UserFactory(), owner=owner, approve=False)
    publish(system=system, owner=owner)
    with pytest.raises(ApplicationError, match="Nothing changed"):
        publish(system=system, owner=owner)
    pack = GuidancePack.objects.get(system=system)
    assert pack.version == 1 and not pack.rules.exists() and not pack.examples.exists()


def test_publishing_v2_records_the_diff_against_v1(system, owner):
    reporter = UserFactory()
    taught_report(system=system, reporter=reporter, owner=owner, topic="delivery-times")
    v1 = publish(system=system, owner=owner)
    report, note = taught_report(system=system, reporter=reporter, owner=owner)
    preview = guidance_diff(system=system)
    assert preview["from_version"] == 1
    assert [r["source_key"] for r in preview["rules_added"]] == [f"note:{note.pk}"]
    assert [e["source_key"] for e in preview["examples_added"]] == [f"report:{report.pk}"]
    v2 = publish(system=system, owner=owner, notes="Receipts")
    assert (v1.version, v2.version) == (1, 2)
    assert v2.diff == preview
    assert v2.rules.count() == 2 and v2.examples.count() == 2
    with pytest.raises(ApplicationError, match="Nothing changed since guidance v2"):
        publish(system=system, owner=owner)


def test_only_owners_publish(system, owner):
    with pytest.raises(PermissionDenied):
        publish(system=system, owner=UserFactory())


def test_personal_data_stays_out_of_the_pack_until_redacted(system, owner):
    reporter = UserFactory()
    report = feedback.report_create(
        reporter=reporter,
        system=system,
        asked="Jane Roe (jane@example.com) lost her receipt for the kettle",
        answer="Receipts are never needed, Jane.",
        has_personal_data=True,
    )
    feedback.correction_save(
        user=reporter, report=report, text=FIXED_RECEIPT, rationale="Proof of purchase needed."
    )
    triage.report_confirm(report=report, by=owner)
    assert guidance_diff(system=system)["examples_added"] == []
    triage.report_redact(
        report=report,
        by=owner,
        asked="[customer] lost her receipt for the kettle",
        answer="Receipts are never needed, [customer].",
    )
    added = guidance_diff(system=system)["examples_added"]
    assert [e["prompt"] for e in added] == ["[customer] lost her receipt for the kettle"]


def test_challenges_attached_to_the_system_feed_its_guidance(system, owner):
    challenge = make_challenge(ai_system=system)
    other = make_challenge(title="Unattached")
    gold = CorrectionFactory(challenge=challenge, is_gold=True)
    CorrectionFactory(challenge=other, is_gold=True)
    note = ContextNoteFactory(challenge=challenge, status="approved", title="Refund receipts")
    pack = publish(system=system, owner=owner)
    assert [(r.topic, r.source_key) for r in pack.rules.all()] == [
        ("refund-receipts", f"challenge-note:{note.pk}")
    ]
    assert [e.source_key for e in pack.examples.all()] == [f"challenge-correction:{gold.pk}"]


def test_few_shot_pairs_are_chosen_by_relevance_to_the_prompt(system, owner):
    taught_report(system=system, reporter=UserFactory(), owner=owner)
    pack = publish(system=system, owner=owner)
    assert [e.answer for e in examples_for(pack, "My kettle receipt is lost")] == [FIXED_RECEIPT]
    assert examples_for(pack, "Opening hours on Sunday?") == []


def test_guidance_export_writes_the_json_and_the_system_prompt(system, owner, tmp_path):
    report, _ = taught_report(system=system, reporter=UserFactory(), owner=owner)
    publish(system=system, owner=owner)
    call_command("guidance_export", "--system", system.slug, "--out", str(tmp_path))
    data = json.loads((tmp_path / "guidance.json").read_text())
    assert data["system"] == system.slug and data["guidance_version"] == 1
    assert data["rules"][0]["topic"] == "refund-receipts"
    assert data["few_shot"] == [
        {
            "prompt": LOST_RECEIPT,
            "answer": FIXED_RECEIPT,
            "rationale": "Our policy needs a proof of purchase; cash refunds do not exist.",
            "source": f"report:{report.pk}",
        }
    ]
    prompt = (tmp_path / "system_prompt.md").read_text()
    assert prompt.startswith("You draft replies for the customer-care team.")
    assert "[refund-receipts] A refund needs a proof of purchase" in prompt
