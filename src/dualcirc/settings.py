"""Django settings for dualcirc.

Every setting comes from the environment or from the file named by ``DUALCIRC_CONFIG_FILE``
(``NAME=value`` lines; the environment wins). Each one is documented in docs/operations.md
(a test fails when one is not). The defaults are for development (``make run``, the tests);
``DUALCIRC_ENV=production`` switches on the production defaults and refuses to start with the
development secret key, DEBUG or SQLite (``dualcirc.ops.production``).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dualcirc.ops.config import Config
from dualcirc.ops.production import (
    DEV_SECRET_KEY,
    ENVIRONMENTS,
    configuration_problems,
    refusal_message,
)

CONFIG = Config()

DUALCIRC_ENV = CONFIG("DUALCIRC_ENV", "development").strip().lower()
if DUALCIRC_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(f"DUALCIRC_ENV={DUALCIRC_ENV!r}: expected one of {ENVIRONMENTS}.")
PRODUCTION = DUALCIRC_ENV == "production"

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(CONFIG("DUALCIRC_DATA_DIR", "var")).resolve()

DEBUG = CONFIG.flag("DUALCIRC_DEBUG", not PRODUCTION)
SECRET_KEY = CONFIG("DUALCIRC_SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = CONFIG.words("DUALCIRC_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = CONFIG.words("DUALCIRC_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before django_tasks_db: its `db_worker` command is the ops app's (retries, recovery).
    "dualcirc.ops",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs page's Swagger UI from static files, not a CDN
    "dualcirc.core",
    "dualcirc.catalog",
    "dualcirc.search",
    "dualcirc.notify",
    "dualcirc.deals",
    "dualcirc.fair",
    "dualcirc.bureau",
    "dualcirc.channels",
    "dualcirc.demand",
    "dualcirc.web",
    # After the project's apps so that their registration/*.html templates (password reset)
    # win over the admin's look-alikes of the same name.
    # django.contrib.admin whose site gives every admin form the project's form base.
    "dualcirc.core.admin_site.ProjectAdminConfig",
]

MIDDLEWARE = [
    "dualcirc.ops.middleware.RequestIdMiddleware",
    # Errors under /api/ (unknown paths, unexpected exceptions) in the API's JSON shape.
    "dualcirc.ops.middleware.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) on responses that have none.
    "csp.middleware.CSPMiddleware",
    "dualcirc.ops.middleware.SecurityHeadersMiddleware",
    # Static files: WhiteNoise when DEBUG is off (collected into DATA_DIR/static by
    # `dualcirc serve` in production, or `dualcirc collectstatic`); with DEBUG on the development
    # server and the test live server serve them from the apps' folders.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "dualcirc.core.language.RememberLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL characters and lone surrogates in a query parameter or form field: 422 (core.sanitize);
    # after authentication, so that a page's error page knows who is signed in.
    "dualcirc.ops.middleware.HostileTextMiddleware",
    "dualcirc.ops.middleware.AnonymousPageCacheMiddleware",
    "dualcirc.web.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dualcirc.ops.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "dualcirc.urls"
WSGI_APPLICATION = "dualcirc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dualcirc.web.context_processors.navigation",
                "dualcirc.notify.context_processors.notifications",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'dualcirc.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        CONFIG("DATABASE_URL", _default_sqlite),
        conn_max_age=CONFIG.integer("DUALCIRC_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server, the task worker and the CLI read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Argon2id first: new and changed passwords are stored with it, older hashes still verify and
# are upgraded at the next sign-in. (tests/settings.py uses a fast hasher instead.)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
    ("vi", _("Vietnamese")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
SEARCH_INDEX_DIR = DATA_DIR / "index"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Spreadsheet imports (catalog, bureau figures): the largest file, its unpacked size (XLSX),
# its data rows and columns, and how many problems a report lists (the rest are counted).
# Page uploads larger than this run as a background import job with progress and cancel.
IMPORT_BACKGROUND_BYTES = CONFIG.integer("DUALCIRC_IMPORT_BACKGROUND_BYTES", 256 * 1024, minimum=0)
IMPORT_MAX_BYTES = CONFIG.integer("DUALCIRC_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
IMPORT_MAX_UNPACKED_BYTES = CONFIG.integer(
    "DUALCIRC_IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024, minimum=1024
)
IMPORT_MAX_ROWS = CONFIG.integer("DUALCIRC_IMPORT_MAX_ROWS", 50000, minimum=1)
IMPORT_MAX_COLUMNS = CONFIG.integer("DUALCIRC_IMPORT_MAX_COLUMNS", 200, minimum=10)
IMPORT_MAX_ERRORS = CONFIG.integer("DUALCIRC_IMPORT_MAX_ERRORS", 500, minimum=1)

EMAIL_BACKEND = CONFIG("DUALCIRC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = CONFIG("DUALCIRC_DEFAULT_FROM_EMAIL", "dualcirc <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = CONFIG("DUALCIRC_EMAIL_HOST", "localhost")
EMAIL_PORT = CONFIG.integer("DUALCIRC_EMAIL_PORT", 25)
EMAIL_HOST_USER = CONFIG("DUALCIRC_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = CONFIG("DUALCIRC_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = CONFIG.flag("DUALCIRC_EMAIL_USE_TLS", False)

TASKS = {
    "default": {
        "BACKEND": CONFIG("DUALCIRC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The worker (`dualcirc db_worker`, dualcirc.ops.worker): tries of a failing task, the first
# wait before trying again (doubled each time), and how long a task may run before a worker on
# another machine takes it for abandoned.
TASK_MAX_ATTEMPTS = CONFIG.integer("DUALCIRC_TASK_MAX_ATTEMPTS", 5, minimum=1)
TASK_RETRY_SECONDS = CONFIG.integer("DUALCIRC_TASK_RETRY_SECONDS", 30)
TASK_STALE_MINUTES = CONFIG.integer("DUALCIRC_TASK_STALE_MINUTES", 60, minimum=1)
# Demand signals (docs/demand.md) older than this are deleted by `dualcirc periodic`.
DEMAND_RETENTION_DAYS = CONFIG.integer("DUALCIRC_DEMAND_RETENTION_DAYS", 730, minimum=1)
# Unmet-demand lines and alerts count the searches of this many months (docs/demand.md).
DEMAND_UNMET_MONTHS = CONFIG.integer("DUALCIRC_DEMAND_UNMET_MONTHS", 3, minimum=1)
# The one currency the radar's asked and offered prices are shown in.
DEMAND_CURRENCY = CONFIG("DUALCIRC_DEMAND_CURRENCY", "CNY")
# The bureau's world map of export destinations (docs/bureau.md): an approved base map the
# operator installs (GeoJSON of countries keyed by ISO alpha-2 code) and its approval number
# (审图号), printed under the map. Unset: the destinations stay ranked bars.
WORLD_MAP = CONFIG("DUALCIRC_WORLD_MAP", "")
WORLD_MAP_CODE_PROPERTY = CONFIG("DUALCIRC_WORLD_MAP_CODE_PROPERTY", "ISO_A2")
WORLD_MAP_APPROVAL = CONFIG("DUALCIRC_WORLD_MAP_APPROVAL", "")
# `dualcirc db_worker` lowers its CPU priority by this much (nice), so that the search index's
# embedding tasks never slow down the web processes on the same machine (0: leave it).
TASK_WORKER_NICE = CONFIG.integer("DUALCIRC_TASK_WORKER_NICE", 10, minimum=0)

# Cached pages and counters. Each server process has its own memory cache unless a shared one
# is configured (e.g. django.core.cache.backends.redis.RedisCache with a redis:// location).
CACHES = {
    "default": {
        "BACKEND": CONFIG(
            "DUALCIRC_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
        ),
        "LOCATION": CONFIG("DUALCIRC_CACHE_LOCATION", "dualcirc"),
    }
}
# Public pages shown to signed-out visitors are cached this many seconds (0: never).
PAGE_CACHE_SECONDS = CONFIG.integer("DUALCIRC_PAGE_CACHE_SECONDS", 30 if PRODUCTION else 0)
PAGE_CACHE_URL_NAMES = frozenset(
    {"home", "product-list", "product-detail", "enterprise-list", "enterprise-detail"}
)

# --- Security -----------------------------------------------------------------------------
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto header.
if CONFIG.flag("DUALCIRC_BEHIND_TLS_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = CONFIG.flag("DUALCIRC_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = CONFIG.integer("DUALCIRC_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
# includeSubDomains binds every sub-domain of the site's host to HTTPS too: opt in once they
# all serve HTTPS (docs/operations.md).
SECURE_HSTS_INCLUDE_SUBDOMAINS = CONFIG.flag("DUALCIRC_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = CONFIG.flag("DUALCIRC_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^health/"]  # the load balancer probes over plain HTTP
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CONFIG.flag("DUALCIRC_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# htmx is vendored (no CDN), so scripts come only from this site; the inline style attributes
# of a few bar charts (and htmx's indicator style) need 'unsafe-inline' for styles only.
# The header is written by django-csp (csp.middleware.CSPMiddleware) from these directives;
# DUALCIRC_CONTENT_SECURITY_POLICY (a header value) replaces them, blank: no header.
_CSP_DIRECTIVES = CONFIG.policy_directives(
    "DUALCIRC_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES} if _CSP_DIRECTIVES else None

# Sign-in: lock an account after this many failed attempts in a row (within the lock-out
# window), and refuse an address that fails this many times within the window.
LOGIN_MAX_FAILURES = CONFIG.integer("DUALCIRC_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = CONFIG.integer("DUALCIRC_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
LOGIN_MAX_FAILURES_PER_ADDRESS = CONFIG.integer(
    "DUALCIRC_LOGIN_MAX_FAILURES_PER_ADDRESS", 30, minimum=1
)
# Failures of one account from all addresses slow its sign-ins (1, 2, 4 … s, at most this).
LOGIN_DELAY_MAX_SECONDS = CONFIG.integer("DUALCIRC_LOGIN_DELAY_MAX_SECONDS", 4)
# How many proxies in front of the server append to X-Forwarded-For (0: use the peer address),
# and the addresses they connect from: the header is read only from a peer in these networks.
TRUSTED_PROXY_COUNT = CONFIG.integer("DUALCIRC_TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)
TRUSTED_PROXY_NETWORKS = [
    ipaddress.ip_network(n, strict=False)
    for n in CONFIG.words("DUALCIRC_TRUSTED_PROXIES", "127.0.0.1/32,::1/128")
]

# --- Production server (`dualcirc serve` with DUALCIRC_ENV=production) ---------------------
WEB_WORKERS = CONFIG.integer("DUALCIRC_WEB_WORKERS", 0)  # 0: 2 × CPU cores + 1
WEB_THREADS = CONFIG.integer("DUALCIRC_WEB_THREADS", 4, minimum=1)
WEB_TIMEOUT = CONFIG.integer("DUALCIRC_WEB_TIMEOUT", 60, minimum=1)
# Each server worker loads the search index, its lexicons and the rates as it starts
# (ops.gunicorn_hooks), so that no first search pays for it.
WARM_UP = CONFIG.flag("DUALCIRC_WARM_UP", True)

# --- Logs ---------------------------------------------------------------------------------
LOG_FORMAT = CONFIG("DUALCIRC_LOG_FORMAT", "json" if PRODUCTION else "text").strip().lower()
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DUALCIRC_LOG_FORMAT={LOG_FORMAT!r}: expected json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dualcirc.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "dualcirc.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": CONFIG("DUALCIRC_LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},
        # One line per request comes from dualcirc.request (with its id); not twice.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

if PRODUCTION:
    _problems = configuration_problems(
        secret_key=SECRET_KEY,
        debug=DEBUG,
        database_engine=DATABASES["default"]["ENGINE"],
        allowed_hosts=ALLOWED_HOSTS,
    )
    if _problems:
        raise ImproperlyConfigured(refusal_message(_problems))
