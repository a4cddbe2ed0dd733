"""The mentoring pages over HTTP: report, the loop on a report, triage, publishing, the
system page's pass-rate chart, an employee's contributions, and the feedback API."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import APIToken

from leaderboard.models import PointsAward
from mentoring.models import EvalCase, FieldReport, GuidancePack, SystemContextNote
from mentoring.services import feedback
from mentoring.services.evals import evals_run
from tests.accounts.factories import UserFactory
from tests.mentoring.factories import FIXED_RECEIPT, LOST_RECEIPT, NO_RECEIPT_NEEDED, care_system
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


def report_of(client, system, **fields):
    data = {
        "system": system.slug,
        "asked": LOST_RECEIPT,
        "answer": NO_RECEIPT_NEEDED,
        "via": "form",
    }
    data.update(fields)
    response = client.post(reverse("mentoring:report_new"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return FieldReport.objects.latest("pk")


def test_the_report_form_is_prefilled_by_the_snippet_and_opens_the_loop(client, system):
    client.force_login(UserFactory())
    page = client.get(
        reverse("mentoring:report_new"),
        {"via": "snippet", "system": system.slug, "answer": "<b>Cash!</b>", "where": "T-1"},
    )
    html = page.content.decode()
    assert "&lt;b&gt;Cash!&lt;/b&gt;" in html and "<b>Cash!</b>" not in html
    report = report_of(client, system, via="snippet", where="T-1")
    assert (report.via, report.where, report.status) == ("snippet", "T-1", "new")
    loop = client.get(reverse("mentoring:report", args=[report.pk])).content.decode()
    assert "Demo stand-in." in loop and "1 Observe" in loop


def test_the_reporter_flags_corrects_adds_context_and_a_case(client, system):
    reporter = UserFactory()
    client.force_login(reporter)
    report = report_of(client, system)
    step = lambda name, data: client.post(  # noqa: E731
        reverse("mentoring:report_step", args=[report.pk, name]),
        {f"{name}-{key}": value for key, value in data.items()},
    )
    step("flag", {"quote": "Receipts are never needed", "category": "hallucination"})
    step("flag", {"quote": "not in the answer", "category": "hallucination"})
    step("correct", {"text": FIXED_RECEIPT, "rationale": "Proof of purchase is required."})
    step("context", {"topic": "Refund receipts", "text": "A refund needs a proof of purchase."})
    step(
        "case",
        {"input_text": LOST_RECEIPT, "must": '"proof of purchase"', "must_not": "Promise cash"},
    )
    flag = report.flags.get()
    assert (flag.start, flag.end, flag.category) == (12, 37, "hallucination")
    assert report.correction.text == FIXED_RECEIPT
    assert SystemContextNote.objects.get().topic == "refund-receipts"
    assert EvalCase.objects.get().status == EvalCase.PENDING
    # Nothing earns points before an owner confirms.
    assert not PointsAward.objects.filter(user=reporter).exists()


def test_others_cannot_see_or_work_on_a_report(client, system):
    report = feedback.report_create(
        reporter=UserFactory(), system=system, asked=LOST_RECEIPT, answer=NO_RECEIPT_NEEDED
    )
    client.force_login(UserFactory())
    assert client.get(reverse("mentoring:report", args=[report.pk])).status_code == 403
    response = client.post(
        reverse("mentoring:report_step", args=[report.pk, "flag"]),
        {"flag-quote": "Receipts", "flag-category": "hallucination"},
    )
    assert response.status_code == 403 and not report.flags.exists()


def test_owners_confirm_merge_and_reject_with_a_reason_the_reporter_sees(client, system, owner):
    reporter = UserFactory()
    client.force_login(reporter)
    first = report_of(client, system)
    second = report_of(client, system)
    third = report_of(client, system, answer="We are closed on Sundays, sorry.")
    client.force_login(owner)
    queue = client.get(reverse("mentoring:triage", args=[system.slug])).content.decode()
    assert f'value="{first.pk}"' in queue  # the second report is suggested as its duplicate
    decide = reverse("mentoring:report_decide", args=[first.pk])
    client.post(decide, {"action": "confirm", "reason": "Yes, receipts are required."})
    client.post(
        reverse("mentoring:report_decide", args=[second.pk]),
        {"action": "merge", "into": first.pk, "reason": ""},
    )
    client.post(
        reverse("mentoring:report_decide", args=[third.pk]),
        {"action": "reject", "reason": "That answer is right: we are closed on Sundays."},
    )
    # A second decision on a decided report is refused: no double points.
    client.post(decide, {"action": "confirm"})
    awards = PointsAward.objects.filter(user=reporter)
    assert [a.source_key for a in awards] == [f"fieldreport:{first.pk}:confirmed"]
    client.force_login(reporter)
    seen = client.get(reverse("mentoring:report", args=[third.pk])).content.decode()
    assert "That answer is right: we are closed on Sundays." in seen
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == ("duplicate", first.pk)


def test_only_owners_reach_the_queue_and_the_publish_page(client, system):
    client.force_login(UserFactory())
    assert client.get(reverse("mentoring:triage", args=[system.slug])).status_code == 403
    assert client.post(reverse("mentoring:guidance", args=[system.slug])).status_code == 403
    assert not GuidancePack.objects.exists()


def test_the_owner_sees_the_diff_then_publishes(client, system, owner):
    taught_report(system=system, reporter=UserFactory(), owner=owner)
    client.force_login(owner)
    page = client.get(reverse("mentoring:guidance", args=[system.slug])).content.decode()
    assert "+ [refund-receipts] A refund needs a proof of purchase" in page
    assert "Publish v1" in page
    client.post(reverse("mentoring:guidance", args=[system.slug]), {"notes": "Receipts"})
    assert GuidancePack.objects.get(system=system).version == 1


def test_the_system_page_shows_pass_rates_as_chart_and_table_and_the_flips(client, system):
    owner, reporter = UserFactory(), UserFactory()
    system.owners.add(owner)
    report, _ = taught_report(system=system, reporter=reporter, owner=owner)
    case = feedback.case_add(
        user=reporter,
        report=report,
        input_text=LOST_RECEIPT,
        must='"proof of purchase"',
        must_not='"never needed"',
    )
    EvalCase.objects.filter(pk=case.pk).update(status=EvalCase.ACCEPTED)
    evals_run(system=system, guidance=None)
    publish(system=system, owner=owner)
    evals_run(system=system)
    client.force_login(reporter)
    html = client.get(reverse("mentoring:system", args=[system.slug])).content.decode()
    assert "<svg" in html and "model m1 with guidance none: 0% (0/1)" in html
    assert "model m1 with guidance v1: 100% (1/1)" in html
    assert "none (before mentoring)" in html
    assert "Now passes:</strong> " + LOST_RECEIPT.replace("'", "&#x27;") in html
    mine = client.get(reverse("mentoring:contributions")).content.decode()
    assert "[refund-receipts] A refund needs a proof of purchase" in mine
    assert "failed with guidance none, passes with v1" in mine


def test_the_feedback_api_takes_a_bearer_token_and_is_rate_limited(client, system, settings):
    settings.MENTORING_FEEDBACK_PER_HOUR = 2
    cache.clear()
    user = UserFactory()
    _, plaintext = APIToken.create_token(user=user, name="helpdesk")
    headers = {"Authorization": f"Bearer {plaintext}"}
    body = {"system": system.slug, "asked": LOST_RECEIPT, "answer": NO_RECEIPT_NEEDED}
    response = client.post(
        "/api/v1/feedback/", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    data = response.json()
    report = FieldReport.objects.get(pk=data["id"])
    assert (report.reporter, report.via, data["status"]) == (user, "api", "new")
    assert data["url"].endswith(f"/mentoring/reports/{report.pk}/")
    missing = client.post(
        "/api/v1/feedback/",
        {**body, "system": "nope"},
        content_type="application/json",
        headers=headers,
    )
    assert missing.status_code == 404
    client.post("/api/v1/feedback/", body, content_type="application/json", headers=headers)
    limited = client.post(
        "/api/v1/feedback/", body, content_type="application/json", headers=headers
    )
    assert limited.status_code == 429
    assert (
        client.post("/api/v1/feedback/", body, content_type="application/json").status_code == 401
    )
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/feedback/" in schema["paths"]
