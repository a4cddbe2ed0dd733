"""The AI systems registry in the Wagtail admin, and challenges that ask their system."""

import uuid

import pytest
from django.urls import reverse

from accounts import roles
from challenges.models import Behaviour, TestCase
from mentoring.models import AISystem
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge
from tests.mentoring.factories import FIXED_RECEIPT, LOST_RECEIPT, care_system
from tests.mentoring.helpers import publish, taught_report

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/snippets/mentoring/aisystem/add/"


def system_form(**overrides):
    data = {
        "name": "Care reply drafter",
        "slug": "care-drafter",
        "purpose": "Drafts replies for the care team.",
        "team": "",
        "model_version": "2026-11",
        "provider": "openai",
        "base_url": "https://llm.example.com/v1",
        "model": "care-llm",
        "api_key_env": "CARE_DRAFTER_KEY",
        "system_prompt": "You draft replies.",
        "behaviours-TOTAL_FORMS": "0",
        "behaviours-INITIAL_FORMS": "0",
        "behaviours-MIN_NUM_FORMS": "0",
        "behaviours-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_an_ld_manager_registers_a_system_in_the_admin(client):
    manager = UserFactory(roles=[roles.LD_MANAGER])
    owner = UserFactory()
    client.force_login(manager)
    response = client.post(ADD_URL, system_form(owners=[owner.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    system = AISystem.objects.get(slug="care-drafter")
    assert (system.provider, system.model, system.api_key_env) == (
        "openai",
        "care-llm",
        "CARE_DRAFTER_KEY",
    )
    assert list(system.owners.all()) == [owner]


def test_a_key_pasted_where_its_variable_name_belongs_is_refused(client):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    response = client.post(ADD_URL, system_form(api_key_env="sk-live-1234567890abcdef"))
    assert response.status_code == 200
    assert "never the key itself" in response.content.decode()
    assert not AISystem.objects.exists()


def test_an_employee_cannot_reach_the_registry(client):
    client.force_login(UserFactory())
    response = client.get(ADD_URL)
    assert response.status_code in (302, 403)
    assert not AISystem.objects.exists()


def test_the_test_step_of_an_attached_challenge_asks_the_system_with_its_guidance(client):
    system = care_system()
    owner, employee = UserFactory(), UserFactory()
    system.owners.add(owner)
    challenge = make_challenge(ai_system=system)
    # L&D says which context fixes the challenge's planted blind spot.
    Behaviour.objects.filter(page=challenge).update(
        fixed_by_topic="refund-receipts", fixed_response=FIXED_RECEIPT
    )
    taught_report(system=system, reporter=UserFactory(), owner=owner)
    publish(system=system, owner=owner)
    client.force_login(employee)
    response = client.post(
        reverse("challenges:test", args=[challenge.pk]),
        {
            "input_text": LOST_RECEIPT,
            "must": "Ask for a proof of purchase",
            "must_not": "Promise cash",
            "client_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    test_case = TestCase.objects.get(user=employee)
    # The challenge's behaviour matched, and the system's published guidance fixed it.
    assert test_case.response == FIXED_RECEIPT
    assert test_case.provider == "sample"


def test_the_challenge_page_names_the_system_and_says_the_sample_is_a_stand_in(client):
    system = care_system(name="Care reply drafter")
    challenge = make_challenge(ai_system=system)
    client.force_login(UserFactory())
    html = client.get(challenge.url).content.decode()
    assert "the company system <strong>Care reply drafter</strong>" in html
    assert "This is a demo stand-in: scripted answers, not a real model" in html
