"""Property-based fuzzing of the whole JSON API against its own OpenAPI schema (schemathesis).

Every operation in /api/v1/openapi.json is called with generated inputs, authenticated with a
real bearer token for a user with data; no response may be a server error, and every response
must match the documented schema and content type.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from wagtail.models import APIToken

from leaderboard.services import points_award
from tests.accounts.factories import UserFactory

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def wsgi_app(db):
    # Like Django's test client: a request must not close the test's database connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.django_db
def test_api_never_errors_and_matches_its_schema(wsgi_app):
    user = UserFactory()
    points_award(user=user, amount=5, kind="manual", source_key="fuzz:1", skill="collaboration")
    token = APIToken.create_token(user=user, name="fuzz")[1]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 3, "the schema lost its operations"

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        check()
