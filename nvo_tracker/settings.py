"""Settings for NvO Tracker: one module, every knob read from the environment.

Defaults are the embedded setup (SQLite, Celery tasks in-process) so that a newcomer can run
the app without any server; `.env.example` documents every variable.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "crispy_forms",
    "accounts",
    "regions",
    "agreements",
    "dashboard",
    "demo",
    "support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "nvo_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nvo_tracker.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "nvo_tracker.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is optional: without REDIS_URL the cache is in-process and Celery runs tasks eagerly.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

CRISPY_TEMPLATE_PACK = "nldesign"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nldesign",)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

# The product name in page titles, header and footer (Django's LoginView uses `site_name` for the host).
APP_NAME = "NvO Tracker"

# --- Look and feel (issue 8): role-based navigation, Dutch number and date formats ---
TEMPLATES[0]["OPTIONS"]["context_processors"].append("nvo_tracker.context_processors.navigation")
# LANGUAGE_CODE "nl" brings Django's Dutch formats ("1 december 2026", decimal comma). The thousands dot is
# written explicitly with `intcomma`/`floatformat:"g"` where a number can reach 1,000, so ids, years and
# versions in URLs and attributes can never turn into "2.026".

# --- API, export and import (issue 5) ---
INSTALLED_APPS += [
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous request gets 401 with `WWW-Authenticate: Token`.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasRole"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exception_handlers.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NvO Tracker API",
    "DESCRIPTION": "Regio's, afspraken, statussen en aanspreekpunten van de Norm voor Opdrachtgeverschap.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH documents its own serializer (only `version` required) instead of an all-optional copy.
    "COMPONENT_SPLIT_PATCH": False,
}
# An uploaded import spreadsheet larger than this is refused before it is parsed.
STATUS_IMPORT_MAX_BYTES = 2 * 1024 * 1024

# --- Region pages and editing (issue 3) ---
# Form widgets get NL Design System (Utrecht) classes from the "nldesign" crispy template pack.
CRISPY_CLASS_CONVERTERS = {
    "textinput": "utrecht-textbox",
    "emailinput": "utrecht-textbox",
    "urlinput": "utrecht-textbox",
    "numberinput": "utrecht-textbox",
    "dateinput": "utrecht-textbox",
    "passwordinput": "utrecht-textbox",
    "textarea": "utrecht-textarea",
    "select": "utrecht-select",
    "checkboxinput": "utrecht-checkbox",
}
# Sessions end after SESSION_COOKIE_AGE without a request (set in the security block); edit pages warn before.

# Dashboard: the monthly rebuild (issue 4). Beat runs it at 00:05 Europe/Amsterdam on the 1st of every month;
# the default scheduler keeps its state in a local file, so no database tables are needed.
from celery.schedules import crontab  # noqa: E402 - the schedule needs it; kept with its block

CELERY_BEAT_SCHEDULE = {
    "rebuild-dashboard-monthly": {
        "task": "dashboard.tasks.rebuild_dashboard",
        "schedule": crontab(minute=5, hour=0, day_of_month=1),
        "kwargs": {"send_digest": True},
    },
    # A run missed while Redis was down is caught up within the hour after it is back.
    "rebuild-dashboard-if-missing": {
        "task": "dashboard.tasks.rebuild_dashboard_if_missing",
        "schedule": crontab(minute=35),
    },
}
# Links in e-mails (the monthly digest) point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Security and reliability (issue 7): hardened production settings, login protection, audit, health ---
from datetime import timedelta  # noqa: E402 - this block is appended on purpose (merge-friendly)

from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += [
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "csp",
    "operations",
]
# Order matters: OTP after authentication; denials audited around the views; axes last (its docs require it).
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
MIDDLEWARE += [
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "operations.middleware.AuditMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]

# HTTPS_ONLY: the site is served over HTTPS only (TLS ends at a proxy that sets X-Forwarded-Proto).
# On by default in production; tests and the embedded demo run over plain http.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring probes the app directly over http
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS_ONLY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions end after SESSION_COOKIE_AGE seconds without a request (SessionRenewalMiddleware renews the
# session and its cookie at most once a minute); edit pages warn five minutes before and keep what was typed
# when it runs out anyway.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# Sessions are read from the cache and written to both: one query less on every signed-in page. The database
# stays the record, so a cache miss (or Redis down: FailSoftRedisCache) reads it from there.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
                  "accounts.middleware.SessionRenewalMiddleware")
AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] = {"min_length": 12}

# No inline script or style anywhere: JavaScript and CSS come from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login lockout (django-axes, stored in the database so it needs no Redis): 5 failures for one account
# or from one address lock it for AXES_COOLOFF_MINUTES; a successful login resets the account's count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies the client's address is the Nth-last entry of X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor authentication (TOTP) is required for Beheerders and VNG-medewerkers whenever DEBUG is off;
# the embedded demo (DEBUG on) has it off and says so on the login page.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
# Keep the admin login as is: TwoFactorRequiredMiddleware enforces the second step for the admin too.
TWO_FACTOR_PATCH_ADMIN = False
OTP_TOTP_ISSUER = APP_NAME

# Redis is never needed to answer a request: the cache degrades to a miss when Redis is down.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "operations.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# A dashboard snapshot older than this makes /healthz warn (the rebuild runs monthly).
HEALTH_SNAPSHOT_MAX_AGE_DAYS = 32

# Opvolging en netwerk (issue 9): e-mail for the monthly digest. EMAIL_URL e.g.
# smtp+tls://user:password@smtp.example.nl:587 ; the default prints mails to the console (pytest uses locmem).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="NvO Tracker <noreply@localhost>")
