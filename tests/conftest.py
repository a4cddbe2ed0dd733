"""Shared fixtures: cache isolation, a real Chromium through Playwright, and an ASGI live server.

Browser tests use pytest-django's ``live_server`` (WSGI, in this process, so ``mail.outbox``
works) unless they need websockets; those use ``asgi_live_server``, a daphne process on the
file-backed test database.
"""

import os
import shutil
from functools import partial

import pytest

# Playwright's sync API runs an event loop in the test thread for as long as the browser is
# open, and Django refuses synchronous ORM calls while a loop runs. Only the browser fixture
# allows them (browser tests run last, see below), and never in the ASGI server: a consumer
# that touched the ORM synchronously must fail there as it would in production.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.path.exists(configured) else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "asgi_live_server"}


BROWSER_FIXTURES = {"browser", "page", "new_page"}


def pytest_collection_modifyitems(items):
    """Two suite-wide rules.

    Transactional tests (browser, websocket, races) end with a flush that empties every table,
    including what the migrations made (roles, skills, flaw categories, the page tree).
    Serialized rollback puts that data back before each of them, so test order does not matter.

    Browser tests run last: Playwright's sync API keeps an event loop running in the main
    thread for the rest of the session, and async tests (websockets) cannot start their own
    loop after it. (pytest-django then groups tests by kind with a stable sort, which keeps
    this order inside each group.)
    """
    browser_items = [i for i in items if BROWSER_FIXTURES & set(getattr(i, "fixturenames", ()))]
    if browser_items:
        ids = {id(i) for i in browser_items}
        items[:] = [i for i in items if id(i) not in ids] + browser_items
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))
        if marker is not None and marker.kwargs.get("transaction"):
            transactional = True
        if not transactional:
            continue
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Make the serialized test data reachable from every connection object.

    Playwright's sync API runs an event loop in the test thread, and a test that runs after it
    started can get a new DatabaseWrapper that lacks the ``_test_serialized_contents`` Django
    set on the first one, silently skipping the serialized rollback. A class attribute reaches
    every wrapper of the (single) database.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    return django_db_setup


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (rate limits, caps and coalescing live there)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (set CHROMIUM_PATH or run `make browser`)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop(ASYNC_UNSAFE, None)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser):
    """Factory for extra, isolated browser sessions (a second user in the same test)."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _asgi_application():
    # Module-level so it pickles into the daphne process.
    from channels.routing import get_default_application
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    return ASGIStaticFilesHandler(get_default_application())


def _prepare_server_process():
    """Runs in the forked server process before it serves."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import SyncToAsync
    from channels.layers import channel_layers

    # No database set-up here: Django's test set-up already pointed settings.DATABASES at the
    # test database before the fork (channels' set_database_connection would prefix "test_"
    # a second time on PostgreSQL), and the parent closed its connections before forking.
    # The fork inherits state built by earlier tests in the parent: channel layers bound to
    # their event loops (and Redis connections), and asgiref's executor for thread-sensitive
    # calls, whose worker thread does not exist in the child. The server builds its own.
    channel_layers.backends = {}
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    # The browser fixture's allowance is for the test thread only, not for the server's code.
    os.environ.pop(ASYNC_UNSAFE, None)


class AsgiLiveServer:
    def __init__(self, host: str, port: int):
        self.host = host
        self.port = port
        self.url = f"http://{host}:{port}"
        self.ws_url = f"ws://{host}:{port}"

    def __str__(self) -> str:
        return self.url


@pytest.fixture
def asgi_server_options():
    """Keyword arguments for daphne's ``Server`` in ``asgi_live_server`` (a module may override)."""
    return {}


@pytest.fixture
def asgi_live_server(transactional_db, settings, asgi_server_options, tmp_path_factory):
    """A daphne server (HTTP + websockets) in a child process, on the test database."""
    from daphne.testing import DaphneProcess
    from django.db import connections

    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        # The server is another process: with a local-memory cache it would never see what the
        # test process changes and forgets (a week frozen by a service call), as every worker
        # sees it through Redis in production. Both share one directory instead.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path_factory.mktemp("cache")),
            }
        }

    if any(
        c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all(initialized_only=True)
    ):
        pytest.fail("asgi_live_server needs a file-backed test database.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    connections.close_all()
    process = DaphneProcess(
        "127.0.0.1",
        partial(_asgi_application),
        kwargs=asgi_server_options,
        setup=_prepare_server_process,
    )
    process.start()
    if not process.ready.wait(timeout=15):
        process.terminate()
        pytest.fail("The ASGI live server did not start.")
    try:
        yield AsgiLiveServer("127.0.0.1", process.port.value)
    finally:
        process.terminate()
        process.join(timeout=10)


@pytest.fixture
def reads(monkeypatch):
    """The key lists of every ``get_many`` on the default cache."""
    from django.core.cache import caches

    backend, seen = caches["default"], []
    get_many = backend.get_many

    def spy(keys, *args, **kwargs):
        seen.append(list(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", spy)
    return seen
