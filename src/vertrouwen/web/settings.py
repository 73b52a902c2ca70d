"""Django settings, read from the environment. Every variable is documented in docs/configuration.md.

Variables missing from the environment are read from the file .env in VERTROUWEN_HOME (the current folder
by default), which `vertrouwen configure` writes with fresh secrets.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("VERTROUWEN_HOME", Path.cwd()))
load_dotenv(PROJECT_DIR / ".env", override=False)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ImproperlyConfigured(f"{name}: expected a whole number above 0, got {value!r}")
    return int(value)


def env_secret(name: str, development_value: str, min_length: int = 32) -> str:
    """A secret: required in production, a fixed well-known value only when DEBUG is on."""
    value = os.environ.get(name, "")
    if not value and DEBUG:
        return development_value
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")
    if len(value) < min_length:
        raise ImproperlyConfigured(f"{name} must be at least {min_length} characters long")
    return value


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", "development-only-secret-key-not-for-production")
# Key of the keyed HMAC that turns a BSN into a pseudonym.
PSEUDONYM_KEY = env_secret("VERTROUWEN_PSEUDONYM_KEY", "development-only-pseudonym-key-0123456789")
# Key of the HMAC over each audit event's hash (docs/audit.md): the database does not hold it, so a row rewritten
# in the database cannot get a matching keyed hash.
AUDIT_KEY = env_secret("VERTROUWEN_AUDIT_KEY", "development-only-audit-key-0123456789abcdef")
# Where the newest audit hash is written outside the database (one line per event, keyed): a file per database.
AUDIT_ANCHOR_DIR = Path(os.environ.get("VERTROUWEN_AUDIT_ANCHORS", PROJECT_DIR / "var" / "audit-anchors"))
# Fernet key (urlsafe base64, 32 bytes) with which BSNs are encrypted at rest.
BSN_ENCRYPTION_KEY = env_secret("VERTROUWEN_BSN_KEY", "ZGV2ZWxvcG1lbnQtb25seS1ic24ta2V5LTAxMjM0NTY=", min_length=44)
# Months after an experiment's end that its personal data are kept before `vertrouwen purge` may erase them
# (the default of each new experiment; docs/verwerkingsregister.md argues the 24).
RETENTION_MONTHS = env_int("VERTROUWEN_RETENTION_MONTHS", 24)

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{PROJECT_DIR / 'var' / 'vertrouwen.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Wait for a writer rather than failing at once when the demo server and a command write together.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "vertrouwen.web.accounts.admin_site.VerifiedAdminConfig",  # django.contrib.admin, asking for the code
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "vertrouwen.web.apps.VertrouwenStaticFilesConfig",
    "django_otp",  # two-factor authentication for every account (accounts/twofactor.py)
    "django_otp.plugins.otp_totp",
    "axes",  # lockout after repeated failed logins (accounts/lockout.py)
    "vertrouwen.web.accounts",
    "vertrouwen.web.registry",
    "vertrouwen.web.audit",
    "vertrouwen.web.lottery",
    "vertrouwen.web.design",
    "vertrouwen.web.casework",
    "vertrouwen.web.settlement",
    "vertrouwen.web.surveys",
    "vertrouwen.web.monitor",
    "vertrouwen.web.reports",
    "vertrouwen.web.evaluation",
    "rest_framework",
    "drf_spectacular",
    "vertrouwen.web.api",  # the REST API for the benefit administration (docs/api.md)
    "django_tasks",
    "django_tasks_db",
]

# Long work (simulations) runs in the background: a task row in the database, run by `vertrouwen worker`.
TASKS = {"default": {"BACKEND": os.environ.get("VERTROUWEN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files end here, with their long caching
    "csp.middleware.CSPMiddleware",
    "vertrouwen.web.security.SecurityHeadersMiddleware",  # no-store, and a nonce on every page
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "vertrouwen.web.audit.context.AuditContextMiddleware",  # who acts, from where, for every audit event
    "django.contrib.messages.middleware.MessageMiddleware",
    "vertrouwen.web.accounts.middleware.SessionTimeoutMiddleware",  # idle and absolute session timeouts
    "django_otp.middleware.OTPMiddleware",
    "vertrouwen.web.accounts.middleware.TwoFactorRequiredMiddleware",  # nothing but the code pages before the code
    "axes.middleware.AxesMiddleware",  # a refused login answers as a wrong password does
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vertrouwen.web.faults.DatabaseUnavailableMiddleware",  # a lost database connection: a 503 page, not a 500
]

ROOT_URLCONF = "vertrouwen.web.urls"
WSGI_APPLICATION = "vertrouwen.web.wsgi.application"

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
            ],
            # The filters and tags every page uses, in the common web room (web/templatetags).
            "libraries": {name: f"vertrouwen.web.templatetags.{name}" for name in ("money", "percent", "nlds_tables")},
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "var" / "static"))
# NL Design System styles come from their npm packages (package.json); `make` installs them.
NODE_MODULES = Path(os.environ.get("VERTROUWEN_NODE_MODULES", PROJECT_DIR / "node_modules"))
NLDS_PACKAGES = {
    "nlds/components": NODE_MODULES / "@utrecht" / "component-library-css" / "dist",
    "nlds/tokens": NODE_MODULES / "@utrecht" / "design-tokens" / "dist",
}
STATICFILES_DIRS = [BASE_DIR / "static"] + [(prefix, path) for prefix, path in NLDS_PACKAGES.items() if path.is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
# One switch for "served over https": secure cookies, a redirect from http, and HSTS for a year. The demo on
# http://127.0.0.1 turns it off in .env.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SESSION_COOKIE_SECURE
SECURE_HSTS_PRELOAD = SESSION_COOKIE_SECURE  # government domains belong on the browsers' preload list
# Behind a reverse proxy that ends TLS: trust its X-Forwarded-Proto header, so the redirect does not loop.
if env_bool("BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A login ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after it began whatever the
# activity; exports and role changes ask for password and code again REAUTHENTICATION_MINUTES after the last
# proof (accounts/sessions.py).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("VERTROUWEN_SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("VERTROUWEN_SESSION_MAX_HOURS", 8))
REAUTHENTICATION_VALID_FOR = timedelta(minutes=env_int("VERTROUWEN_REAUTHENTICATION_MINUTES", 10))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): only this site's own files, and inline <script> or <style> only with the
# page's nonce ({{ request.csp_nonce }}), fresh for every response. Nothing may frame the pages, forms post
# only here, and <base> and plugins are off. See docs/configuration.md, "Response headers".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # the NL Design System draws check marks as data: SVG images
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Logging in: password (with lockout), then a code from an authenticator app (TOTP) for every account; optionally
# through the municipality's identity provider (OIDC). See docs/configuration.md, "Logging in".
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out user name and address
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("VERTROUWEN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("VERTROUWEN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Over all user names, the failures one address may have in the cool-off time (accounts/lockout.py): enough for an
# office behind one address, too few to spray a password over the user names.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("VERTROUWEN_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_LOCKOUT_CALLABLE = "vertrouwen.web.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = False  # reset only after the code too (accounts/twofactor.py), not after the password
AXES_DISABLE_ACCESS_LOG = True  # logins are in the audit trail
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token"]
AXES_VERBOSE = False
OTP_TOTP_ISSUER = os.environ.get("VERTROUWEN_OTP_ISSUER", "Vertrouwen")

OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    def env_required(name: str) -> str:
        if not os.environ.get(name):
            raise ImproperlyConfigured(f"{name} must be set when OIDC_RP_CLIENT_ID is set")
        return os.environ[name]

    OIDC_RP_CLIENT_SECRET = env_required("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_required("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_required("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_required("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_required("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "preferred_username")
    OIDC_CREATE_USER = False  # only existing accounts; roles are never taken from the provider
    OIDC_USE_PKCE = True
    OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_authentication_callback"
    LOGIN_REDIRECT_URL_FAILURE = "/inloggen/"
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("vertrouwen.web.accounts.oidc.StaffOIDCBackend")

# One cache for every process (the web server's workers, the worker): the API's request rate per token counts
# every process's requests, which a cache in each process's memory would not. A table in the database
# (migration api/0002 makes it).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "vertrouwen_cache"}}

# The REST API (docs/api.md): JSON only, no browsable pages; a token per system account, sessions never grant
# anything; every error as JSON without a stack trace; a request rate per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["vertrouwen.web.api.access.ApiTokenAuthentication",
                                       "vertrouwen.web.api.access.SessionWithoutAccess"],
    "DEFAULT_PERMISSION_CLASSES": ["vertrouwen.web.api.access.HasLinkToken"],
    "DEFAULT_THROTTLE_CLASSES": ["vertrouwen.web.api.access.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": os.environ.get("VERTROUWEN_API_RATE", "300/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["vertrouwen.web.api.access.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "vertrouwen.web.api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "vertrouwen API",
    "DESCRIPTION": "Delivery of benefit spells and monthly earnings by the municipality's benefit administration. "
                   "See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "AUTHENTICATION_WHITELIST": ["vertrouwen.web.api.access.ApiTokenAuthentication"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "vertrouwen.web.api.schema.batch_limits"],
}

# Every record redacted (web/logs.py): Django's request loggers name paths, which may hold a BSN or a link's token.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "vertrouwen.web.logs.RedactingFilter"}},
    "formatters": {"redacted": {"()": "vertrouwen.web.logs.RedactingFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "redacted"}},
    "loggers": {name: {"filters": ["redact"]} for name in ("django.request", "django.server", "django.security")},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
