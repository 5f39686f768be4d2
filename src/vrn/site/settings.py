"""Django settings: the one place where configuration is read from the environment.

Every setting that differs between machines comes from an environment variable,
documented in docs/configuration.md. Nothing else in the code reads ``os.environ``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import csp.constants as csp
import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from vrn.analytics.stats.disclosure import HesRule
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


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def public_policy_from_text(text: str, name: str) -> HesRule:
    """The public disclosure policy from its setting (see ``VRN_PUBLIC_DISCLOSURE``)."""
    parts = text.strip().lower().split(":")
    if parts[0] != "hes" or len(parts) not in (1, 3):
        raise ImproperlyConfigured(f"{name} must be 'hes' or 'hes:HIGH:BASE', not {text!r}.")
    if len(parts) == 1:
        return HesRule()
    try:
        high, base = int(parts[1]), int(parts[2])
    except ValueError:
        raise ImproperlyConfigured(f"{name}: HIGH and BASE must be whole numbers.") from None
    if high < 1 or base < 1:
        raise ImproperlyConfigured(f"{name}: HIGH and BASE must be at least 1.")
    return HesRule(high=high, base=base)


def _integer(name: str, default: int, *, minimum: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {minimum}.")
    return number


# --- Mode and secrets ------------------------------------------------------

#: The values ``VRN_ENV`` may take (any case). ``production`` turns on the production checks
#: below; an unknown value is refused rather than silently run as development.
ENVIRONMENTS = ("development", "production")
ENVIRONMENT = os.environ.get("VRN_ENV", "development").strip().lower()
if ENVIRONMENT not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"VRN_ENV={os.environ['VRN_ENV']!r} is not a known environment: "
        f"set it to one of {', '.join(ENVIRONMENTS)} (or leave it unset for development)."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = _flag("VRN_DEBUG", default=not PRODUCTION)

_DEVELOPMENT_SECRET_KEY = "vrn-development-only-key-never-use-in-production"
#: A production SECRET_KEY needs this many characters, this many different ones, and
#: this share of its 3-character sequences different (so not a short pattern repeated).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 12
SECRET_KEY_MIN_DISTINCT_TRIGRAMS = 0.75


def weak_secret_key(key: str) -> str | None:
    """Why ``key`` is too weak for production, or None if it will do."""
    if key == _DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure"):
        return "it is a development key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has fewer than {SECRET_KEY_MIN_LENGTH} characters"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        return f"it has fewer than {SECRET_KEY_MIN_DISTINCT} different characters"
    trigrams = [key[i : i + 3] for i in range(len(key) - 2)]
    if len(set(trigrams)) < SECRET_KEY_MIN_DISTINCT_TRIGRAMS * len(trigrams):
        return "it repeats a short pattern"
    return None


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    _weakness = weak_secret_key(SECRET_KEY) if SECRET_KEY else "it is not set"
    if _weakness:
        raise ImproperlyConfigured(
            f"VRN_ENV=production needs a real SECRET_KEY ({_weakness}): set the SECRET_KEY "
            f"environment variable to a random string of at least {SECRET_KEY_MIN_LENGTH} "
            f"characters with at least {SECRET_KEY_MIN_DISTINCT} different ones, e.g. the "
            "output of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
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
#: Caches every web worker shares (built dashboard data, pages, profiles): files, so that
#: all workers of a deployment reuse what one built. Safe to delete at any time.
VRN_CACHE_DIR = Path(os.environ.get("VRN_CACHE_DIR", DATA_DIR / "cache")).resolve()
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VRN_CACHE_DIR / "django"),
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 5_000},
    }
}

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
    # WAL lets the web server read while a load writes; IMMEDIATE avoids lock upgrades and
    # serialises loads (docs/ingest.md). A writer waits up to VRN_SQLITE_TIMEOUT seconds for
    # another's transaction (a large partner file holds it while its rows are inserted).
    _database.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": _integer("VRN_SQLITE_TIMEOUT", 120, minimum=1),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    _database.setdefault("TEST", {})["NAME"] = os.environ.get("VRN_TEST_SQLITE_NAME") or None
elif os.environ.get("VRN_TEST_DATABASE_NAME"):
    # Separate test databases for test runs side by side on one PostgreSQL server.
    _database.setdefault("TEST", {})["NAME"] = os.environ["VRN_TEST_DATABASE_NAME"]
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- The network ------------------------------------------------------------

#: The Violence Reduction Network this deployment serves (LLR unless configured otherwise).
VRN_NETWORK = network_from_environment(os.environ)
#: An analyst's folder of edited definition files (docs/definitions.md); None = the shipped ones.
VRN_DEFINITIONS_DIR = definitions_dir_from_environment(os.environ)

#: The disclosure control of every figure the public sees (docs/dashboard.md):
#: ``hes`` (the NHS HES rule: 1-7 shown as *, others rounded to the nearest 5) or
#: ``hes:HIGH:BASE`` (1 to HIGH suppressed, others rounded to the nearest BASE).
VRN_PUBLIC_DISCLOSURE_POLICY = public_policy_from_text(
    os.environ.get("VRN_PUBLIC_DISCLOSURE", "hes"), "VRN_PUBLIC_DISCLOSURE"
)
#: Seconds a dashboard page waits for its data to be built after a load before it shows
#: the previous build (marked as being updated) while the build goes on; ``none``: wait
#: however long it takes (the build then runs in the request).
VRN_DASHBOARD_BUILD_WAIT: float | None = (
    None
    if os.environ.get("VRN_DASHBOARD_BUILD_WAIT", "").strip().lower() == "none"
    else float(_integer("VRN_DASHBOARD_BUILD_WAIT", 20, minimum=0))
)
#: The finest map the public sees: ``lsoa``, ``ward`` (default) or ``local_authority``.
VRN_PUBLIC_MAP_LEVEL = _choice("VRN_PUBLIC_MAP_LEVEL", "ward", ("lsoa", "ward", "local_authority"))
#: A tile server's URL template (``https://.../{z}/{x}/{y}.png``) for a background behind
#: the dashboard's maps; empty (the default): boundaries only, no request leaves the site.
VRN_MAP_TILES = os.environ.get("VRN_MAP_TILES", "").strip()
#: The attribution the tile provider requires, shown under every map with tiles.
VRN_MAP_TILES_ATTRIBUTION = os.environ.get("VRN_MAP_TILES_ATTRIBUTION", "").strip()
if VRN_MAP_TILES and not VRN_MAP_TILES.startswith("https://"):
    raise ImproperlyConfigured("VRN_MAP_TILES must be an https:// URL template.")
if VRN_MAP_TILES and not all(part in VRN_MAP_TILES for part in ("{z}", "{x}", "{y}")):
    raise ImproperlyConfigured("VRN_MAP_TILES must contain {z}, {x} and {y}.")

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
    "csp",
    "axes",
    "vrn.accounts",
    "vrn.audit",
    "vrn.geography",
    "vrn.ingest",
    "vrn.crime",
    "vrn.police",
    "vrn.health",
    "vrn.indicators",
    "vrn.measures",
    "vrn.profile",
    "vrn.dashboard",
    "vrn.hotspots",
    "vrn.interventions",
    "vrn.demo",
    "vrn.synth",
]

MIDDLEWARE = [
    # Outermost, so that every response gets these headers, HTTPS redirects and static files
    # included: Permissions-Policy and Cache-Control (vrn.web.middleware), then the CSP.
    "vrn.web.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:sign-in"
#: After signing in: the page for the user's role (vrn.web.views.start).
LOGIN_REDIRECT_URL = "web:start"
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
SILENCED_SYSTEM_CHECKS: list[str] = []
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _flag("VRN_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _flag("VRN_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Turned off on purpose (docs/configuration.md), so `vrn check --deploy` need not say so.
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS.append("security.W008")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

#: Content-Security-Policy on every response (django-csp): only this site's own scripts,
#: styles, fonts and images (and the empty ``data:`` favicon), no inline scripts or styles,
#: no plugins, never framed, forms posted only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        # The tile server, when a deployment sets one (VRN_MAP_TILES).
        "img-src": [
            csp.SELF,
            "data:",
            *(["https://" + VRN_MAP_TILES.split("/")[2]] if VRN_MAP_TILES else []),
        ],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
        "upgrade-insecure-requests": PRODUCTION,
    }
}

#: How many reverse proxies in front of the site add the client's address to
#: X-Forwarded-For; 0: the client is the address that connects (REMOTE_ADDR).
VRN_PROXY_COUNT = _integer("VRN_PROXY_COUNT", 0, minimum=0)

# Sign-in throttling (django-axes): after VRN_SIGN_IN_FAILURE_LIMIT failed sign-ins for one
# username, or from one address, further sign-ins for it are refused (the right password
# too) for VRN_SIGN_IN_COOLOFF_MINUTES after the last attempt. Every failure and lockout
# goes to the audit trail (vrn.web.signin).
AXES_FAILURE_LIMIT = _integer("VRN_SIGN_IN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=_integer("VRN_SIGN_IN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# Not reset by a successful sign-in: that would let anyone with an account of their own
# clear their address's count between guesses at other accounts.
AXES_RESET_ON_SUCCESS = False
AXES_HANDLER = "vrn.web.signin.AuditedAxesHandler"
AXES_CLIENT_IP_CALLABLE = "vrn.web.signin.client_address"
AXES_LOCKOUT_CALLABLE = "vrn.web.signin.locked_out"
# No axes log of successful sign-ins (addresses kept for ever, read by nothing here).
AXES_DISABLE_ACCESS_LOG = True

# --- Serving ------------------------------------------------------------------

#: gunicorn worker processes for `vrn serve --production`.
VRN_WEB_WORKERS = _integer("VRN_WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8), minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VRN_LOG_LEVEL", "WARNING")},
}

# --- The REST API (docs/api.md) -------------------------------------------------

INSTALLED_APPS += [
    "rest_framework",
    # Its tokens let a provider's system call the API (`vrn api-token USERNAME`).
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI's files, served by this site (no CDN: the CSP allows only our scripts).
    "drf_spectacular_sidecar",
    # The API's docs page and script; keeps tokens out of the admin (after the admin).
    "vrn.interventions.api",
]
REST_FRAMEWORK = {
    # A token (`Authorization: Token ...`) for systems, the session for browsers; the
    # token comes first so that a request without either is answered 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's browsable pages have inline scripts, which the CSP forbids.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "vrn.interventions.api.errors.exception_handler",
    # ASCII output (\u escapes): a caller's text echoed in an error may hold characters
    # UTF-8 cannot encode (lone surrogates).
    "UNICODE_JSON": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "VRN Platform API",
    "DESCRIPTION": (
        "Intervention monitoring: programmes, participants and their journeys. "
        "See docs/api.md for tokens, the purpose parameter, pagination and errors."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page: anyone signed in (they describe no record).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "vrn.interventions.api.schema.finish_schema",
    ],
}
