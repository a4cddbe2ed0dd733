"""Django, Wagtail and the infrastructure: apps, middleware, templates, database, caches and
channel layers, e-mail, static files, background tasks, logging (imported by ``base``)."""

import os
from pathlib import Path

import dj_database_url
from redis.exceptions import ConnectionError as RedisConnectionError

from .env import env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent


# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
# Only for local use; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-local-only-apprentice-key"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
LANGUAGE_CODE = "en-gb"
USE_I18N = True
USE_TZ = True
SITE_ID = 1
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    # daphne first so that `runserver` serves websockets too.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "channels",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with a user admin that also edits display name and leaderboard privacy.
    "accounts.apps.WagtailUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_tasks",
    "django_tasks_db",
    "csp",
]
LOCAL_APPS = [
    "accounts",
    "notifications",
    "leaderboard",
    "mentoring",
    "courses",
    "challenges",
    "home",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    # REMOTE_ADDR becomes the real client behind trusted proxies (config/proxy.py), for all below.
    "config.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.headers.ContentSecurityPolicyMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    # Serves /static/ from the site itself (no CDN; intranet-friendly).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the viewer's user and roles from a per-person cache (accounts/middleware.py).
    "accounts.middleware.CachedUserAuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL bytes, invalid UTF-8 and unbounded JSON get a 400 before any view (config/input_guard.py).
    "config.input_guard.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Which page a path serves, remembered until pages change (home/page_cache.py).
    "home.page_cache.PageRouteCacheMiddleware",
]

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "home.context_processors.notifications",
                "challenges.context_processors.waiting_reviews",
            ],
        },
    },
]

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# Under ASGI every concurrent request runs in its own thread with its own connection, so a busy
# worker opens as many connections as it has requests in flight (the load run exhausted
# PostgreSQL's 100). A psycopg pool per worker bounds that: requests wait up to the timeout for
# a free connection. Off by default; with several workers keep workers x size < max_connections.
DATABASE_POOL_MAX_SIZE = int(os.environ.get("DATABASE_POOL_MAX_SIZE", "0"))
if DATABASE_POOL_MAX_SIZE and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django's pool requires it
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": 30,
    }

# CACHES and CHANNEL LAYERS
# ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # While Redis is unreachable the cache answers as a miss instead of raising (config/cache.py).
    # A cache call waits at most 0.5 s for a frozen Redis (Redis answers in about a millisecond);
    # after a failure Redis is skipped for FAILURE_PAUSE seconds, then tried again.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "apprentice"),
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "FAILURE_PAUSE": 5,
            },
        }
    }
    # Sessions are read from the cache and written through to the database, so a page costs no
    # session query; while Redis is unreachable the cache misses (above) and sessions come from
    # the database as before. Django's cached_db, whose read joins the viewer's one cache round
    # trip (accounts/sessions.py).
    SESSION_ENGINE = "accounts.sessions"
    # channels-redis waits for messages with a blocking BZPOPMIN of 5 s. redis-py 8 made
    # ``socket_timeout`` default to 5 s, which aborts that read and kills every quiet socket
    # (channels_redis#422, redis-py#4091). The read timeout is set explicitly, longer than the
    # blocking pop, so the pin on redis-py can be lifted without touching this; the connect timeout
    # stays short so an outage is noticed quickly, and the health check pings idle connections.
    CHANNEL_LAYER_SOCKET_TIMEOUT = float(os.environ.get("CHANNEL_LAYER_SOCKET_TIMEOUT", "15"))
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis's layer with a bounded pool that waits for a free connection
            # instead of raising "Too many connections" under a storm (config/channel_layers.py).
            "BACKEND": "config.channel_layers.RedisChannelLayer",
            "CONFIG": {
                "pool_max_connections": int(os.environ.get("CHANNEL_LAYER_MAX_CONNECTIONS", "50")),
                "pool_timeout": float(os.environ.get("CHANNEL_LAYER_POOL_TIMEOUT", "10")),
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT,
                        "socket_connect_timeout": 2,
                        "health_check_interval": 30,
                        # After Redis restarts, pooled connections are dead: a command on one
                        # fails once and is retried at once on a new connection, so the first
                        # socket after an outage is accepted instead of failing its handshake.
                        "retry_on_error": [RedisConnectionError],
                    }
                ],
                "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "apprentice"),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# EMAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Apprentice <apprentice@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# STATIC and MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WAGTAIL
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Apprentice"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# No Gravatar: it would send a hash of each editor's e-mail to a third party (and the CSP's
# img-src does not allow it); Wagtail shows its default avatar or an uploaded one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Wagtail's dashboard asks releases.wagtail.org for new versions from each editor's browser: off
# by default (an intranet blocks it and the console fills with failed fetches). "true" or "lts".
WAGTAIL_ENABLE_UPDATE_CHECK = {"true": True, "lts": "lts"}.get(
    os.environ.get("WAGTAIL_ENABLE_UPDATE_CHECK", "").lower(), False
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# BACKGROUND TASKS
# ------------------------------------------------------------------------------
# Django's task framework (the django-tasks backport). "immediate" runs a task right after the
# request's transaction commits (no worker needed); "database" queues tasks in the database for
# `manage.py db_worker` processes (production default).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
