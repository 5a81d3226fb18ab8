"""Settings for the harm-reduction content system.

Everything that differs between a laptop and production is read from the environment.
The defaults are for development; production must set DEBUG=0 and a real SECRET_KEY
(the process refuses to start otherwise).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Lets classes the type stubs declare generic be subscripted at run time too, as in
# `class PostAdmin(admin.ModelAdmin[Post])` (django-stubs' documented set-up).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off the development key is refused: "
        "set SECRET_KEY in the environment (or DEBUG=1 on a development machine)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # full-text search (content/search.py); harmless on SQLite
    # Before content: their permissions must exist when content's roles are granted after migrate.
    "axes",  # the login throttle (harmreduction/accounts.py)
    "django_tasks_db",  # the background task queue (content/tasks.py)
    "content",  # before markdownx: our markdownx/widget.html replaces its own
    "markdownx",
    "harmreduction",  # connects the session's idle clock to logins (harmreduction/apps.py)
    # The read-only partner API (/api/v1/, content/api/): DRF, its OpenAPI document, Swagger UI
    # served by us (the sidecar: no CDN), CORS for GET on /api/ only.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "content.api",
]

MIDDLEWARE = [
    # First, so that it sees every response: no-store on private pages, no HSTS on onion ones.
    "harmreduction.middleware.PrivatePagesMiddleware",
    # As high as it can be (django-cors-headers asks it): answers CORS preflights on /api/ only.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After every header above, before sessions and the rest: the cached public pages (index,
    # posts, feeds) read no session, user, CSRF token or message (content/public_middleware.py).
    "content.public_middleware.PublicPagesFirstMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order): the language of a page that
    # is not the public site's nor a signed-in person's studio page follows Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "harmreduction.middleware.IdleSessionMiddleware",
    # After authentication: a signed-in person's studio pages speak the language they chose.
    "harmreduction.middleware.StudioLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: turns a refused login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "harmreduction.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE for <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "content.context_processors.unread_notifications",
            ],
        },
    },
]

WSGI_APPLICATION = "harmreduction.wsgi.application"

# SQLite file by default; PostgreSQL in production via DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue behind each other instead of failing at once with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "content:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Signing in (harmreduction/accounts.py). django-axes' backend comes first: it refuses a
# locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "harmreduction.accounts.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# LOGIN_FAILURE_LIMIT failed logins for one account, or from one address, within
# LOGIN_LOCKOUT_MINUTES of each other lock that account or address for LOGIN_LOCKOUT_MINUTES
# after the last of them, the right password included (0: until an editor unlocks it).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))
# The header the reverse proxy sets to the client's address (X-Real-IP, or X-Forwarded-For
# whose last entry is read); empty: REMOTE_ADDR. Behind a proxy, without it every client has
# the proxy's address and the per-address limit becomes one limit for everybody.
LOGIN_CLIENT_IP_HEADER = os.environ.get("LOGIN_CLIENT_IP_HEADER", "").strip()
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # counts shared by all workers
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = (
    datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES) if LOGIN_LOCKOUT_MINUTES else None
)
# Either one locks: per account (guessing one password from many addresses) and per address
# (trying many accounts from one).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A refused login during the lock is not counted, so the lock ends when the page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the failures: it would wipe those of every account tried from the
# same address, so anyone with an account could reset the count between guesses.
AXES_RESET_ON_SUCCESS = False
# No record of successful logins: the team's addresses are not kept.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "harmreduction.accounts.client_ip"
AXES_LOCKOUT_CALLABLE = "harmreduction.accounts.locked_out"
AXES_HTTP_RESPONSE_CODE = 429

# Password reset by e-mail (/accounts/password_reset/): the link in the mail is on
# STUDIO_BASE_URL and works once, for an hour; one mail per account every
# PASSWORD_RESET_MAIL_MINUTES at most.
PASSWORD_RESET_TIMEOUT = 3600
PASSWORD_RESET_MAIL_MINUTES = int(os.environ.get("PASSWORD_RESET_MAIL_MINUTES", "15"))
# An invitation's link (content/team.py) works once, for this many seconds: a newcomer may read
# the mail days later, unlike someone who just asked for a reset.
INVITATION_TIMEOUT = int(os.environ.get("INVITATION_TIMEOUT", str(7 * 24 * 3600)))

# A session ends after SESSION_IDLE_MINUTES without a studio request; each studio request
# pushes the end back (harmreduction/middleware.py; not SESSION_SAVE_EVERY_REQUEST, which would
# write the session on every request, public pages of a signed-in team member included).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "480"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60

# The interface speaks Dutch, French and English; English is the source of the catalogues in
# content/locale/. A person chooses their studio language (content.languages); the public site
# speaks the language of its address (/nl/...), the home page the reader's Accept-Language.
LANGUAGE_CODE = "en"
LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "content" / "locale"]
# Short dates per language (harmreduction/formats): ISO in English, day/month/year in Dutch and
# French as in Belgium; decimals with a comma in Dutch and French (Django's own formats).
FORMAT_MODULE_PATH = ["harmreduction.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Mail: printed to the console in development; SMTP (settings from the environment) otherwise.
MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": os.environ.get(
            "MAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("SMTP_HOST", "localhost"),
        "port": int(os.environ.get("SMTP_PORT", "25")),
        "username": os.environ.get("SMTP_USER", ""),
        "password": os.environ.get("SMTP_PASSWORD", ""),
        "use_tls": env_bool("SMTP_TLS", default=False),
        # Without one, a mail server that never answers holds a task worker (or the
        # password-reset request) forever.
        "timeout": int(os.environ.get("SMTP_TIMEOUT", "10")),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
# Where the studio is reached, for links in e-mails.
STUDIO_BASE_URL = os.environ.get("STUDIO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (content/tasks.py: notification mail, overdue reminders, bulk exports) runs as
# Django tasks. "database" (the default) keeps the queue in our own database, so it needs nothing
# beside PostgreSQL or SQLite; run `manage.py db_worker` and `manage.py run_scheduler` beside the
# web server. "immediate" runs each task in the process that enqueues it, right away (no worker:
# requests wait for the mail server again). RQ on Redis, for larger installations, is described
# in README.md ("Background work"); it needs django-tasks-rq, which is not installed.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS: dict[str, dict[str, Any]] = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# django_tasks_db is always installed (INSTALLED_APPS), whatever the backend: its tables exist,
# so switching needs no migration.
# Finished task results (and failed ones, with their traceback) are kept this many days, then
# the scheduler deletes them.
TASK_RESULT_DAYS = int(os.environ.get("TASK_RESULT_DAYS", "14"))

# Security headers. The site loads nothing from third parties, so it can also be an onion service.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: browsers then send "Origin: null" and CSRF checks refuse forms.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS. Behind a reverse proxy that ends TLS, SECURE_PROXY_SSL_HEADER names the header it sets
# to "https" (X-Forwarded-Proto); the proxy must overwrite what a client sent in it. The onion
# service is plain HTTP with Tor's end-to-end encryption: its proxy sets the same header, so it
# is not redirected to https:// (which it does not have) and gets no HSTS (the private-pages
# middleware removes it on .onion hosts).
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Monitors and the proxy may ask for the health check over plain HTTP on the local network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
# Opt-in: every subdomain would have to serve HTTPS, and leaving the browsers' preload list
# takes months.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# check --deploy warns whenever those two are off; they are off by decision (above).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# Content limits, shown to authors in form errors and documented in the README.
CONTENT_MAX_BODY_CHARS = int(os.environ.get("CONTENT_MAX_BODY_CHARS", "100000"))
CONTENT_MAX_IMAGE_BYTES = int(os.environ.get("CONTENT_MAX_IMAGE_BYTES", str(5 * 1024 * 1024)))
CONTENT_MAX_IMAGE_PIXELS = int(os.environ.get("CONTENT_MAX_IMAGE_PIXELS", str(40_000_000)))
CONTENT_IMAGE_MAX_EDGE = int(os.environ.get("CONTENT_IMAGE_MAX_EDGE", "2000"))
# Keeps a multipart upload of an oversized image from being buffered whole before we refuse it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * CONTENT_MAX_IMAGE_BYTES
# The public verify page (content/verification.py): the largest paste it checks, and how many
# checks a minute it runs for all readers of one address (clear net or onion) together.
VERIFY_MAX_BYTES = int(os.environ.get("VERIFY_MAX_BYTES", "200000"))
VERIFY_RATE_LIMIT = int(os.environ.get("VERIFY_RATE_LIMIT", "60"))
# Django's cache holds rendered public pages (content/public_cache.py) and rendered exports
# (content/export_cache.py), keyed so that nothing needs invalidating. By default each process
# keeps its own in memory, at most CACHE_MAX_ENTRIES entries (a post page is 5-25 KB), oldest
# culled first. With REDIS_URL every worker shares one cache in Redis (django-redis).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "content.export_cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Our keys apart from anything else kept in the same Redis database.
            "KEY_PREFIX": "harmreduction",
            "OPTIONS": {
                # Pages and exports kept here can always be rendered again, so a Redis outage
                # must not take them down: a failed read is a miss, a failed write is skipped
                # and logged (below), and a dead or hung server costs each call at most these
                # timeouts (seconds) instead of hanging the worker. The counters kept here
                # lapse meanwhile: /verify/ checks without its rate limit, and password-reset
                # mails are not sent until Redis answers again (content.export_cache.RedisCache).
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
        }
    }
# Every list is paginated: rows per page on the public site (index, per language) and in the
# studio (dashboards, review queue, history, reposts, notifications, audit log).
PUBLIC_PAGE_SIZE = int(os.environ.get("PUBLIC_PAGE_SIZE", "30"))
STUDIO_PAGE_SIZE = int(os.environ.get("STUDIO_PAGE_SIZE", "50"))

# django-markdownx: the editor's live preview goes through the project's one Markdown module,
# and both endpoints are served by our own views (login, permission and size checks).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "content.markdown.render_html"
MARKDOWNX_URLS_PATH = "/studio/markdown/preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/studio/markdown/upload/"
MARKDOWNX_SERVER_CALL_LATENCY = 400
MARKDOWNX_EDITOR_RESIZABLE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Forum exports (content/exports.py). The gpg key store holds the organisation's secret signing
# keys; keep its path short (gpg-agent puts its socket in it, and socket paths are limited).
# Keys generated in the studio have no passphrase; an imported key with one is unlocked with
# GNUPG_PASSPHRASE. Never put the key store in a directory the web server serves.
GNUPG_HOME = Path(os.environ.get("GNUPG_HOME", BASE_DIR / "var" / "gnupg"))
GNUPG_PASSPHRASE = os.environ.get("GNUPG_PASSPHRASE", "")
# The public site's addresses, for canonical links in exports. The clear-net one defaults to
# this application's own address (it serves the public site too); the onion one, if any, must
# be set ("" leaves it out).
PUBLIC_SITE_URL = os.environ.get("PUBLIC_SITE_URL", STUDIO_BASE_URL).rstrip("/")
PUBLIC_ONION_URL = os.environ.get("PUBLIC_ONION_URL", "").rstrip("/")
if PUBLIC_ONION_URL:
    # The onion proxy marks requests as secure (see SECURE_PROXY_SSL_HEADER), so Django expects
    # an https:// origin; Tor Browser sends http://<onion>. It is our own address.
    _onion = urlsplit(PUBLIC_ONION_URL)
    CSRF_TRUSTED_ORIGINS.append(f"{_onion.scheme}://{_onion.netloc}")
# Further official addresses (mirrors) for the signed /mirrors.txt, comma-separated full URLs;
# empty by default: the list then names the two addresses above.
PUBLIC_MIRRORS = [url.rstrip("/") for url in env_list("PUBLIC_MIRRORS", "")]

# The partner API (content/api/). Read-only JSON for everybody: no authentication, so no
# session is read, no cookie set and no CSRF check made; JSON only (no browsable HTML API).
# Each client address may make API_THROTTLE_RATE requests ("120/minute", "2/second"; "" for no
# limit), counted in Django's cache under a keyed hash of the address (content/api/throttling.py).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["content.api.throttling.ClientAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Harm-reduction partner API",
    "DESCRIPTION": (
        "Read-only: the published posts of our public site, for partner organisations to show "
        "on their own sites. Addresses in answers are paths: join them to the address you "
        "called (clear net or onion). Answers carry an ETag; send it back in If-None-Match "
        "and get 304 while nothing changed. A withdrawn post answers 410: take it down."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar), no third-party request.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: Swagger UI would send our schema's address to validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
# CORS: any site may read the API from a browser (GET, HEAD, OPTIONS), without credentials;
# nothing outside /api/ gets CORS headers.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "content-language", "if-none-match")
CORS_EXPOSE_HEADERS = ("ETag", "Retry-After")
