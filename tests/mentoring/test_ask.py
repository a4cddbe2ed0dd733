"""Asking a system: the honest sample stand-in, guidance that changes its answer, and the
``openai`` path with the guidance in the messages (a real loopback server, no mock)."""

import pytest

from mentoring.ai.sample import GENERIC_REPLY
from mentoring.models import AISystem
from mentoring.services.ask import system_ask
from tests.accounts.factories import UserFactory
from tests.mentoring.factories import (
    FIXED_RECEIPT,
    LOST_RECEIPT,
    NO_RECEIPT_NEEDED,
    AISystemFactory,
    care_system,
)
from tests.mentoring.helpers import publish, taught_report
from tests.mentoring.test_providers import FakeOpenAI, completion

pytestmark = pytest.mark.django_db


def test_an_input_no_behaviour_matches_gets_a_marked_generic_reply_not_an_output():
    system = care_system()
    asked = system_ask(system=system, prompt="Book me a 14-hour flight to Singapore, please.")
    assert asked.result.text == GENERIC_REPLY
    assert asked.result.generic and "Demo stand-in" in asked.result.text
    assert NO_RECEIPT_NEEDED not in asked.result.text


def test_published_guidance_with_the_fixing_topic_changes_the_sample_answer():
    system = care_system()
    owner, reporter = UserFactory(), UserFactory()
    system.owners.add(owner)
    before = system_ask(system=system, prompt=LOST_RECEIPT)
    assert before.result.text == NO_RECEIPT_NEEDED and before.used == []
    _, note = taught_report(system=system, reporter=reporter, owner=owner)
    assert system_ask(system=system, prompt=LOST_RECEIPT).result.text == NO_RECEIPT_NEEDED
    publish(system=system, owner=owner)
    after = system_ask(system=system, prompt=LOST_RECEIPT)
    assert after.result.text == FIXED_RECEIPT
    assert after.used == [f"note:{note.pk}"]
    # The same system asked with no guidance answers as before.
    assert system_ask(system=system, prompt=LOST_RECEIPT, guidance=None).result.text == (
        NO_RECEIPT_NEEDED
    )


def test_guidance_from_another_topic_does_not_fix_the_behaviour():
    system = care_system()
    owner = UserFactory()
    system.owners.add(owner)
    taught_report(system=system, reporter=UserFactory(), owner=owner, topic="delivery-times")
    publish(system=system, owner=owner)
    assert system_ask(system=system, prompt=LOST_RECEIPT).result.text == NO_RECEIPT_NEEDED


def test_the_openai_system_gets_its_guidance_in_the_messages_and_its_key_from_the_env(
    monkeypatch,
):
    monkeypatch.setenv("CARE_BOT_KEY", "k-from-env")
    with FakeOpenAI([(200, completion("Sure."), 0)] * 3) as server:
        system = AISystemFactory(
            provider=AISystem.OPENAI,
            base_url=server.url,
            model="care-llm",
            api_key_env="CARE_BOT_KEY",
        )
        owner = UserFactory()
        system.owners.add(owner)
        report, note = taught_report(system=system, reporter=UserFactory(), owner=owner)
        publish(system=system, owner=owner)
        asked = system_ask(system=system, prompt="Lost the receipt for my kettle: refund?")
        unrelated = system_ask(system=system, prompt="What are your opening hours?")
    assert asked.result.text == "Sure." and asked.result.provider == "openai"
    sent = server.requests[0]
    assert sent["auth"] == "Bearer k-from-env"
    assert sent["body"]["model"] == "care-llm"
    messages = sent["body"]["messages"]
    assert messages[0]["role"] == "system"
    assert "You draft replies for the customer-care team." in messages[0]["content"]
    assert "[refund-receipts] A refund needs a proof of purchase" in messages[0]["content"]
    # The relevant gold pair goes in as a few-shot turn before the real prompt.
    assert messages[1:] == [
        {"role": "user", "content": LOST_RECEIPT},
        {"role": "assistant", "content": FIXED_RECEIPT},
        {"role": "user", "content": "Lost the receipt for my kettle: refund?"},
    ]
    assert set(asked.used) == {f"note:{note.pk}", f"report:{report.pk}"}
    # A prompt sharing no word with the pair gets the rules but no few-shot pair.
    other = server.requests[1]["body"]["messages"]
    assert [m["role"] for m in other] == ["system", "user"]
    assert unrelated.used == [f"note:{note.pk}"]
