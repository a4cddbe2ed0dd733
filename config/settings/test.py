"""Settings for the test suite (pytest --ds=config.settings.test)."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
DEMO_PASSWORD = "apprentice-demo"  # noqa: S105
# No presence heartbeat task in the suite's event loops; tests run its passes themselves.
LEADERBOARD_PRESENCE_HEARTBEAT = 0

# A file-backed SQLite test database, so an ASGI server in another process (websocket browser
# tests) sees the same data as the test. One file per test run, so runs side by side don't clash.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}

# Uploaded files (covers, documents) stay in memory: the suite writes nothing to MEDIA_ROOT.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the finders; no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
