"""amparo's only settings module.

Every setting comes from the environment (``AMPARO_*``); secrets may also come from a
file named by ``AMPARO_<NAME>_FILE``. Parsing is strict: a malformed value stops the
process at start-up instead of being silently replaced by a default. Every setting
read here is documented in ``docs/configuration.md`` (a test enforces it).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


ENVIRONMENT = env_str("AMPARO_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured("AMPARO_ENV must be development, production or test")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env_str("AMPARO_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _secret_key() -> str:
    configured = env_str("AMPARO_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ImproperlyConfigured("AMPARO_SECRET_KEY must be at least 32 characters")
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured(
            "AMPARO_SECRET_KEY (or AMPARO_SECRET_KEY_FILE) must be set in production"
        )
    # Development: one random key per data directory, so sessions survive restarts
    # and no shared default secret exists anywhere.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("AMPARO_DEBUG", False)
ALLOWED_HOSTS = env_list("AMPARO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("AMPARO_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_SECURE = env_bool("AMPARO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "amparo.core",
    "amparo.inbox",
    "amparo.api",
    "amparo.incidents",
    "amparo.radar",
    "amparo.lookalike",
    "amparo.assist",
    "amparo.sla",
]

MIDDLEWARE = [
    "amparo.core.middleware.BodySizeLimitMiddleware",
    "amparo.core.middleware.SecurityHeadersMiddleware",
    "amparo.core.middleware.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "amparo.urls"
WSGI_APPLICATION = "amparo.wsgi.application"
AUTH_USER_MODEL = "core.Agent"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"

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
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("AMPARO_DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] in ("django.db.backends.sqlite3", "amparo.core.sqlite"):
            return _sqlite(Path(config["NAME"]))
        return config
    return _sqlite(DATA_DIR / "amparo.sqlite3")


def _sqlite(path: Path) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "amparo.core.sqlite",
        "NAME": str(path),
        # One connection per web thread, kept: opening one runs the PRAGMAs below.
        "CONN_MAX_AGE": None,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock
            # at BEGIN, so two writers queue on the busy timeout instead of failing with
            # "database is locked" when a read transaction tries to upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA temp_store=MEMORY;"
                "PRAGMA mmap_size=134217728;"
            ),
        },
        "TEST": {"NAME": str(path.with_name(path.stem + "_test.sqlite3"))},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str("AMPARO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("es", _("Spanish")), ("en", _("English")), ("he", _("Hebrew"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("AMPARO_TIME_ZONE", "UTC")
LANGUAGE_COOKIE_NAME = "amparo_language"

STATIC_URL = "static/"
# Only for operators who publish static files elsewhere (`amparo collectstatic`).
STATIC_ROOT = env_str("AMPARO_STATIC_ROOT") or None
# Static files are served by the app itself from the installed packages: no collect
# step, and the console works offline behind a strict Content-Security-Policy.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Request bodies: the API states this limit in its 413 error.
MAX_BODY_BYTES = env_int("AMPARO_MAX_BODY_BYTES", 262_144, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
MAX_MESSAGE_CHARS = env_int("AMPARO_MAX_MESSAGE_CHARS", 20_000, minimum=100)

# Background processing
WORKER_POLL_SECONDS = env_int("AMPARO_WORKER_POLL_MS", 250, minimum=10) / 1000
RECOVER_AFTER_SECONDS = env_int("AMPARO_RECOVER_AFTER_SECONDS", 30)
REOPEN_WINDOW_HOURS = env_int("AMPARO_REOPEN_WINDOW_HOURS", 72)
INBOX_POLL_SECONDS = env_int("AMPARO_INBOX_POLL_SECONDS", 4, minimum=1)
STATUS_CACHE_SECONDS = env_int("AMPARO_STATUS_CACHE_SECONDS", 30)

# Original (unredacted) text of inbound messages: not kept unless this is more than 0.
# When kept, it is encrypted (Fernet: AES-128-CBC with HMAC-SHA256) with the first of
# AMPARO_ORIGINAL_KEYS (more keys, comma-separated, can still decrypt: rotation), read
# only by admins through `amparo original`, audited, and deleted after this many days.
KEEP_ORIGINAL_DAYS = env_int("AMPARO_KEEP_ORIGINAL_DAYS", 0)
ORIGINAL_KEYS = env_list("AMPARO_ORIGINAL_KEYS")
if KEEP_ORIGINAL_DAYS and not ORIGINAL_KEYS:
    raise ImproperlyConfigured(
        "AMPARO_KEEP_ORIGINAL_DAYS needs AMPARO_ORIGINAL_KEYS (or AMPARO_ORIGINAL_KEYS_FILE): "
        "generate one with `amparo original newkey`"
    )
if ORIGINAL_KEYS:
    from cryptography.fernet import Fernet

    for _key in ORIGINAL_KEYS:
        try:
            Fernet(_key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                "AMPARO_ORIGINAL_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)"
            ) from exc

# The impersonation watch answers a customer who met a lookalike account with a warning
# (in their language, listing the brand's official account). Off: findings only.
LOOKALIKE_WARN = env_bool("AMPARO_LOOKALIKE_WARN", True)

# Where trained models are cached (by a fingerprint of their training data).
MODEL_DIR = Path(env_str("AMPARO_MODEL_DIR", str(DATA_DIR / "models"))).resolve()

LOG_LEVEL = env_str("AMPARO_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
    raise ImproperlyConfigured("AMPARO_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "amparo.core.logging.RedactFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
