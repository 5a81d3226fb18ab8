"""Settings for the harm-reduction content system.

Everything that differs between a laptop and production is read from the environment.
The defaults are for development; production must set DEBUG=0 and a real SECRET_KEY
(the process refuses to start otherwise).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

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
    "content",  # before markdownx: our markdownx/widget.html replaces its own
    "markdownx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
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

LANGUAGE_CODE = "en"
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
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
# Where the studio is reached, for links in e-mails.
STUDIO_BASE_URL = os.environ.get("STUDIO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

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
# Django's cache holds rendered public pages (content/public_cache.py), keyed so that nothing
# expires by time: each process keeps its own in memory, at most CACHE_MAX_ENTRIES entries
# (a post page is 5-25 KB), oldest culled first.
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
# Further official addresses (mirrors) for the signed /mirrors.txt, comma-separated full URLs;
# empty by default: the list then names the two addresses above.
PUBLIC_MIRRORS = [url.rstrip("/") for url in env_list("PUBLIC_MIRRORS", "")]
