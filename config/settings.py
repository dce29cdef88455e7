"""Settings for the medborgarlöften portal, read from the environment.

A laptop needs nothing set: SQLite in the project folder, DEBUG only when asked for. Production must set
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; a missing SECRET_KEY with DEBUG off fails loudly at start-up
rather than running with a guessable key.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# An optional .env beside manage.py, for settings a developer does not want to type every time.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set DEBUG=true for local development, "
            "or set SECRET_KEY to a long random string in production."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    # django.contrib.admin with the portal's site, whose lists never answer 500 to a bad filter (config.admin_site).
    "config.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    # Login throttling (DESIGN §8): counts failed log-ins in the database and locks them out.
    "axes",
    # Accounts (issue 16): password reset and change, TOTP with recovery codes, and OpenID Connect log-in.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "drf_spectacular",
    # The database-backed worker of Django's Tasks framework (settings.TASKS below).
    "config.apps.PortalTasksConfig",  # django_tasks_db, with its name translated
    # The domain, bottom up; then the sites on top of it; then the project itself (config.apps).
    "promises",
    "activities",
    "followup",
    "notices",
    "public",
    "staff",
    "api",
    "seeding",
    "config.apps.PortalConfig",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.security_log.RequestContextMiddleware",
    # A NUL character in a parameter is refused with 400 before it reaches a view or PostgreSQL.
    "config.middleware.RefuseNullCharactersMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # An empty 405 (a form's address opened with GET, e.g. after a log-in) becomes the portal's own page.
    "config.middleware.BrandedMethodNotAllowedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form sent after the session ended: its fields are kept through the log-in (staff.kept_forms).
    "config.middleware.KeepFormThroughLoginMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Ends a session 10 hours after log-in however active it is; the idle limit is SESSION_COOKIE_AGE below.
    "config.middleware.SessionLifetimeMiddleware",
    # Pages shown to a logged-in user hold non-public data: no browser or proxy may keep a copy.
    "config.middleware.NoStoreForLoggedInMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A member of an organisation that requires a second factor sets one up before any other page.
    "config.accounts.RequireMultiFactorMiddleware",
    # Last, as axes asks: turns a lock-out flagged during authentication into the 429 lock-out page.
    "axes.middleware.AxesMiddleware",
]

# Axes' backend first so that a locked-out client is refused before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # allauth's: log-in through an identity provider (the password itself is still checked by ModelBackend).
    "allauth.account.auth_backends.AuthenticationBackend",
]

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.csp",
                "config.context_processors.portal_scope",
                "config.context_processors.open_data_licence",
                "config.context_processors.session_expiry",
                "config.context_processors.identity_providers",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Keep connections for a minute, but check them before use so the portal reconnects by itself after
# the database restarts.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Every request either commits whole or not at all: nothing half-written after an error.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (DESIGN §8): the 5th failed attempt in a row locks the log-in.
AXES_FAILURE_LIMIT = 5
# The lock lifts 15 minutes after the last failure by itself, so no administrator has to step in.
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Locks the pair (account, IP address), not each alone: staff at a police station or town hall share one NAT
# address, so locking by IP would shut out a whole office after one person's typos, and locking by username
# alone would let anyone on the internet lock a named coordinator out from wherever they are.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Beyond the pair, two wider limits with longer windows (config/lockout.py, docs/OPERATIONS.md): one username
# tried from any addresses, and one address trying any usernames (password spraying). Counted in axes' failure
# log, one row per failed log-in.
AXES_HANDLER = "config.lockout.PortalAxesHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
LOGIN_USERNAME_FAILURE_LIMIT = env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=20)
LOGIN_USERNAME_WINDOW = timedelta(minutes=env.int("LOGIN_USERNAME_WINDOW_MINUTES", default=6 * 60))
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
LOGIN_ADDRESS_WINDOW = timedelta(minutes=env.int("LOGIN_ADDRESS_WINDOW_MINUTES", default=60))
# A successful log-in clears the failures of that account from that address, so old typos do not add up.
AXES_RESET_ON_SUCCESS = True
# Axes prints a banner and logs every reset at INFO; lock-outs themselves are still logged as warnings.
AXES_VERBOSE = False
# The portal's own lock-out page, in Swedish; axes answers it with 429 Too Many Requests.
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Axes reads the client's address the way the security log does: see config/request_context.py.
# One record's quantity (activities.forms.QuantityRulesMixin): refused above the ceiling (which cannot exceed the
# model's bound, 100 000), and above the confirmation limit (or ten times the activity's target, if lower) saved
# only once the person confirms the number is right.
RECORD_QUANTITY_CEILING = env.int("RECORD_QUANTITY_CEILING", default=100_000)
RECORD_QUANTITY_CONFIRM_ABOVE = env.int("RECORD_QUANTITY_CONFIRM_ABOVE", default=1000)
CLIENT_ADDRESS_CALLABLE = "config.request_context.client_address"
AXES_CLIENT_IP_CALLABLE = CLIENT_ADDRESS_CALLABLE
# PDFs an anonymous visitor may have rendered per minute (public.page_cache): a PDF served from the cache is not
# counted, so only someone making the server render many is refused, with the 429 page.
PUBLIC_PDF_RENDERS_PER_MINUTE = env.int("PUBLIC_PDF_RENDERS_PER_MINUTE", default=10)
# Axes stores the user name of every failed log-in: redacted when it is an identity number (config/security_log.py),
# and left out of the stored POST data, where it would be written as typed.
AXES_USERNAME_CALLABLE = "config.security_log.axes_username"
AXES_SENSITIVE_PARAMETERS = ["username"]

# A session ends after 30 minutes without a request (seconds; the cookie and the stored session both expire).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
# ... and 10 hours after log-in however active it is (seconds; enforced by config.middleware).
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=10 * 60 * 60)
# The idle limit: a saved session expires SESSION_IDLE_TIMEOUT after the save.
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# A logged-in request saves the session, pushing the expiry ahead, when the last save is this old (seconds);
# config.middleware.SessionLifetimeMiddleware. Saving on every request would be an UPDATE on every page.
SESSION_REFRESH_INTERVAL = env.int("SESSION_REFRESH_INTERVAL", default=60)
# Scripts in the page, ours or injected, cannot read the session cookie.
SESSION_COOKIE_HTTPONLY = True
# The session cookie is not sent on cross-site posts, a second guard beside the CSRF token.
SESSION_COOKIE_SAMESITE = "Lax"

# Council (forum) members are granted by an administrator; a municipality that wants its coordinators to do it
# (for someone else, never themselves) turns this on (promises.memberships, docs/OPERATIONS.md).
COORDINATORS_MAY_GRANT_COUNCIL = env.bool("COORDINATORS_MAY_GRANT_COUNCIL", default=False)

# E-mail (invitations): the console in development, SMTP in production, e.g. EMAIL_URL=smtp+tls://user:pw@host:587.
# Django 6.1's MAILERS, built from the URL django-environ reads.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
_smtp = _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {key: value for key, value in _email_options.items() if value not in (None, "")} if _smtp else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Medborgarlöften <noreply@localhost>")

LOGIN_URL = "login"
# Everyone lands on their "Att göra" page after log-in (staff.views.todo); the accounts app may change the view.
LOGIN_REDIRECT_URL = env.str("LOGIN_REDIRECT_URL", default="todo:start")
LOGOUT_REDIRECT_URL = "home"

# Accounts (django-allauth, config/accounts.py; docs/OPERATIONS.md "Accounts"). People log in with their user
# name (an invited person's is their address); nobody signs up by themselves: accounts come from invitations.
ACCOUNT_ADAPTER = "config.accounts.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "config.accounts.IdentityProviderAdapter"
ACCOUNT_FORMS = {"login": "config.accounts.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
# A reset request answers the same whether or not the address has an account, and a stranger's address gets no mail.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Medborgarlöften: "
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Axes is the one lock-out (AXES_* above): allauth's own limits on log-ins would lock differently and say other things.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}
# A second factor: a code from an authenticator app (TOTP), a security key or passkey (WebAuthn, through fido2),
# and single-use recovery codes. A key is a second factor only: log-in without the password (passkey log-in) is off,
# so the password and its lock-out (axes) always come first (docs/OPERATIONS.md "Accounts").
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ADAPTER = "config.accounts.MFAAdapter"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_FORMS = {
    "add_webauthn": "config.accounts.AddSecurityKeyForm",
    "edit_webauthn": "config.accounts.RenameSecurityKeyForm",
}
MFA_TOTP_ISSUER = "Medborgarlöften"
MFA_RECOVERY_CODE_COUNT = 10
# Log-in through an organisation's identity provider (promises.IdentityProvider): only its verified address counts,
# and what the provider tells beyond the subject and address is not kept (config.accounts).
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_QUERY_EMAIL = True

# Background work (Django's Tasks framework; docs/OPERATIONS.md §17): the database worker by default, started with
# `manage.py worker`; TASKS_BACKEND names another backend (a Redis-backed one) where one server is not enough.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Notices and e-mail (notices/): the address links in messages start with; the schedule's period; retries.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")
NOTICES_SCHEDULE_INTERVAL = env.int("NOTICES_SCHEDULE_INTERVAL", default=300)
# A reminder goes this many days before a follow-up period ends, listing the activities at risk.
NOTICES_REMINDER_DAYS = env.int("NOTICES_REMINDER_DAYS", default=14)
# A failed send is tried again after 60 s, 120 s, 240 s... up to NOTICES_MAX_ATTEMPTS attempts, then marked failed.
NOTICES_RETRY_DELAY = env.int("NOTICES_RETRY_DELAY", default=60)
NOTICES_MAX_ATTEMPTS = env.int("NOTICES_MAX_ATTEMPTS", default=5)
# A worker's claim on a message lasts this long (seconds); one that died holding it gives it up then.
NOTICES_SEND_LEASE = env.int("NOTICES_SEND_LEASE", default=300)
# Sent and failed messages (with their addresses) are deleted after this many days.
NOTICES_KEEP_DAYS = env.int("NOTICES_KEEP_DAYS", default=7)
# Requests to subscribe from one client address per hour.
SUBSCRIBE_RATE_PER_HOUR = env.int("SUBSCRIBE_RATE_PER_HOUR", default=10)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Short dates "31 dec. 2020" in Swedish (config/formats/); use |date:"SHORT_DATE_FORMAT", never "j M Y".
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# One cache shared by every worker and server, where it matters (the API's rate limits, cached pages and figures):
# Redis in production (CACHE_URL=redis://host:6379/0); each process's own memory on a laptop.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Cached pages are drawn by one release's templates: keys carry the release, so a new one never serves the old
# one's copies from a shared cache (docs/OPERATIONS.md §3). Empty on a laptop, where each process's cache is new.
CACHES["default"].setdefault("KEY_PREFIX", env("RELEASE", default=""))
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    # Django's 300 entries would not hold one year's national figures (a count per promise, 267 of them), and a
    # full local cache throws a third of itself away. The bound also caps each worker's memory: most entries are
    # counts and progress of a few hundred bytes, the largest page copies and report PDFs tens of KB.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1000)
# Sessions in the shared cache with the database behind them: a logged-in request reads its session without a query.
# Only with a cache every worker shares (Redis): in each process's own memory, a log-out in one worker would leave
# the session alive in another's copy (docs/OPERATIONS.md).
SHARED_CACHE = CACHES["default"]["BACKEND"] not in (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
if SHARED_CACHE:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Each user's scope (their memberships' roles, organisations and municipalities) kept in the cache under a
# memberships version that every membership or organisation change renews (promises.scope): the logged-in floor
# then reads no memberships. On by default only with a shared cache, for the same reason as the sessions: in each
# process's own memory a change renews the version in one worker only (docs/PERFORMANCE.md).
SCOPE_CACHE = env.bool("SCOPE_CACHE", default=SHARED_CACHE)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every line says when, who (user id) and from where (client address); see config/request_context.py.
    # ... and holds no personal identity number, whoever wrote it (config.request_context).
    "filters": {
        "request": {"()": "config.request_context.RequestContextFilter"},
        "redact": {"()": "config.request_context.RedactIdentityNumbersFilter"},
    },
    "formatters": {
        "portal": {"format": "%(asctime)s %(levelname)s %(name)s user=%(user)s client=%(client)s %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request", "redact"], "formatter": "portal"}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Axes logs every successful log-in's reset at INFO; its warnings (failures, lock-outs) still come through.
    # WeasyPrint reports every step of a PDF at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}

# History is evidence of who changed what: the admin shows it but offers no "revert" (the admin also
# refuses a POST to a history page, see promises.admin.AdministratorsAdminMixin).
SIMPLE_HISTORY_REVERT_DISABLED = True

# The open data API: read-only, public data only, paginated, and throttled for anonymous clients.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # Errors in the portal's words, never a model's name (api.exceptions).
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
# The terms of the published data (promises, published results, planned events), which the public pages, every API
# answer and the OpenAPI document state: CC0 1.0 (no rights reserved, anyone may reuse the data for anything) unless
# the installation's owner chooses other terms.
OPEN_DATA_LICENCE = {
    "name": env.str("OPEN_DATA_LICENCE_NAME", default="CC0 1.0 Universal"),
    "url": env.str("OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/publicdomain/zero/1.0/"),
}
SPECTACULAR_SETTINGS = {
    "LICENSE": OPEN_DATA_LICENCE,
    "TITLE": "Medborgarlöften – öppna data",
    "DESCRIPTION": "Signed citizen promises, their activities and targets, published tertial results and planned "
    "public activities. Read-only; only what the public pages show.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# HTTPS and browser protections. On by default whenever DEBUG is off; each can be turned off by the
# environment for a server reached over plain HTTP on a private network (the benchmark and the soak drill).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Behind a reverse proxy that terminates TLS, trust its X-Forwarded-Proto header (and only then), and read
# the client's address from the X-Forwarded-For entry the nearest trusted proxy added.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
# DRF's throttle reads the same entry; left unset it would believe any X-Forwarded-For a client sends.
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# The load balancer's health check speaks plain HTTP to each app server.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A stale form gets the portal's own page, in Swedish, instead of Django's English one.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy, enforced: everything from this host only, no inline script or style anywhere
# (a template that needs one uses the request's nonce), no framing, forms post only to this host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
