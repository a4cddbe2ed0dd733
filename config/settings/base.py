"""Settings shared by every environment.

Works with zero environment variables: SQLite file, in-memory channel layer, local-memory cache,
console email. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis. Every variable
read here is listed in ``.env.example`` and README.md.
"""

import hashlib
import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from redis.exceptions import ConnectionError as RedisConnectionError

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


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
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # NUL bytes, invalid UTF-8 and unbounded JSON get a 400 before any view (config/input_guard.py).
    "config.input_guard.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
# Sign-up saves user, team and e-mail address in one transaction: nothing half-created.
ACCOUNT_FORMS = {"signup": "accounts.signup_forms.AtomicSignupForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# "mandatory" in production (production.py), "optional" here.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Apprentice] "
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so operators can see and tune them.
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    # Failed sign-ins lock the account (5 in 5 minutes, from anywhere) and the real client IP
    # (config/proxy.py). The account's limit comes first, so the further failures on a locked
    # account do not use up the IP's allowance: one colleague's typos never lock out others.
    "login_failed": "5/5m/key,20/m/ip",
    "confirm_email": "1/3m/key",
}
# Comma-separated e-mail domains allowed to sign up ("" means any domain).
ACCOUNT_ALLOWED_EMAIL_DOMAINS = [d.lower() for d in env_list("ACCOUNT_ALLOWED_EMAIL_DOMAINS")]
# "open" (anyone from an allowed domain), "invite" (only invited addresses) or "closed".
ACCOUNT_SIGNUP_MODE = os.environ.get("ACCOUNT_SIGNUP_MODE", "open")

# allauth reads the client IP from REMOTE_ADDR, which config.proxy already resolved from the
# trusted proxies below: it must not strip X-Forwarded-For a second time.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Apprentice"

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
# Enterprise SSO from the environment: a JSON list of allauth "APPS" entries for each provider.
# Providers can also be configured in the Django admin (Social applications).
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": json.loads(os.environ.get("SSO_OIDC_APPS", "[]")),
    },
    "saml": {
        "APPS": json.loads(os.environ.get("SSO_SAML_APPS", "[]")),
    },
}

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

# SECURITY (tightened further in production.py)
# ------------------------------------------------------------------------------
# Trusted proxies (config/proxy.py): how many proxies in front of the site append to
# X-Forwarded-For, and/or their networks (the header is then believed only from a peer inside
# them). Unset, the header is ignored and the TCP peer is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_CIDRS = env_list("TRUSTED_PROXY_CIDRS")
# Per-person limits on the site's own costly or spammable writes (config/ratelimit.py): "10/m",
# "100/h" or several ("10/m,100/d"); past them the answer is a 429 saying when to try again.
RATE_LIMITS = {
    "ai_test": os.environ.get("RATE_LIMIT_AI_TESTS", "10/m,200/d"),
    "draft": os.environ.get("RATE_LIMIT_DRAFTS", "120/m"),
    "kudos": os.environ.get("RATE_LIMIT_KUDOS", "10/m"),
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp; config/headers.py). No inline script on the site: an
# inline <script> needs nonce="{{ request.csp_nonce }}". Inline style attributes stay allowed
# (progress bars, Wagtail's admin). Lesson videos are oEmbed iframes from the hosts in frame-src.
# No form-action: SSO sign-in posts and redirects to the identity provider.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        # The live boards' websockets (same host; 'self' alone misses ws: in older browsers).
        "connect-src": [SELF, "ws:", "wss:"],
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}
# The Wagtail and Django admins render inline scripts we cannot give a nonce (InlinePanel and
# date-picker widgets); Wagtail's dashboard may ask releases.wagtail.org for the latest version
# (only when WAGTAIL_ENABLE_UPDATE_CHECK is on).
CONTENT_SECURITY_POLICY_ADMIN = {
    "URL_PREFIXES": ["/admin/", "/django-admin/"],
    "REPLACE": {
        "script-src": [SELF, UNSAFE_INLINE],
        "connect-src": [SELF]
        + (["https://releases.wagtail.org"] if WAGTAIL_ENABLE_UPDATE_CHECK else []),
        # Wagtail's live preview shows the page in a same-origin iframe.
        "frame-ancestors": [SELF],
    },
}
# Powerful browser features the site never uses are refused to it and to embedded frames.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "hid",
    )
}

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

