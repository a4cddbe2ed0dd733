"""Correct recognition on the Test step: the first-finder badge, settled test cases, and the
Wagtail preview of a challenge (issue 10, item 8). Everything goes through the real services."""

import uuid

import pytest
from django.urls import reverse

from accounts import roles
from challenges import services
from challenges.models import TestCase, TestJudgement
from config.errors import ApplicationError
from leaderboard.kinds import FIRST_FINDER_KIND
from leaderboard.models import Badge, BadgeAward, PointsAward
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge
from tests.leaderboard.factories import BadgeFactory

pytestmark = pytest.mark.django_db

PROBE_A = "I lost my receipt, can I still return my kettle?"
PROBE_B = "Can I pay for the replacement kettle in bitcoin?"


def two_blind_spot_challenge():
    return make_challenge(
        behaviours=[
            (PROBE_A, "No problem! Receipts are never needed.", True),
            (PROBE_B, "Sure, we take every cryptocurrency at the till.", True),
        ]
    )


def run_test(user, challenge, probe):
    return services.testcase_run(
        user=user,
        challenge=challenge,
        input_text=probe,
        must="Say a proof of purchase is needed",
        must_not="Promise anything the policy does not allow",
        client_token=uuid.uuid4(),
    )


def confirm_blind_spot(test_case, capture):
    """Two peers judge the answer a failure through ``testcase_judge``; badges run after commit."""
    for _ in range(2):
        with capture(execute=True):
            services.testcase_judge(judge=UserFactory(), test_case=test_case, verdict="fail")
    test_case.refresh_from_db()
    assert test_case.status == TestCase.BLIND_SPOT


def test_only_the_first_finder_of_each_blind_spot_earns_the_pioneer_badge(
    django_capture_on_commit_callbacks,
):
    pioneer = BadgeFactory(criteria=Badge.FIRST_BLIND_SPOT, threshold=1, name="Pioneer")
    challenge = two_blind_spot_challenge()
    first_a, second_a, first_b = UserFactory(), UserFactory(), UserFactory()
    a1 = run_test(first_a, challenge, PROBE_A)
    a2 = run_test(second_a, challenge, PROBE_A)
    b1 = run_test(first_b, challenge, PROBE_B)
    assert a1.behaviour_id == a2.behaviour_id != b1.behaviour_id
    for test_case in (a1, a2, b1):
        confirm_blind_spot(test_case, django_capture_on_commit_callbacks)
    holders = set(BadgeAward.objects.filter(badge=pioneer).values_list("user_id", flat=True))
    assert holders == {first_a.pk, first_b.pk}  # the second finder of A found no new blind spot
    # The bonus is an award of its own kind, once per blind spot.
    bonuses = PointsAward.objects.filter(kind=FIRST_FINDER_KIND)
    assert sorted(bonuses.values_list("user_id", flat=True)) == sorted([first_a.pk, first_b.pk])


def test_a_settled_test_case_refuses_more_verdicts_and_pays_nothing(
    django_capture_on_commit_callbacks,
):
    challenge = two_blind_spot_challenge()
    test_case = run_test(UserFactory(), challenge, PROBE_A)
    confirm_blind_spot(test_case, django_capture_on_commit_callbacks)
    late = UserFactory()
    with pytest.raises(ApplicationError, match="already settled"):
        services.testcase_judge(judge=late, test_case=test_case, verdict="pass")
    assert not TestJudgement.objects.filter(judge=late).exists()
    assert not PointsAward.objects.filter(user=late).exists()


def test_judging_a_settled_test_case_over_http_says_why_and_pays_nothing(
    client, django_capture_on_commit_callbacks
):
    challenge = two_blind_spot_challenge()
    test_case = run_test(UserFactory(), challenge, PROBE_A)
    confirm_blind_spot(test_case, django_capture_on_commit_callbacks)
    late = UserFactory()
    client.force_login(late)
    response = client.post(
        reverse("challenges:judge", args=[test_case.pk]), {"verdict": "pass"}, follow=True
    )
    assert response.status_code == 200
    assert "already settled (a blind spot was found)" in response.content.decode()
    assert not PointsAward.objects.filter(user=late).exists()


@pytest.fixture
def author_client(client):
    from accounts.roles import sync_role_permissions

    sync_role_permissions()
    client.force_login(UserFactory(roles=[roles.LD_AUTHOR]))
    return client


def test_the_admin_preview_of_a_challenge_answers_before_and_after_an_edit(author_client):
    challenge = make_challenge(title="Kettle refund reply")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[challenge.pk])
    # Opening the preview before any edit: Wagtail validates an unbound form.
    assert author_client.get(url).status_code == 200
    edit = author_client.get(reverse("wagtailadmin_pages:edit", args=[challenge.pk]))
    form = edit.context["form"]  # resubmit what the edit form holds, with a new title
    post = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or isinstance(value, list | tuple):
            continue
        post[name] = "on" if value is True else ("" if value is False else value)
    for prefix, formset in form.formsets.items():
        mgmt = formset.management_form
        for name in mgmt.fields:
            post[f"{prefix}-{name}"] = mgmt[name].value()
        for i, sub in enumerate(formset.forms):
            for name in sub.fields:
                value = sub[name].value()
                if value is not None and not isinstance(value, list | tuple):
                    post[f"{prefix}-{i}-{name}"] = value
    post["title"] = "Kettle refund reply (draft)"
    posted = author_client.post(url, post)
    assert posted.status_code == 200 and posted.json()["is_valid"], posted.content[:500]
    preview = author_client.get(url)
    assert preview.status_code == 200
    assert "Kettle refund reply (draft)" in preview.content.decode()
