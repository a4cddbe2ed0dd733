"""Property-based tests: every form and the draft endpoint take any text without a server error.

Two layers. Each form class, bound to arbitrary values (NUL, huge, repeated fields, wrong
types), validates without raising. Each form's endpoint, posted arbitrary text over HTTP
(NUL, lone surrogates sent as the invalid UTF-8 a client would send, huge values), answers
below 500, and NUL or invalid UTF-8 gets the input guard's 400. Lone surrogates are tried only
over HTTP: a request can carry them only as invalid UTF-8, which never reaches a form.
Example counts stay small so the suite stays fast.
"""

import json
from urllib.parse import quote_from_bytes

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts import roles
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import (
    QUIZ_ID,
    REFLECTION_ID,
    lesson_page,
    module_page,
    quiz_block,
    reflection_block,
)

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=12,
    # Fixed examples: the suite runs twice in CI and must not turn red by chance.
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
HOSTILE_CHARS = "\x00\ufffe\u202e'\"<>&=+-@%\t\r\n;,{}[]\\ "
huge = st.builds(lambda c, n: c * n, st.sampled_from("x9\x00é"), st.integers(5_000, 120_000))
text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from(HOSTILE_CHARS), max_size=30),
    st.sampled_from(["", "-1", "0", "1", "99999999999999999999", "2026-02-30", "on", "null"]),
    huge,
)
# A field sent once, or repeated (as a form post can).
values = st.one_of(text.map(lambda v: [v]), st.lists(text, min_size=2, max_size=3))
surrogate_text = st.one_of(text, st.text(alphabet=st.sampled_from("\ud800\udfffa\x00")))


def form_data(names) -> st.SearchStrategy[QueryDict]:
    def build(chosen: dict) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, vals in chosen.items():
            data.setlist(name, vals)
        return data

    return st.fixed_dictionaries(dict.fromkeys(names, values)).map(build)


# FORMS -------------------------------------------------------------------------------------


def _forms(user):
    from accounts.forms import ProfileForm, SignupExtraForm
    from accounts.wagtail_hooks import InvitationEditForm, InvitationForm
    from challenges.forms import (
        ContextNoteForm,
        CorrectionForm,
        JudgementForm,
        ReflectionForm,
        ReviewForm,
        TestCaseForm,
    )
    from courses.forms import AssignmentForm
    from courses.models import Skill
    from home.forms import (
        AnalyticsFilterForm,
        InsightsFilterForm,
        OnboardingUploadForm,
    )
    from leaderboard.forms import ManualAwardForm
    from notifications.forms import NotificationPreferenceForm
    from notifications.models import NotificationPreference

    return [
        (SignupExtraForm, {}),
        (ProfileForm, {"instance": user}),
        (InvitationForm, {}),
        (InvitationEditForm, {}),
        (CorrectionForm, {}),
        (ReviewForm, {}),
        (ContextNoteForm, {"skills": list(Skill.objects.all())}),
        (TestCaseForm, {}),
        (JudgementForm, {}),
        (ReflectionForm, {}),
        (AssignmentForm, {}),
        (NotificationPreferenceForm, {"instance": NotificationPreference(user=user)}),
        (InsightsFilterForm, {}),
        (OnboardingUploadForm, {}),
        (AnalyticsFilterForm, {}),
        (ManualAwardForm, {}),
    ]


def form_fuzz(form_class, kwargs: dict):
    names = [*form_class.base_fields, "unexpected"]

    @FUZZ
    @given(data=form_data(names), upload=st.binary(max_size=200))
    def check(data, upload):
        files = {"file": SimpleUploadedFile("x.csv", upload)}
        form = form_class(data=data, files=files, **kwargs)
        valid = form.is_valid()
        for name, field_values in data.lists():
            field = form.base_fields.get(name)
            # Every text field refuses NUL (Django's ProhibitNullCharactersValidator).
            if isinstance(field, forms.CharField) and "\x00" in field_values[-1]:
                assert not valid, (form_class.__name__, name)

    check()


def test_every_form_validates_any_input_without_raising():
    user = UserFactory(team=TeamFactory())
    for form_class, kwargs in _forms(user):
        form_fuzz(form_class, kwargs)


# ENDPOINTS ---------------------------------------------------------------------------------


def urlencoded(fields: dict[str, list[str]]) -> bytes:
    """A form body as a client would send it; lone surrogates become invalid UTF-8 bytes."""
    pairs = []
    for name, vals in fields.items():
        for value in vals:
            key = quote_from_bytes(name.encode("utf-8", "surrogatepass"))
            pairs.append(f"{key}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}")
    return "&".join(pairs).encode()


def _has_unreadable(fields: dict[str, list[str]]) -> bool:
    return any(
        "\x00" in s or any(0xD800 <= ord(c) <= 0xDFFF for c in s)
        for name, vals in fields.items()
        for s in [name, *vals]
    )


