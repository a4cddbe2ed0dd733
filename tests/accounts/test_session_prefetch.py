"""Sessions read in the viewer's one cache round trip (accounts/sessions.py, middleware.py).

Each process remembers which user a session named, and reads the session together with that
user's cached values. Only the session read decides who the viewer is: a remembered user the
session does not name is never served, and everything Django's ``cached_db`` guarantees holds
(a signed-out session stays signed out, a password change elsewhere ends the session, a session
missing from the cache comes from the database).
"""

import pytest
from django.core.cache import caches
from django.urls import reverse

from accounts import sessions
from tests.accounts.factories import UserFactory
from tests.courses.factories import lesson_page, module_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def engine(settings):
    settings.SESSION_ENGINE = "accounts.sessions"
    sessions._viewers.clear()
    yield
    sessions._viewers.clear()


@pytest.fixture
def lesson():
    return lesson_page(module_page(), title="Read every answer as a draft")


@pytest.fixture
def reads(monkeypatch):
    """Every read of the default cache: ("get", key) or ("get_many", keys) (not the gets that
    local memory's get_many makes of itself)."""
    backend, seen, inside = caches["default"], [], []
    get, get_many = backend.get, backend.get_many

    def spy_get(key, *args, **kwargs):
        if not inside:
            seen.append(("get", key))
        return get(key, *args, **kwargs)

    def spy_get_many(keys, *args, **kwargs):
        seen.append(("get_many", list(keys)))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", spy_get)
    monkeypatch.setattr(backend, "get_many", spy_get_many)
    return seen


def session_cache_key(client) -> str:
    return client.session.cache_key


def test_a_warm_page_reads_the_session_with_the_viewer_in_one_round_trip(client, lesson, reads):
    ana = UserFactory(first_name="Ana", last_name="Lopez")
    client.force_login(ana)
    for _ in range(3):
        assert client.get(lesson.url).status_code == 200
    reads.clear()
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Ana Lopez" in response.content.decode()
    assert len(reads) == 1, reads
    kind, keys = reads[0]
    assert kind == "get_many"
    assert session_cache_key(client) in keys
    assert f"person:{ana.pk}:version" in keys


def test_a_session_naming_someone_else_than_remembered_shows_its_own_person(client, lesson):
    ana = UserFactory(first_name="Ana", last_name="Lopez")
    ben = UserFactory(first_name="Ben", last_name="Okafor")
    client.force_login(ana)
    client.get(lesson.url)  # Ana's user and header values are cached
    client.force_login(ben)
    ben_session = client.cookies["sessionid"].value
    # The process wrongly remembers Ben's session as Ana's: her keys are read with it.
    sessions._viewers[hash(ben_session)] = ana.pk
    for _ in range(2):
        html = client.get(lesson.url).content.decode()
        assert "Ben Okafor" in html
        assert "Ana Lopez" not in html
    assert sessions._viewers[hash(ben_session)] == ben.pk


def test_signing_out_ends_the_session_although_the_process_remembers_it(client, lesson):
    ana = UserFactory()
    client.force_login(ana)
    for _ in range(2):
        assert client.get(lesson.url).status_code == 200
    old_session = client.cookies["sessionid"].value
    assert sessions._viewers[hash(old_session)] == ana.pk
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = old_session  # replayed after sign-out
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_password_changed_elsewhere_ends_the_session(client, lesson):
    ana = UserFactory()
    client.force_login(ana)
    for _ in range(2):
        assert client.get(lesson.url).status_code == 200
    ana.set_password("a-new-long-passphrase")
    ana.save()
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_session_missing_from_the_cache_comes_from_the_database(client, lesson):
    ana = UserFactory(first_name="Ana", last_name="Lopez")
    client.force_login(ana)
    for _ in range(2):
        assert client.get(lesson.url).status_code == 200
    key = session_cache_key(client)
    caches["default"].delete(key)
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Ana Lopez" in response.content.decode()
    assert caches["default"].get(key) is not None  # cached again


def test_no_session_user_is_signed_in_by_a_remembered_one(client, lesson):
    ana = UserFactory()
    client.force_login(ana)
    client.get(lesson.url)
    session = client.session
    session.flush()  # the same key now holds an empty session in this test's own store
    store = sessions.SessionStore()
    store.create()
    sessions._viewers[hash(store.session_key)] = ana.pk  # remembered, but the session is empty
    client.cookies["sessionid"] = store.session_key
    response = client.get(lesson.url)
    assert response.status_code == 302
