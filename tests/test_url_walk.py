"""Every URL pattern of the site, GET with hostile query strings: never a server error.

The URLconf is resolved, one concrete path is made for each pattern (converters and regex groups
filled with sample values), and each path is requested with NUL bytes, invalid percent-encoded
UTF-8, repeated parameters and huge values, as an anonymous visitor and as a signed-in
employee. The test settings run with DEBUG off, as production does. NUL and invalid UTF-8 must
be refused with a 400 by the input guard; the rest may be any 4xx or success, never a 5xx.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import make_challenge
from tests.courses.factories import lesson_page, module_page, reflection_block

pytestmark = pytest.mark.django_db

# Every query parameter a view or a filter form of ours reads, and common ones of Wagtail's admin.
PARAMS = [
    "q",
    "kind",
    "skill",
    "limit",
    "view",
    "download",
    "format",
    "team",
    "start",
    "end",
    "period",
    "page",
    "p",
    "next",
    "ordering",
    "scope",
    "user",
    "module",
    "action",
    "sort",
    "order",
    "fields",
    "offset",
    "child_of",
    "type",
    "locale",
    "collection_id",
    "parent_page_id",
    "id",
    "system",
    "answer",
    "asked",
    "where",
    "via",
]
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}
HUGE = "9" * 400 + "x" * 20_000


def hostile_queries() -> dict[str, str]:
    repeated = "&".join(f"{name}=1&{name}=-2&{name}=%27%22%3C" for name in PARAMS)
    # A full-width digit (U+FF19), then one that str.isdigit() accepts but int() refuses (²).
    digits = "&".join(f"{name}=%EF%BC%99&{name}=%C2%B2" for name in PARAMS)
    huge = "&".join(f"{name}={HUGE}" for name in PARAMS[:12]) + "&limit=" + "9" * 40
    return {
        "nul": "&".join(f"{name}=a%00b" for name in PARAMS[:8]) + "&%00=1",
        "bad-utf8": "q=%ff%fe&skill=%c3%28&next=%ed%a0%80&team=%80",
        "repeated": repeated,
        "digits": digits,
        "huge": huge,
    }


def _route_path(route: str) -> str:
    return re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route
    ).lstrip("^")


def _group_sample(body: str) -> str:
    first = body.split("|")[0]
    if re.fullmatch(r"[\w-]+", first):
        return first
    return "1" if r"\d" in body else "x"


def _regex_path(regex: str) -> str:
    text = regex.strip("^").rstrip("$")
    for _ in range(3):  # nested groups, innermost first
        text = re.sub(r"\((?:\?P<\w+>|\?:)?([^()]*)\)[*+?]?", lambda m: _group_sample(m[1]), text)
    text = text.replace(".*", "x").replace(".+", "x").replace("^", "").replace("$", "")
    return re.sub(r"\\(.)", r"\1", text)


def example_paths() -> list[str]:
    """One concrete path per URL pattern of the site."""
    paths = set()

    def walk(patterns, prefix: str):
        for pattern in patterns:
            raw = str(pattern.pattern)
            part = (
                _regex_path(raw) if isinstance(pattern.pattern, RegexPattern) else _route_path(raw)
            )
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + part)
            elif isinstance(pattern, URLPattern):
                paths.add("/" + (prefix + part).lstrip("/"))

    walk(get_resolver().url_patterns, "")
    return sorted(paths)


def test_the_walk_covers_the_whole_urlconf():
    paths = example_paths()
    assert len(paths) > 300, len(paths)
    for expected in ("/learn/search/", "/challenge/library/", "/leaderboard/people/1/", "/x"):
        assert expected in paths


@pytest.fixture
def site_paths():
    """The patterns' paths plus real pages (a challenge, a lesson) with data behind them."""
    challenge = make_challenge()
    lesson = lesson_page(module_page(), body=[reflection_block()])
    return [*example_paths(), challenge.url, lesson.url, lesson.get_parent().url]


def _walk(client: Client, paths: list[str]) -> list[str]:
    failures = []
    for name, query in hostile_queries().items():
        for path in paths:
            response = client.get(f"{path}?{query}")
            if response.status_code >= 500:
                failures.append(f"{response.status_code} GET {path} ({name})")
            elif name in {"nul", "bad-utf8"} and response.status_code != 400:
                failures.append(f"{response.status_code} (not 400) GET {path} ({name})")
    return failures


def test_no_url_answers_5xx_to_hostile_queries_anonymous(site_paths):
    failures = _walk(Client(raise_request_exception=False), site_paths)
    assert not failures, "\n".join(failures[:50])


def test_no_url_answers_5xx_to_hostile_queries_signed_in(site_paths):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(team=TeamFactory()))
    failures = _walk(client, site_paths)
    assert not failures, "\n".join(failures[:50])
