"""xAPI statements reach a real (loopback) LRS, and survive an outage."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from home.models import XapiStatement
from home.xapi import VERBS, xapi_flush, xapi_record
from tests.accounts.factories import UserFactory
from tests.support.lrs import LRS


@pytest.fixture
def lrs(settings):
    with LRS() as server:
        settings.XAPI_ENDPOINT = server.endpoint
        settings.XAPI_USERNAME = server.username
        settings.XAPI_PASSWORD = server.password
        settings.XAPI_ACTOR_HOMEPAGE = "https://apprentice.example.com"
        yield server


def record_completion(user):
    return xapi_record(
        user=user,
        verb="completed",
        activity_url="/skills/critical-thinking/",
        activity_name="Critical thinking",
        activity_type="module",
        result={"completion": True},
    )


@pytest.mark.django_db
def test_nothing_is_queued_when_xapi_is_not_configured(settings):
    settings.XAPI_ENDPOINT = ""
    assert record_completion(UserFactory()) is None
    assert XapiStatement.objects.count() == 0


@pytest.mark.django_db
def test_statement_arrives_after_commit_with_account_actor_and_verb(
    lrs, django_capture_on_commit_callbacks
):
    user = UserFactory(email="private@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        record_completion(user)
    assert lrs.errors == []
    [statement] = lrs.statements.values()
    assert statement["verb"]["id"] == VERBS["completed"]
    assert statement["actor"]["account"] == {
        "homePage": "https://apprentice.example.com/",
        "name": f"user-{user.pk}",
    }
    assert statement["object"]["id"] == "https://apprentice.example.com/skills/critical-thinking/"
    assert "private@example.com" not in str(statement)
    assert XapiStatement.objects.get().status == XapiStatement.Status.SENT


@pytest.mark.django_db
def test_outage_keeps_statements_queued_and_they_are_sent_once_when_lrs_returns(lrs):
    user = UserFactory()
    lrs.down = True
    for verb, kind in (("completed", "module"), ("answered", "question"), ("earned", "badge")):
        xapi_record(
            user=user,
            verb=verb,
            activity_url=f"/x/{verb}/",
            activity_name=verb,
            activity_type=kind,
        )
    assert xapi_flush() == {"sent": 0, "retry": 3, "rejected": 0}
    pending = XapiStatement.objects.filter(status=XapiStatement.Status.PENDING)
    assert pending.count() == 3
    assert all(s.attempts == 1 and "503" in s.last_error for s in pending)
    # Not due yet: backoff holds them back.
    assert xapi_flush() == {"sent": 0, "retry": 0, "rejected": 0}

    lrs.down = False
    later = timezone.now() + timedelta(minutes=5)
    assert xapi_flush(now=later)["sent"] == 3
    assert {s["verb"]["id"] for s in lrs.statements.values()} == {
        VERBS["completed"],
        VERBS["answered"],
        VERBS["earned"],
    }
    # A further flush sends nothing twice.
    assert xapi_flush(now=later + timedelta(hours=2))["sent"] == 0
    assert len(lrs.statements) == 3


@pytest.mark.django_db
def test_unreachable_lrs_is_retried_later(settings):
    # Nothing listens on this port: connection refused, like a host that is down.
    with LRS() as probe:
        port = probe.port
    settings.XAPI_ENDPOINT = f"http://127.0.0.1:{port}/xapi/"
    xapi_record(
        user=UserFactory(),
        verb="completed",
        activity_url="/x/",
        activity_name="x",
        activity_type="lesson",
    )
    assert xapi_flush()["retry"] == 1
    statement = XapiStatement.objects.get()
    assert statement.status == XapiStatement.Status.PENDING
    assert "ConnectError" in statement.last_error
    with LRS(port=port) as lrs:
        settings.XAPI_USERNAME, settings.XAPI_PASSWORD = lrs.username, lrs.password
        call_command("xapi_flush")  # not due yet
        assert lrs.statements == {}
        XapiStatement.objects.update(next_attempt_at=timezone.now())
        call_command("xapi_flush")
        assert list(lrs.statements) == [str(statement.pk)]


@pytest.mark.django_db
def test_statement_the_lrs_refuses_is_kept_as_rejected_not_retried(lrs, settings):
    settings.XAPI_PASSWORD = "wrong"  # 401 is retried (credentials may be fixed) ...
    record_completion(UserFactory())
    assert xapi_flush()["retry"] == 1
    settings.XAPI_PASSWORD = lrs.password
    XapiStatement.objects.update(payload={"id": "not-a-uuid"})  # ... but bad content is not
    assert xapi_flush(now=timezone.now() + timedelta(hours=1))["rejected"] == 1
    assert XapiStatement.objects.get().status == XapiStatement.Status.REJECTED
