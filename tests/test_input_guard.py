"""Hostile input over HTTP: a 4xx with a clear message, nothing half-stored, input shown back.

Each case is one the issue measured as a 500 (on PostgreSQL, most also on SQLite). The test
settings run with DEBUG off, as production does.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts import roles
from challenges.models import Correction, Draft, FlagSubmission
from courses.models import ReflectionAnswer
from leaderboard.models import Kudos
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import REFLECTION_ID, lesson_page, module_page, reflection_block

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "contains a NUL character"


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def employee():
    client = Client(raise_request_exception=False)
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def challenge():
    return make_challenge()


def refused(response, status=400) -> str:
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


@pytest.mark.parametrize("query", ["q=a%00b", "q=%ff%fe", "q=%ed%a0%80", "q=ok&%00=x"])
def test_search_query_with_nul_or_bad_utf8_is_a_400_for_anyone(anonymous, query):
    body = refused(anonymous.get(f"/learn/search/?{query}"))
    assert "We could not read what was sent" in body


def test_nul_in_the_address_is_a_400(anonymous):
    refused(anonymous.get("/learn/a%00b/"))


def test_kudos_message_with_nul_is_refused_and_nothing_stored(employee):
    colleague = UserFactory()
    body = refused(
        employee.post(f"/leaderboard/people/{colleague.pk}/kudos/", {"message": "Thanks\x00!"})
    )
    assert NUL_MESSAGE in body
    # What was typed is shown back (the NUL made visible), so nothing is lost.
    assert "Thanks\ufffd!" in body
    assert not Kudos.objects.exists()


def test_flag_note_with_nul_is_refused(employee, challenge):
    response = employee.post(
        f"/challenge/{challenge.pk}/observe/",
        {"s0": "on", "s0-category": "1", "s0-note": "made up\x00"},
    )
    assert NUL_MESSAGE in refused(response)
    assert not FlagSubmission.objects.exists()


def test_correction_with_nul_is_refused_and_no_draft_kept(employee, challenge):
    text = "A rewrite long enough to pass the length rule\x00"
    response = employee.post(
        f"/challenge/{challenge.pk}/correct/",
        {"text": text, "rationale": "Because the refund policy was invented."},
    )
    assert NUL_MESSAGE in refused(response)
    assert not Correction.objects.exists()
    assert not Draft.objects.exists()


def test_multipart_form_with_nul_is_refused(employee, challenge):
    response = employee.post(
        f"/challenge/{challenge.pk}/reflect/",
        {"what_changed": "x\x00", "what_remains": "y", "f": SimpleUploadedFile("a.txt", b"z")},
    )
    assert NUL_MESSAGE in refused(response)


def test_context_library_filter_with_nul_is_refused(employee):
    for query in ("q=a%00", "skill=a%00", "kind=%00"):
        refused(employee.get(f"/challenge/library/?{query}"))


def test_lesson_reflection_with_nul_is_refused(employee):
    lesson = lesson_page(module_page(), body=[reflection_block()])
    response = employee.post(
        f"/learn/lessons/{lesson.pk}/reflections/{REFLECTION_ID}/", {"text": "I learnt\x00"}
    )
    assert NUL_MESSAGE in refused(response)
    assert not ReflectionAnswer.objects.exists()


def test_repeated_field_on_observe_is_a_form_error_with_the_input_shown_back(employee, challenge):
    response = employee.post(
        f"/challenge/{challenge.pk}/observe/",
        {"span-x-start": ["3", "9"], "span-x-end": "20", "span-x-note": "my own words"},
    )
    body = refused(response)
    assert "came more than once" in body
    assert "span-x-start" in body
    assert "my own words" in body
    assert not FlagSubmission.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"span-x-start": ["1", "2"], "span-x-end": "5"},
        {"s0-category": ["1", "2"], "s0": {"nested": True}},
        {"text": 12, "s0": None, "s0-note": ["a", "b"], "skills": "1"},
        ["not", "an", "object"],
        "just text",
    ],
)
def test_a_stored_bad_draft_never_breaks_the_challenge_page(employee, challenge, data):
    for step in ("observe", "correct", "context", "reflect"):
        Draft.objects.create(user=employee.user, challenge=challenge, step=step, data=data)
    response = employee.get(challenge.url)
    assert response.status_code == 200


def test_draft_with_repeated_field_is_refused_on_save(employee, challenge):
    url = f"/challenge/{challenge.pk}/draft/observe/"
    response = employee.post(url, {"span-x-start": ["1", "2"], "span-x-end": "5"})
    assert "more than once" in refused(response).replace("\\u201c", "“")
    assert not Draft.objects.exists()
    response = employee.post(
        url,
        json.dumps({"data": {"span-x-start": ["1", "2"]}}),
        content_type="application/json",
    )
    refused(response)
    assert not Draft.objects.exists()


def test_multi_valued_draft_field_is_still_saved(employee, challenge):
    response = employee.post(
        f"/challenge/{challenge.pk}/draft/context/",
        json.dumps({"data": {"title": "Refunds", "skills": ["1", "2"]}}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Draft.objects.get().data == {"title": "Refunds", "skills": ["1", "2"]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested deeper than"),
        ('{"data": ' * 50_000 + "{}" + "}" * 50_000, "nested deeper than"),
        ('{"data": {"text": "a\\u0000"}}', NUL_MESSAGE),
        ('{"data": {"text": "a\\ud800"}}', "surrogate"),
        ('{"data": {"text": "open', "not valid JSON"),
        ('{"data": {"text": "x"}', "not valid JSON"),
        ("[]", "JSON object"),
        ("{}", "JSON object"),
        ('{"data": "text"}', "JSON object"),
        ('{"data": {"text": {"nested": 1}}}', "must be text"),
    ],
)
def test_draft_endpoint_refuses_bad_json_with_a_clear_400(employee, challenge, body, message):
    Draft.objects.create(user=employee.user, challenge=challenge, step="correct", data={"t": "x"})
    response = employee.post(
        f"/challenge/{challenge.pk}/draft/correct/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert Draft.objects.get().data == {"t": "x"}


def test_draft_endpoint_refuses_invalid_utf8_json(employee, challenge):
    response = employee.post(
        f"/challenge/{challenge.pk}/draft/correct/",
        b'{"data": {"text": "\xff\xfe"}}',
        content_type="application/json",
    )
    assert "not valid UTF-8" in refused(response)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", ""])
def test_draft_in_another_content_type_is_a_415_and_keeps_the_saved_draft(
    employee, challenge, content_type
):
    Draft.objects.create(user=employee.user, challenge=challenge, step="correct", data={"t": "x"})
    response = employee.post(
        f"/challenge/{challenge.pk}/draft/correct/",
        json.dumps({"data": {"t": "y"}}),
        content_type=content_type,
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]
    assert Draft.objects.get().data == {"t": "x"}


def test_onboarding_csv_with_a_huge_cell_names_the_row(client):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    text = (
        "email,team,display_name\n"
        "ok@example.com,Claims,Ok\n"
        f"big@example.com,Claims,{'x' * 1_000_000}\n"
        f'huge@example.com,Claims,"{"y" * 200_000}"\n'
        "nul@example.com,Claims,a\x00b\n"
        f"long@example.com,{'z' * 5000},Long\n"
        "fine@example.com,Claims,Fine\n"
    )
    response = client.post(
        "/admin/programme/onboarding/",
        {"file": SimpleUploadedFile("people.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    errors = {row.line: row.errors for row in preview.rows if row.errors}
    assert errors[3] == ["A cell of this row is longer than 1000 characters."]
    assert errors[4] == ["A cell of this row is longer than 1000 characters."]
    assert errors[5] == ["The display_name cell contains a NUL character."]
    assert errors[6] == ["The team cell is longer than 1000 characters."]
    assert [row.email for row in preview.rows if not row.errors] == [
        "ok@example.com",
        "fine@example.com",
    ]
    assert len(response.content) < 200_000


@pytest.mark.parametrize("content", ["\r0", 'email,team\r"a@example.com,\x0b', "\r\n\r\n"])
def test_onboarding_confirmation_of_odd_text_is_a_clear_error(client, content):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    response = client.post("/admin/programme/onboarding/", {"confirm": "1", "content": content})
    assert response.status_code == 200
    assert response.context["preview"].file_errors or any(
        row.errors for row in response.context["preview"].rows
    )


def test_api_gets_the_guard_error_in_its_own_shape(employee):
    response = employee.post(
        "/api/v1/feedback/", '{"answer": "a\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.json()["detail"]