def post_fuzz(client: Client, url: str, names: list[str]):
    @FUZZ
    @given(
        st.fixed_dictionaries(
            {
                name: st.one_of(
                    surrogate_text.map(lambda v: [v]), st.lists(surrogate_text, max_size=3)
                )
                for name in names
            }
        )
    )
    def check(fields):
        response = client.post(
            url, urlencoded(fields), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500, (url, fields)
        if _has_unreadable(fields):
            assert response.status_code == 400, (url, response.status_code)

    check()


@pytest.fixture
def employee_client():
    client = Client(raise_request_exception=False)
    user = UserFactory(team=TeamFactory())
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def manager_client():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(roles=[roles.LD_MANAGER], team=TeamFactory()))
    return client


def test_challenge_step_forms_never_fail_on_any_input(employee_client):
    challenge = make_challenge()
    base = f"/challenge/{challenge.pk}"
    post_fuzz(employee_client, f"{base}/observe/", ["s0", "s0-category", "s0-note", "span-a-start"])
    post_fuzz(employee_client, f"{base}/correct/", ["text", "rationale"])
    post_fuzz(employee_client, f"{base}/context/", ["client_token", "kind", "title", "skills"])
    post_fuzz(employee_client, f"{base}/test/", ["client_token", "input_text", "must", "must_not"])
    post_fuzz(employee_client, f"{base}/reflect/", ["what_changed", "what_remains", "shared"])


def test_review_and_judgement_forms_never_fail_on_any_input(employee_client):
    from challenges.services.correct import correction_submit

    correction = correction_submit(
        user=UserFactory(),
        challenge=make_challenge(),
        text="You can return the kettle within 30 days with proof of purchase.",
        rationale="The AI invented the refund policy.",
    )
    post_fuzz(
        employee_client,
        f"/challenge/reviews/{correction.pk}/",
        ["accuracy", "tone", "completeness", "policy_fit", "comment"],
    )
    post_fuzz(employee_client, "/challenge/testcases/1/judge/", ["verdict"])


def test_learning_and_people_forms_never_fail_on_any_input(employee_client):
    lesson = lesson_page(module_page(), body=[quiz_block(), reflection_block()])
    post_fuzz(employee_client, f"/learn/lessons/{lesson.pk}/quiz/{QUIZ_ID}/", ["q-0", "q-1"])
    post_fuzz(employee_client, f"/learn/lessons/{lesson.pk}/reflections/{REFLECTION_ID}/", ["text"])
    post_fuzz(employee_client, f"/leaderboard/people/{UserFactory().pk}/kudos/", ["message"])
    post_fuzz(
        employee_client,
        "/accounts/profile/",
        ["display_name", "first_name", "last_name", "show_on_leaderboards"],
    )
    post_fuzz(employee_client, "/me/notifications/", ["email_kudos", "email_digest", "mark_read"])


def test_manager_forms_never_fail_on_any_input(manager_client):
    post_fuzz(manager_client, "/learn/assignments/", ["module", "team", "email", "due_date"])
    post_fuzz(manager_client, "/admin/programme/onboarding/", ["confirm", "content"])


def test_sign_in_forms_never_fail_on_any_input():
    client = Client(raise_request_exception=False)
    post_fuzz(client, "/accounts/login/", ["login", "password"])
    post_fuzz(client, "/accounts/password/reset/", ["email"])


def test_filter_forms_never_fail_on_any_query(employee_client, manager_client):
    @FUZZ
    @given(q=surrogate_text, skill=surrogate_text, team=surrogate_text, kind=surrogate_text, s=text)
    def check(q, skill, team, kind, s):
        query = urlencoded({"q": [q], "skill": [skill], "team": [team], "kind": [kind]})
        for client, path in (
            (employee_client, "/challenge/library/"),
            (employee_client, "/insights/"),
            (employee_client, "/learn/search/"),
            (manager_client, "/admin/programme/analytics/"),
        ):
            response = client.get(f"{path}?{query.decode()}&start={s[:50]}&end={s[:50]}")
            assert response.status_code < 500, (path, q, skill, team, kind)

    check()


def test_draft_endpoint_never_fails_and_never_stores_unreadable_text(employee_client):
    from challenges.models import Draft

    challenge = make_challenge()
    json_value = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), surrogate_text),
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(surrogate_text, children, max_size=3)
        ),
        max_leaves=8,
    )

    @FUZZ
    @given(
        step=st.sampled_from(["observe", "correct", "context", "test", "reflect"]),
        body=st.one_of(
            st.fixed_dictionaries({"data": st.dictionaries(surrogate_text, json_value)}),
            json_value,
        ),
        content_type=st.sampled_from(["application/json", "text/plain", "application/x-json"]),
    )
    def check(step, body, content_type):
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8", "surrogatepass")
        response = employee_client.post(
            f"/challenge/{challenge.pk}/draft/{step}/", raw, content_type=content_type
        )
        assert response.status_code < 500, (step, body)
        assert response.status_code in {200, 400, 415}, response.status_code
        for draft in Draft.objects.filter(challenge=challenge):
            stored = json.dumps(draft.data)
            assert "\\u0000" not in stored
            assert "\\ud8" not in stored.lower() and "\\udf" not in stored.lower()

    check()


def test_draft_endpoint_form_posts_never_fail(employee_client):
    challenge = make_challenge()
    for step in ("observe", "context"):
        post_fuzz(
            employee_client,
            f"/challenge/{challenge.pk}/draft/{step}/",
            ["text", "skills", "span-a-start"],
        )