# APPRENTICE
# ------------------------------------------------------------------------------
# Password for demo users made by `manage.py seed_demo` (refused when DEBUG is off).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "apprentice-demo")

# CHALLENGES
# ------------------------------------------------------------------------------
# Which AI answers test cases: "sample" (offline, scripted on each challenge) or "openai" (any
# OpenAI-compatible chat-completions endpoint at AI_BASE_URL).
AI_PROVIDER = os.environ.get("AI_PROVIDER", "sample")
AI_BASE_URL = os.environ.get("AI_BASE_URL", "")
AI_MODEL = os.environ.get("AI_MODEL", "")
AI_API_KEY = os.environ.get("AI_API_KEY", "")
AI_TIMEOUT = float(os.environ.get("AI_TIMEOUT", "20"))
AI_MAX_RETRIES = int(os.environ.get("AI_MAX_RETRIES", "2"))

# LEADERBOARD
# ------------------------------------------------------------------------------
# Most points a user can earn per kind per day (site time zone); kinds not listed are uncapped.
LEADERBOARD_DAILY_CAPS = {
    "kudos.received": 50,
    "review.given": 100,
    "reflection.upvoted": 50,
    "lesson.completed": 200,
    # Confirmed field reports (mentoring): no farming of the company's real systems.
    "fieldreport.confirmed": 150,
}
# Seconds between live updates of one board: a burst of awards becomes one update.
LEADERBOARD_BROADCAST_INTERVAL = float(os.environ.get("LEADERBOARD_BROADCAST_INTERVAL", "1"))
# Rows in a board's top list (pages, websocket and API default).
LEADERBOARD_BOARD_SIZE = 20
# Rows of people and of teams in each live-board frame (1..50): the top N, plus the viewer's own.
LEADERBOARD_LIVE_ROWS = int(os.environ.get("LEADERBOARD_LIVE_ROWS", "50"))
# Threads per worker for the board sockets' database work (each holds a database connection).
LEADERBOARD_SOCKET_THREADS = int(os.environ.get("LEADERBOARD_SOCKET_THREADS", "4"))
# Seconds between a worker's presence heartbeats (0: none), and after how long without one a
# socket's presence row counts as a ghost (not a watcher; swept). See leaderboard/presence.py.
LEADERBOARD_PRESENCE_HEARTBEAT = float(os.environ.get("LEADERBOARD_PRESENCE_HEARTBEAT", "30"))
LEADERBOARD_PRESENCE_STALE_AFTER = float(os.environ.get("LEADERBOARD_PRESENCE_STALE_AFTER", "90"))
# Kudos each employee can give per week (renews Monday), and points a kudos earns.
LEADERBOARD_KUDOS_WEEKLY_BUDGET = 5
LEADERBOARD_KUDOS_POINTS = 5

# HOME (integrations)
# ------------------------------------------------------------------------------
# xAPI: learning events go to the company's LRS when XAPI_ENDPOINT is set (e.g.
# https://lrs.example.com/xapi/), queued in the database and retried until the LRS accepts them.
XAPI_ENDPOINT = os.environ.get("XAPI_ENDPOINT", "")
XAPI_USERNAME = os.environ.get("XAPI_USERNAME", "")
XAPI_PASSWORD = os.environ.get("XAPI_PASSWORD", "")
XAPI_TIMEOUT = float(os.environ.get("XAPI_TIMEOUT", "10"))
# The actor's account homePage (identifies people by site account, never by e-mail).
XAPI_ACTOR_HOMEPAGE = os.environ.get("XAPI_ACTOR_HOMEPAGE", WAGTAILADMIN_BASE_URL)

# CORPUS EXPORT
# ------------------------------------------------------------------------------
# Key of the pseudonymous author ids in the exported corpus (an HMAC of the user id). Keep it
# stable so ids stay comparable across exports; by default it is derived from the secret key.
CORPUS_PSEUDONYM_SECRET = (
    os.environ.get("CORPUS_PSEUDONYM_SECRET")
    or hashlib.sha256(f"corpus-pseudonyms:{SECRET_KEY}".encode()).hexdigest()
)

# BENCHMARKS
# ------------------------------------------------------------------------------
# Mounts /bench/bare/, a view that renders nothing and reads no database: the reference that
# bench/pages.py compares page throughput with. Off unless a benchmark run turns it on.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)
