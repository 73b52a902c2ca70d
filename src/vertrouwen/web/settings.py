"""Django settings, read from the environment. Every variable is documented in docs/configuration.md.

Variables missing from the environment are read from the file .env in VERTROUWEN_HOME (the current folder
by default), which `vertrouwen configure` writes with fresh secrets.
"""

import os
from pathlib import Path

import dj_database_url
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
# Fernet key (urlsafe base64, 32 bytes) with which BSNs are encrypted at rest.
BSN_ENCRYPTION_KEY = env_secret("VERTROUWEN_BSN_KEY", "ZGV2ZWxvcG1lbnQtb25seS1ic24ta2V5LTAxMjM0NTY=", min_length=44)

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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "vertrouwen.web.apps.VertrouwenStaticFilesConfig",
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
    "django_tasks",
    "django_tasks_db",
]

# Long work (simulations) runs in the background: a task row in the database, run by `vertrouwen worker`.
TASKS = {"default": {"BACKEND": os.environ.get("VERTROUWEN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

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
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
