"""Security headers over HTTP: a Content-Security-Policy without inline script on every page,
a nonce on any inline script, and a Permissions-Policy."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import lesson_page, module_page, quiz_block, text_block

pytestmark = pytest.mark.django_db

# Script types a browser runs; anything else (application/json from json_script) is data.
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


class ScriptCollector(HTMLParser):
    """Collects inline scripts (with their nonce) and inline event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.inline_nonces: list[str | None] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [f"<{tag} {name}>" for name in attrs if name.startswith("on")]
        if any((v or "").strip().lower().startswith("javascript:") for v in attrs.values()):
            self.handlers.append(f"<{tag}> javascript: URL")
        executable = (attrs.get("type") or "").lower() in EXECUTABLE_TYPES
        if tag == "script" and "src" not in attrs and executable:
            self.inline_nonces.append(attrs.get("nonce"))


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def assert_strict_policy(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    policy = directives(header)
    script_src = policy.get("script-src", policy.get("default-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'none'" in policy["object-src"]
    assert {"ws:", "wss:"} <= set(policy["connect-src"])  # the live boards' websockets

    collector = ScriptCollector()
    collector.feed(response.content.decode())
    assert collector.handlers == [], "inline event handlers never run under this policy"
    nonces = [n for n in script_src if n.startswith("'nonce-")]
    for nonce in collector.inline_nonces:
        assert nonce and f"'nonce-{nonce}'" in nonces, "an inline script without the nonce"
    assert "Permissions-Policy" in response.headers
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_main_pages_send_a_policy_that_runs_no_inline_script(client):
    module = module_page(title="Spotting made-up citations")
    lesson = lesson_page(module, title="Fluent is not true", body=[text_block(), quiz_block()])
    done = module_page(title="Ethics in screening")
    done_lesson = lesson_page(done, title="Screening fairly", body=[text_block()])
    challenge = make_challenge()
    user = UserFactory()
    points_award(user=user, amount=5, kind="x", source_key="seed")

    assert_strict_policy(client.get("/"))
    assert_strict_policy(client.get(reverse("account_login")))
    client.force_login(user)
    client.post(reverse("courses:lesson_complete", args=[done_lesson.pk]))
    urls = [
        "/",
        lesson.url,
        challenge.url,
        "/challenges/",
        "/skills/",
        reverse("leaderboard:board_default"),
        reverse("insights"),
        reverse("accounts:profile"),
        reverse("courses:certificate", args=[done.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response)


def test_a_template_inline_script_gets_the_responses_nonce(rf):
    """What a template must write for an inline script: the nonce django-csp puts in the header."""
    from django.template import engines

    from config.headers import ContentSecurityPolicyMiddleware

    template = engines["django"].from_string(
        '<script nonce="{{ request.csp_nonce }}">window.x = 1;</script>'
    )
    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    request = rf.get("/")
    middleware.process_request(request)
    from django.http import HttpResponse

    response = middleware.process_response(
        request, HttpResponse(template.render({"request": request}))
    )
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(response["Content-Security-Policy"])["script-src"]


def test_the_admin_gets_its_allowances_only_under_its_prefix(admin_client):
    """Wagtail's admin renders inline scripts we cannot nonce: only /admin/ relaxes script-src."""
    admin = directives(admin_client.get("/admin/").headers["Content-Security-Policy"])
    assert "'unsafe-inline'" in admin["script-src"]
    assert "'self'" in admin["frame-ancestors"]  # Wagtail's preview iframe
    site = directives(admin_client.get("/").headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in site["script-src"]


def test_the_admin_makes_no_call_outside_the_intranet_by_default(admin_client):
    """No release check to releases.wagtail.org and no Gravatar images unless switched on."""
    response = admin_client.get("/admin/")
    body = response.content.decode()
    assert "data-w-upgrade-current-version-value" not in body  # the release-check panel
    assert "gravatar.com" not in body
    admin = directives(response.headers["Content-Security-Policy"])
    assert admin["connect-src"] == ["'self'"]
