"""Django settings: the one place where configuration is read from the environment.

Every setting that differs between machines comes from an environment variable,
documented in docs/configuration.md. Nothing else in the code reads ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from vrn.definitions import definitions_dir_from_environment
from vrn.geography.network import network_from_environment

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# In a source checkout (src layout) local state defaults to the checkout; otherwise to the cwd.
_CHECKOUT = PACKAGE_DIR.parent.parent
BASE_DIR = _CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd()


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# --- Mode and secrets ------------------------------------------------------

#: ``VRN_ENV=production`` turns on the production checks below; anything else is development.
ENVIRONMENT = os.environ.get("VRN_ENV", "development").strip().lower()
PRODUCTION = ENVIRONMENT == "production"
DEBUG = _flag("VRN_DEBUG", default=not PRODUCTION)

_DEVELOPMENT_SECRET_KEY = "vrn-development-only-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY == _DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "VRN_ENV=production needs a real SECRET_KEY: set the SECRET_KEY environment "
            "variable to a random string of at least 50 characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("VRN_DEBUG must not be on when VRN_ENV=production.")
elif not SECRET_KEY:
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost").split(
        ","
    )
    if host.strip()
]
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver"]

# --- Data directory and database --------------------------------------------

#: Where the embedded SQLite database and other local state live.
DATA_DIR = Path(os.environ.get("VRN_DATA_DIR", BASE_DIR / "var")).resolve()

#: Where ``vrn demo`` and ``vrn load-reference`` look for the public source files.
REFERENCE_DATA_DIR = Path(
    os.environ.get("VRN_REFERENCE_DATA_DIR", BASE_DIR.parent / "shared" / "data" / "real")
).resolve()

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    _database = dj_database_url.parse(_database_url, conn_max_age=60)
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "vrn.sqlite3"),
    }
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a load writes; IMMEDIATE avoids lock upgrades.
    _database.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    _database.setdefault("TEST", {})["NAME"] = os.environ.get("VRN_TEST_SQLITE_NAME") or None
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- The network ------------------------------------------------------------

#: The Violence Reduction Network this deployment serves (LLR unless configured otherwise).
VRN_NETWORK = network_from_environment(os.environ)
#: An analyst's folder of edited definition files (docs/definitions.md); None = the shipped ones.
VRN_DEFINITIONS_DIR = definitions_dir_from_environment(os.environ)

# --- Pseudonymisation ---------------------------------------------------------

#: The secret that keys person pseudonyms (HMAC-SHA-256, docs/formats/README.md). Never
#: stored in the database or logged; without it, files with identifier columns are refused.
VRN_PSEUDONYM_KEY = os.environ.get("VRN_PSEUDONYM_KEY", "")

# --- Applications -----------------------------------------------------------

INSTALLED_APPS = [
    # First, so that its templates (admin/base_site.html: the synthetic-data notice) win.
    "vrn.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "vrn.accounts",
    "vrn.geography",
    "vrn.ingest",
    "vrn.crime",
    "vrn.police",
    "vrn.health",
    "vrn.indicators",
    "vrn.measures",
    "vrn.dashboard",
    "vrn.demo",
    "vrn.synth",
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
]

ROOT_URLCONF = "vrn.site.urls"
WSGI_APPLICATION = "vrn.site.wsgi.application"

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
                "vrn.web.context_processors.platform",
                "vrn.web.context_processors.synthetic_data",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "dashboard:network"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here for production; in development files come from the apps directly.
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION or (DATA_DIR / "static").is_dir() else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Security ---------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("VRN_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VRN_LOG_LEVEL", "WARNING")},
}
