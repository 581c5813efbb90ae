"""Settings for NvO Tracker: one module, read top to bottom; every knob comes from the environment.

Defaults are the embedded setup (SQLite, Celery tasks in-process) so that a newcomer can run the app without any
server. Every variable is read through `env` with a help text; `.env.example` lists them all (a test checks).
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from core.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env(BASE_DIR / ".env")

# --- Core ---
DEBUG = env.bool("DEBUG", False, help="Turn on only on a developer machine. Off requires SECRET_KEY.")
SECRET_KEY = env.str("SECRET_KEY", "", help="Long random string; required when DEBUG is off.")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"], help="Comma-separated host names the site answers to.")
# The product name in page titles, header and footer (Django's LoginView uses `site_name` for the host).
APP_NAME = "NvO Tracker"
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000", help="The address users reach the app at; links in e-mails start with it.")

# Apps from the bottom layer up (see docs/development.md); demo sits on top of everything.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "csp",
    "core",
    "accounts",
    "regions",
    "agreements",
    "support",
    "dashboard",
    "operations",
    "pages",
    "public_dashboard",
    "api",
    "demo",
]

# The final order: a request id for the log, every query of a request under a deadline (operations.database); CSP,
# hostile input refused (RequestInputGuardMiddleware), then static files; sessions renewed once a minute; the user
# (and their roles) read from the cache; OTP right after authentication; 403s audited around the views; django-axes
# last (its documentation requires it).
MIDDLEWARE = [
    "operations.request_log.RequestIdMiddleware",
    "operations.middleware.DatabaseHangGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "operations.middleware.RequestInputGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.authentication.CachedAuthenticationMiddleware",  # Django's, with the user read from the cache
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "operations.middleware.AuditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nvo_tracker.urls"
WSGI_APPLICATION = "nvo_tracker.wsgi.application"

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
                "nvo_tracker.context_processors.navigation",
                "demo.context_processors.demo_banner",
            ],
        },
    },
]

# --- Database, cache and Celery ---
DATABASES = {
    "default": {
        **env.db(
            "DATABASE_URL",
            f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            help="Database URL, e.g. postgres://postgres@127.0.0.1:5432/nvo_tracker; unset: embedded SQLite file db.sqlite3.",
        ),
        "CONN_MAX_AGE": env.int(
            "CONN_MAX_AGE", 0, help="Seconds a database connection is kept open between requests (0 = close after each)."
        ),
    }
}
# A hung PostgreSQL costs seconds (issue 18): a new connection gives up after DATABASE_CONNECT_TIMEOUT, the server
# ends a statement after DATABASE_STATEMENT_TIMEOUT, and during a request a query still unanswered a second later is
# cut off by the app (operations.database). gunicorn's --timeout (Procfile, WEB_TIMEOUT) must stay above both.
DATABASE_CONNECT_TIMEOUT = env.int(
    "DATABASE_CONNECT_TIMEOUT", 3, help="Seconds a new PostgreSQL connection may take before the request gets the 503 page."
)
DATABASE_STATEMENT_TIMEOUT = env.int(
    "DATABASE_STATEMENT_TIMEOUT", 5, help="Seconds a statement may run before PostgreSQL ends it (0 = never)."
)
WEB_TIMEOUT = env.int("WEB_TIMEOUT", 30, help="Seconds gunicorn (Procfile) lets a request run; above connect + statement timeout.")
if WEB_TIMEOUT <= DATABASE_CONNECT_TIMEOUT + DATABASE_STATEMENT_TIMEOUT + 1:
    raise ImproperlyConfigured("WEB_TIMEOUT must be above DATABASE_CONNECT_TIMEOUT + DATABASE_STATEMENT_TIMEOUT + 1.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    _options["options"] = f"{_options.get('options', '')} -c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str(
    "REDIS_URL", "", help="Redis for Celery's broker and the cache; unset: tasks run in-process and the cache is in memory."
)
# Redis is never needed to answer a request: the cache degrades to a miss when Redis is down, gives up on a hung
# Redis after REDIS_CACHE_TIMEOUT_MS and then leaves it alone for REDIS_CACHE_BREAKER_SECONDS (operations.cache).
REDIS_CACHE_TIMEOUT_MS = env.int(
    "REDIS_CACHE_TIMEOUT_MS", 250, help="Milliseconds a cache call waits for Redis before it counts as a miss."
)
REDIS_CACHE_BREAKER_SECONDS = env.int(
    "REDIS_CACHE_BREAKER_SECONDS", 30, help="Seconds the cache stops asking Redis after a fault (every call a miss)."
)
CACHES = {
    "default": {
        "BACKEND": "operations.cache.FailSoftRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CACHE_TIMEOUT_MS / 1000,
            "socket_timeout": REDIS_CACHE_TIMEOUT_MS / 1000,
            "breaker_seconds": REDIS_CACHE_BREAKER_SECONDS,
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", not REDIS_URL, help="Run Celery tasks in-process (default: only when REDIS_URL is unset)."
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker outlives a Redis outage (issue 18): it reconnects for as long as it takes (Celery's default gives up
# after 100 attempts and exits), and a task that runs while the broker drops finishes; its message, acknowledged
# late, is delivered again later and the monthly job ignores a month that is already built.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# The periodic jobs, in one place. The monthly job runs at 00:05 Europe/Amsterdam on the 1st and again every hour
# as a catch-up (a run missed while Redis or the worker was down); it builds only months without a snapshot and
# mails a month's digest once (dashboard.services.dashboard_monthly_run).
CELERY_BEAT_SCHEDULE = {
    "rebuild-dashboard-monthly": {
        "task": "dashboard.tasks.monthly_run",
        "schedule": crontab(minute=5, hour=0, day_of_month=1),
    },
    "rebuild-dashboard-catch-up": {
        "task": "dashboard.tasks.monthly_run",
        "schedule": crontab(minute=35),
    },
    # Afstemming e-mails: every hour in office hours, so a run missed while Redis was down is caught up; the
    # service records what it sent and mails nobody twice a day.
    "afstemming-mails": {
        "task": "agreements.tasks.send_afstemming_mails",
        "schedule": crontab(minute=20, hour="7-17"),
    },
}
# /healthz warns when the current month has no dashboard snapshot this many hours after the month began.
HEALTH_SNAPSHOT_GRACE_HOURS = 2

# --- E-mail ---
_email = env.email(
    "EMAIL_URL",
    "consolemail://",
    help="Outgoing e-mail, e.g. smtp+tls://user:password@smtp.example.nl:587; unset: mails are printed to the console.",
)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "NvO Tracker <noreply@localhost>", help="Sender of the app's e-mails.")
# The address the help page "Over dit dashboard" gives for questions and corrections (an organisation's mailbox,
# not a person's). Empty: the page says to ask the region's VNG contact.
CONTACT_EMAIL = env.str(
    "CONTACT_EMAIL", "", help="E-mail address for questions and corrections, shown on the help page 'Over dit dashboard'."
)
# The organisation's logo in the header: a path under static/ (e.g. img/logo.svg); empty shows the app's name only.
LOGO_STATIC_PATH = env.str("LOGO_STATIC_PATH", "", help="Logo in the header, a file under static/ such as img/logo.svg (empty: none).")

# --- Logging (issue 18) ---
# Everything to stderr, each line with the request's id and path (operations.request_log), never its query string,
# form data or user; server errors are also mailed to ADMINS, without the request's data and local variables.
LOG_LEVEL = env.str("LOG_LEVEL", "INFO", help="Lowest level written to stderr: DEBUG, INFO, WARNING or ERROR.")
ADMINS = [
    ("", address) for address in env.list("ADMINS", [], help="Comma-separated e-mail addresses mailed on every server error; empty: none.")
]
SERVER_EMAIL = DEFAULT_FROM_EMAIL
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "operations.request_log.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s %(request_path)s] %(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "filters": ["request"], "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["request"],
            "include_html": False,
            "reporter_class": "operations.request_log.PrivateExceptionReporter",
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's own "django" logger (console only with DEBUG, mail with the full request).
        "django": {"handlers": ["stderr", "mail_admins"], "level": LOG_LEVEL, "propagate": False},
        # django-axes names the username and address of every failed sign-in; the audit log records those.
        "axes": {"level": "ERROR"},
    },
}

# --- Language, time, static files ---
# "nl" brings Django's Dutch formats ("1 december 2026", decimal comma). The thousands dot is written explicitly
# with `intcomma` where a number can reach 1,000, so ids and years in URLs never turn into "2.026".
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
# Our own Dutch for libraries that ship none (django-axes' admin pages), before the apps' own catalogs.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Forms: the "nldesign" crispy template pack renders NL Design System (Utrecht) markup ---
CRISPY_TEMPLATE_PACK = "nldesign"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nldesign",)
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
# An uploaded import spreadsheet larger than this is refused before it is parsed.
STATUS_IMPORT_MAX_BYTES = 2 * 1024 * 1024
# Any request body larger than this is refused (413) before it is read: an import file plus room for the form
# around it (RequestInputGuardMiddleware, which also refuses NUL in the path, a query parameter or a form field).
REQUEST_MAX_BYTES = 3 * 1024 * 1024

# --- Public dashboard ---
PUBLIC_DASHBOARD = env.bool(
    "PUBLIC_DASHBOARD",
    False,
    help="Show the released months to anonymous visitors at /openbaar/ (true/false); off: /openbaar/ is a 404.",
)
# Seconds a browser or proxy may keep a public page; a release shows within this time.
PUBLIC_MAX_AGE = 300

# --- API ---
REST_FRAMEWORK = {
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
    # Every error answer on every operation, and the real ranges of numbers and texts (schemathesis checks both).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_errors_and_ranges"],
}

# --- Accounts, sessions and sign-in protection ---
AUTH_USER_MODEL = "accounts.User"
# The organisation's OpenID Connect provider is asked only when OIDC is on (see "Sign-in with the organisation's
# account" below); the backend answers nothing otherwise.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.oidc.OrganisationAccountBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:home"
# After signing out: the page "U bent uitgelogd" (a redirect, so reloading it signs out nothing).
LOGOUT_REDIRECT_URL = "accounts:logged_out"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own, with a Dutch message (its Dutch translation lacks this one).
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end SESSION_COOKIE_AGE seconds after the last request (SessionRenewalMiddleware renews the session at
# most once a minute); edit pages warn five minutes before and keep what was typed when it runs out anyway.
SESSION_COOKIE_AGE = env.int(
    "SESSION_COOKIE_AGE", 30 * 60, help="Seconds without a request after which a session ends (default 1800 = 30 minutes)."
)
# Sessions are read from the cache and written to both: one query less on every signed-in page. The database stays
# the record, so a cache miss (or Redis down: FailSoftRedisCache) reads it from there.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True

# Login lockout (django-axes, stored in the database so it needs no Redis): AXES_FAILURE_LIMIT failures for one
# account from one address lock that pair for AXES_COOLOFF_MINUTES; a successful login resets the count. Locked is
# the pair, never an account alone: someone who only knows a username cannot lock its owner out (the owner signs in
# from their own address), and one colleague's typos behind a shared office address do not lock the others.
AXES_FAILURE_LIMIT = env.int(
    "AXES_FAILURE_LIMIT", 5, help="Failed sign-ins for one account from one address before that pair is locked out."
)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", 15, help="Minutes a lockout lasts."))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies that each append to X-Forwarded-For, the client's address is the Nth entry from the
# right (entries further left are whatever the client sent). Lockouts and the audit log ask the same function.
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", 0, help="Reverse proxies in front of the app that append to X-Forwarded-For (0 = use the socket address)."
)
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"

# Two-factor authentication (TOTP) is required for Beheerders and VNG-medewerkers whenever DEBUG is off; the
# embedded demo (DEBUG on) has it off and says so on the login page.
TWO_FACTOR_REQUIRED = env.bool(
    "TWO_FACTOR_REQUIRED",
    not DEBUG,
    help="Require TOTP two-factor sign-in for Beheerders and VNG-medewerkers (default: on when DEBUG is off).",
)
# Keep the admin login as is: TwoFactorRequiredMiddleware enforces the second step for the admin too.
TWO_FACTOR_PATCH_ADMIN = False
OTP_TOTP_ISSUER = APP_NAME

# --- HTTPS, headers and content security policy ---
# HTTPS_ONLY: the site is served over HTTPS only (TLS ends at a proxy that sets X-Forwarded-Proto).
HTTPS_ONLY = env.bool(
    "HTTPS_ONLY", not DEBUG, help="Served over HTTPS only behind a proxy that sets X-Forwarded-Proto (default: on when DEBUG is off)."
)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring probes the app directly over http
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS_ONLY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "operations.views.csrf_failure"
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

# --- Web server: gunicorn (Procfile `web`) takes these through nvo_tracker/gunicorn_conf.py (WEB_TIMEOUT: above) ---
PORT = env.int("PORT", 8000, help="Port the web process (gunicorn) listens on.")
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", 2, help="gunicorn worker processes.")
WEB_THREADS = env.int("WEB_THREADS", 8, help="Threads per gunicorn worker: the requests one process serves at once.")

# --- Accounts without the Django admin: invitations, password reset, sign-in with the organisation's account ---
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", 7, help="Days an invitation link stays valid.")
PASSWORD_RESET_TIMEOUT = env.int(
    "PASSWORD_RESET_TIMEOUT", 24 * 60 * 60, help="Seconds a password reset link stays valid (default 86400 = one day)."
)
ACCOUNT_LINK_REQUESTS_PER_HOUR = env.int(
    "ACCOUNT_LINK_REQUESTS_PER_HOUR",
    3,
    help="Password reset or new invitation links one e-mail address may ask for per hour (known or unknown alike).",
)

# Sign-in with the organisation's account (OpenID Connect, mozilla-django-oidc): off unless OIDC_RP_CLIENT_ID is set.
# Only an existing, active account whose e-mail address matches signs in; roles and regions stay in this app.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", "", help="Client id at the organisation's OpenID Connect provider; set: SSO on.")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", "", help="Client secret at the OpenID Connect provider.")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_OP_DISCOVERY_URL = env.str(
    "OIDC_OP_DISCOVERY_URL",
    "",
    help="The provider's discovery document (…/.well-known/openid-configuration); or set the four endpoints below.",
)
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", "", help="Authorization endpoint (unset: from discovery).")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", "", help="Token endpoint (unset: from discovery).")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", "", help="Userinfo endpoint (unset: from discovery).")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", "", help="JWKS endpoint with the provider's signing keys (unset: from discovery).")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", "openid email", help="Scopes asked for; the provider must return the `email` claim.")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", "RS256", help="Algorithm the provider signs ID tokens with.")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10  # seconds for every call to the provider
OIDC_MFA_SATISFIES_TWO_FACTOR = env.bool(
    "OIDC_MFA_SATISFIES_TWO_FACTOR",
    False,
    help="A sign-in through the provider counts as the app's two-factor step for Beheerders and VNG-medewerkers; "
    "turn on only when the provider itself enforces multi-factor authentication for them.",
)
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"

# Every variable read above, with its help text: `.env.example` documents exactly these (a test compares).
ENVIRONMENT_VARIABLES = env.documented()
