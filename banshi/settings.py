"""Settings, all read from the environment (see README "Configuration")."""

import ipaddress
import os
import re
import secrets
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from banshi.appeals.limits import REQUEST_BODY_MAX

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envduration(name: str, default: str) -> timedelta:
    """'12h', '7d', '30m', '45s' or plain seconds ('3600')."""
    value = os.environ.get(name, default).strip().lower()
    match = re.fullmatch(r"(\d+)\s*([smhd]?)", value)
    if match is None:
        raise ValueError(f"{name}={value!r}: expected e.g. 3600, 30m, 12h or 7d")
    unit = {"": "seconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    duration = timedelta(**{unit[match[2]]: int(match[1])})
    if not duration:
        raise ValueError(f"{name} must be longer than zero")
    return duration


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Residents' phones and addresses live under the data directory: everything this process
# creates is private to its user (files 0600, directories 0700), and so is the directory.
os.umask(0o077)
DATA_DIR = Path(os.environ.get("BANSHI_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _make_private(directory: Path) -> None:
    """Close a data directory made before the umask, and the files that hold personal data
    or secrets (the rest is out of reach once the directory is 0700)."""
    try:
        directory.chmod(0o700)
        for pattern in ("banshi.sqlite3*", "tasks.sqlite3*", "secret_key"):
            for path in directory.glob(pattern):
                path.chmod(0o600)
    except PermissionError:  # not ours to change: `banshi check` warns (banshi.W001)
        pass


_make_private(DATA_DIR)


def _secret_key() -> str:
    if key := os.environ.get("BANSHI_SECRET_KEY"):
        return key
    if given := os.environ.get("BANSHI_SECRET_KEY_FILE"):
        return Path(given).read_text().strip()
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("BANSHI_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("BANSHI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("BANSHI_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "ninja",  # Swagger UI from its own static files, not a CDN
    "csp",
    "huey.contrib.djhuey",
    "axes",
    "banshi.org",
    "banshi.appeals",
    "banshi.collection",
    "banshi.campaign",
    "banshi.reports",
    "banshi.api",
    "banshi.web",
    "banshi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "banshi.web.input_guard.RejectUnsafeInput",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "banshi.web.middleware.no_store",
    # last, so the lockout page it puts in place still gets the CSP and no-store headers
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before hashing
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "banshi.urls"
WSGI_APPLICATION = "banshi.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'banshi.sqlite3'}",
        conn_max_age=envint("BANSHI_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The interface is Chinese whatever the browser asks for: no LocaleMiddleware, one language.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("BANSHI_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX  # the API's photos come as base64 in JSON
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600  # photos and exports: like everything in the data directory
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Proxies whose X-Forwarded-For (and, over HTTPS, X-Forwarded-Proto) are believed.
BANSHI_TRUSTED_PROXIES = [str(ipaddress.ip_network(item, strict=False))
                          for item in envlist("BANSHI_TRUSTED_PROXIES")]
HTTPS = envbool("BANSHI_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = envint("BANSHI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("BANSHI_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("BANSHI_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    if BANSHI_TRUSTED_PROXIES:  # the proxy must set (not pass on) X-Forwarded-Proto
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Only the site's own scripts, styles, images and fonts; no inline code, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

REDIS_URL = os.environ.get("BANSHI_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(DATA_DIR / "cache")}}

HUEY = {
    "name": "banshi",
    "immediate": envbool("BANSHI_TASKS_IMMEDIATE", False),
    "utc": False,  # crontabs (nightly detection, weekly retraining) read in local time
    "consumer": {"workers": envint("BANSHI_WORKERS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "tasks.sqlite3")}

# Banshi's own settings.
BANSHI_NUMBER_PREFIX = os.environ.get("BANSHI_NUMBER_PREFIX", "ZY")
BANSHI_DISTRICT_NAME = os.environ.get("BANSHI_DISTRICT_NAME", "中原区")
# Routing: "central" (the district dispatcher 派单s every appeal) or "street_first" (an appeal
# whose community is known goes straight to its street's queue; see README "The chain").
BANSHI_ROUTING = os.environ.get("BANSHI_ROUTING", "central").strip().lower()
if BANSHI_ROUTING not in {"central", "street_first"}:
    raise ImproperlyConfigured("BANSHI_ROUTING must be central or street_first")
# Limits on what residents reach without an account (banshi/web/ratelimit.py): per client
# address (generous: a community centre's Wi-Fi is one address) and per device.
BANSHI_SUBMIT_RATE = os.environ.get("BANSHI_SUBMIT_RATE", "200/h")
BANSHI_DEVICE_SUBMIT_RATE = os.environ.get("BANSHI_DEVICE_SUBMIT_RATE", "10/h")
BANSHI_TRACK_RATE = os.environ.get("BANSHI_TRACK_RATE", "300/h")
BANSHI_DEVICE_TRACK_RATE = os.environ.get("BANSHI_DEVICE_TRACK_RATE", "30/h")
BANSHI_RATE_LIMIT_STORE = "cache" if REDIS_URL else "database"
BANSHI_SWEEP_MINUTES = envint("BANSHI_SWEEP_MINUTES", 5)
# A category is suggested only when the model learnt it from at least this many confirmed
# appeals (banshi.appeals.learning.suggest.min_examples).
BANSHI_TRIAGE_MIN_EXAMPLES = max(1, envint("BANSHI_TRIAGE_MIN_EXAMPLES", 10))

# Login lockout (django-axes): the same policy on /login/, /admin/login/ and
# POST /api/v1/auth/token; see banshi/org/lockout.py.
BANSHI_LOGIN_FAILURE_LIMIT = envint("BANSHI_LOGIN_FAILURE_LIMIT", 5)
BANSHI_LOGIN_IP_FAILURE_LIMIT = envint("BANSHI_LOGIN_IP_FAILURE_LIMIT", 30)
AXES_HANDLER = "banshi.org.lockout.LoginGuard"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = BANSHI_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=envint("BANSHI_LOGIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "banshi.org.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "banshi.org.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False  # listed in Chinese by banshi.org.admin instead
AXES_VERBOSE = False  # its log lines keep the user name and address masked either way

# API tokens: lifetime and how many live tokens one account may hold.
BANSHI_TOKEN_TTL = envduration("BANSHI_TOKEN_TTL", "12h")
BANSHI_TOKEN_MAX_PER_USER = envint("BANSHI_TOKEN_MAX_PER_USER", 10)

# The campaign's first day (the mobilisation meeting): the statistics page's "since the
# campaign began" period. Issue 9 replaces it with the Campaign record.
BANSHI_CAMPAIGN_START = date.fromisoformat(os.environ.get("BANSHI_CAMPAIGN_START", "2026-03-05"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BANSHI_LOG_LEVEL", "INFO")},
}
