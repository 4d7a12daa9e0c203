"""Settings for the Pact for Skills portal: one module, every value from the environment.

Defaults give the embedded setup (SQLite, local-memory cache, console e-mail); production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and the e-mail variables (see .env.example).
"""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Required to serve (wsgi.py sets PACT_SERVING) unless DEBUG; management commands and tests run without one.
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if env_bool("PACT_SERVING") and not DEBUG:
        raise ImproperlyConfigured("Set the SECRET_KEY environment variable (or DEBUG=1 for development).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as it requires (support_services/translation.py)
    "pact_portal.admin_config.PortalAdminConfig",  # django.contrib.admin with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the default widget templates, for FORM_RENDERER below
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pact_portal",
    "partnerships",
    "commitments",
    "support_services",
]

MIDDLEWARE = [
    "pact_portal.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pact_portal.middleware.SecurityHeadersMiddleware",
    "pact_portal.middleware.MethodAllowlistMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' cached public pages are answered here, without the middleware below.
    "pact_portal.cache.CachedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pact_portal.i18n.LocaleMiddleware",  # Django's, plus ?lang= (the hreflang alternates)
    "pact_portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pact_portal.middleware.SessionLimitsMiddleware",
    # Last, as django-axes requires: answers the lock-out page when a login attempt is refused.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pact_portal.urls"

# Widgets render through TEMPLATES, so templates/admin/widgets/ can give the admin's split date and time labels.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pact_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "pact_portal.wsgi.application"

# --- Database -------------------------------------------------------------------------------
# SQLite (the embedded default) runs in WAL mode with immediate transactions, so concurrent
# writers wait for the lock (up to SQLITE_TIMEOUT seconds) instead of failing with "database is locked".
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Read replicas (PostgreSQL streaming replicas): comma-separated URLs become the aliases replica1..N.
# Anonymous GETs of the cached public pages read from a replica; writes, migrations and staff work use
# default (pact_portal/db_router.py). Without replicas the router sends everything to default.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
# After a change to the registry, public pages read from the primary this long (the replicas' lag bound).
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 10)
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica{_number}"] = dj_database_url.parse(
        _url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True, test_options={"MIRROR": "default"}
    )
DATABASE_ROUTERS = ["pact_portal.db_router.ReplicaRouter"]
# PostgreSQL's JIT compiles a query whose estimated cost passes a threshold: a page's queries (a few milliseconds
# each, many with a subquery per row that inflates the estimate) then spend 30-100 ms compiling. Off for the portal.
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "pact"),
        }
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Production without Redis: a cache every process and server shares (the rate limits and the page
    # cache's registry version must not count per process). The table is created by pact_portal's migration.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pact_cache",
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "pact"),
            # Rate-limit counters and cached pages: Django's default of 300 entries would cull constantly.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 50_000)},
        }
    }

# Seconds an anonymous visitor's public registry page may be served from the cache (0: never);
# writes invalidate at once through the registry version (see pact_portal/cache.py).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 60)
# Seconds the registry's figures (key figures, statistics, result counts, facet counts) are kept per registry
# version, whether or not the page is cached (0: computed on every request); writes invalidate them at once.
REGISTRY_FIGURES_CACHE_SECONDS = env_int("REGISTRY_FIGURES_CACHE_SECONDS", 600)
# Adds /bench/bare, a view that does nothing, for the benchmarks in bench/ (never in production).
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", False)

# --- Authentication -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lock-out backend comes first: it refuses a login attempt while its username + address is locked out.
AUTHENTICATION_BACKENDS = [
    "pact_portal.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lock-out (django-axes, /admin/login/ and /accounts/login/): after RATE_LIMIT_LOGIN_FAILURES failed
# attempts for one username from one client address, that pair is refused for RATE_LIMIT_LOGIN_COOLOFF_MINUTES.
# Attempts are stored in the database, which every web process shares.
AXES_FAILURE_LIMIT = env_int("RATE_LIMIT_LOGIN_FAILURES", 5)
# And failed logins from one client address across all usernames (against password spraying), "<count>/<seconds>".
RATE_LIMIT_LOGIN_ADDRESS_FAILURES = env("RATE_LIMIT_LOGIN_ADDRESS_FAILURES", "20/3600")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("RATE_LIMIT_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pact_portal.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "pact_portal.auth.client_ip"
AXES_USERNAME_CALLABLE = "pact_portal.auth.client_username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Sessions: absolute lifetime from the login (seconds; 8 hours), however active the session, and for staff
# accounts an idle timeout (minutes without a request after which they must log in again; 0 switches it off).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
STAFF_IDLE_TIMEOUT_MINUTES = env_int("STAFF_IDLE_TIMEOUT_MINUTES", 30)
# Two-factor login for the admin: a one-time code from an authenticator app (TOTP) besides the password.
# Give each staff account a device first: `manage.py staff_totp_device USERNAME --svg qr.svg`.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Pact for Skills portal")
LOGIN_URL = "/accounts/login/"
# Where /accounts/login/ sends a coordinator without a `next`; staff go to the admin (pact_portal/views.py).
LOGIN_REDIRECT_URL = "/coordinator/"
LOGOUT_REDIRECT_URL = "/"
# Links in e-mails and PDFs are absolute: the public address of the portal.
PORTAL_URL = env("PORTAL_URL", "http://127.0.0.1:8000")

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The 24 official languages of the EU, in the EU's protocol order (each by its name in its own language).
LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("es", _("Spanish")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("et", _("Estonian")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("it", _("Italian")),
    ("lv", _("Latvian")),
    ("lt", _("Lithuanian")),
    ("hu", _("Hungarian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
]
# Django knows no Maltese, and names a few languages otherwise than the EU does (in the switcher).
LANG_INFO.update(
    {
        "mt": {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"},
        "cs": {**LANG_INFO["cs"], "name_local": "čeština"},
        "hr": {**LANG_INFO["hr"], "name_local": "hrvatski"},
        "lt": {**LANG_INFO["lt"], "name_local": "lietuvių"},
        "sk": {**LANG_INFO["sk"], "name_local": "slovenčina"},
        "sl": {**LANG_INFO["sl"], "name_local": "slovenščina"},
    }
)
LOCALE_PATHS = [BASE_DIR / "locale"]
# Rows staff translate (support_services/translation.py): English is the base, an empty language shows it.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# English first (the admin's forms list the required language at the top), then the protocol order.
MODELTRANSLATION_LANGUAGES = ("en", *(code for code, _name in LANGUAGES if code != "en"))
FORMAT_MODULE_PATH = ["pact_portal.formats"]
TIME_ZONE = env("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
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

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Pact for Skills portal <no-reply@pact-for-skills.example>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
SUPPORT_SERVICES_EMAIL = env("SUPPORT_SERVICES_EMAIL", "support-services@pact-for-skills.example")

# --- Security -----------------------------------------------------------------------------------
# Production is the default: with DEBUG off the portal expects to sit behind a reverse proxy that terminates
# HTTPS (and sets X-Forwarded-Proto), redirects plain HTTP to HTTPS, sends HSTS and keeps its cookies to HTTPS.
# Each of these can be turned off explicitly (a local trial over plain HTTP: SECURE_SSL_REDIRECT=0, SECURE_COOKIES=0).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", not DEBUG) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's health check reaches the servers directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
# HSTS starts modest (one day): raise SECURE_HSTS_SECONDS to a year (31536000) once HTTPS is known to work on
# the host and its subdomains. Preloading (SECURE_HSTS_PRELOAD=1) is the operator's decision to take on
# purpose: it is hard to undo, so it is off by default and Django's reminder about it is silenced below.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 86400)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything the portal loads comes from itself: no CDN, no remote fonts, no inline or remote scripts.
# Inline style attributes stay allowed (map legend swatches, the Django admin).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Largest request body of any kind, uploads included, in bytes (a styled 413 above it). Room for the
# largest upload (DECLARATION_SCAN_MAX_BYTES) and its form.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 12 * 1024 * 1024)
# Largest form without its files (Django's own cap; above it a styled 413 too).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Third-party apps ---------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging ------------------------------------------------------------------------------------
# LOG_FORMAT=json (the default unless DEBUG): one JSON object per line (time, level, logger, message,
# request_id, method, path, status, duration_ms, user_id); text: readable lines. Every response carries an
# X-Request-ID header (the reverse proxy's own when well formed), also found in the log lines of its request.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "pact_portal.request_log.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "pact_portal.request_log.JsonFormatter"},
        "text": {
            "()": "pact_portal.request_log.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(rid)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Django's development server writes its own access lines; the portal's are on pact_portal.request.
    "loggers": {"django.server": {"level": "WARNING"}},
}

# --- Expressions of Interest (support_services) ---------------------------------------------------
# Minutes during which posting step 1 again from the same browser (a retry, a double click) returns the same draft.
EOI_IDEMPOTENCY_MINUTES = env_int("EOI_IDEMPOTENCY_MINUTES", 60)
# Days a draft application stays reachable by its link after its last save.
EOI_DRAFT_EXPIRY_DAYS = env_int("EOI_DRAFT_EXPIRY_DAYS", 30)
# Days after a decline, withdrawal or draft expiry before `manage.py purge_eoi_personal_data` erases personal data.
EOI_RETENTION_DAYS = env_int("EOI_RETENTION_DAYS", 365)
# The version of /privacy/ an applicant consents to; bump it when the notice changes.
PRIVACY_NOTICE_VERSION = env("PRIVACY_NOTICE_VERSION", "2026-1")
# Request header that holds the client address behind a trusted reverse proxy (e.g. HTTP_X_REAL_IP); REMOTE_ADDR if
# unset. The header is believed only on requests that come from one of TRUSTED_PROXIES (addresses or networks,
# comma-separated): a client reaching the servers directly cannot choose the address its limits count for.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", "")
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network.") from None
# Largest request body the EoI forms accept, in bytes (413 above it).
EOI_MAX_REQUEST_BYTES = env_int("EOI_MAX_REQUEST_BYTES", 64 * 1024)

# --- Events and newsletter (support_services) -----------------------------------------------------
# Days a newsletter confirmation link stays valid.
NEWSLETTER_CONFIRM_DAYS = env_int("NEWSLETTER_CONFIRM_DAYS", 7)
# The least minutes between two e-mails to one address (a repeated subscription sends nothing new within them).
NEWSLETTER_MAIL_INTERVAL_MINUTES = env_int("NEWSLETTER_MAIL_INTERVAL_MINUTES", 15)

# --- Declarations of commitment (commitments app) -----------------------------------------------
# PEM certificate and key that PAdES-sign every stored declaration PDF; `manage.py create_signing_certificate`
# makes a self-signed development pair at these paths (also done automatically when DEBUG is on).
DECLARATION_SIGNING_CERT = env("DECLARATION_SIGNING_CERT", str(BASE_DIR / "var" / "signing" / "cert.pem"))
DECLARATION_SIGNING_KEY = env("DECLARATION_SIGNING_KEY", str(BASE_DIR / "var" / "signing" / "key.pem"))
DECLARATION_SIGNING_KEY_PASSPHRASE = env("DECLARATION_SIGNING_KEY_PASSPHRASE", "")
# Optional PEM file with the intermediate certificates of a real certificate's chain.
DECLARATION_SIGNING_CHAIN = env("DECLARATION_SIGNING_CHAIN", "")
DECLARATION_SIGNING_LINK_DAYS = env_int("DECLARATION_SIGNING_LINK_DAYS", 30)
DECLARATION_SCAN_MAX_BYTES = env_int("DECLARATION_SCAN_MAX_BYTES", 10 * 1024 * 1024)

# Resources for partnerships: the largest file staff may upload (bytes).
RESOURCE_UPLOAD_MAX_BYTES = env_int("RESOURCE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

# --- Rate limits ----------------------------------------------------------------------------------
# Per client address, as "<count>/<seconds>", counted in the shared cache (pact_portal/ratelimit.py); one
# name for the setting and its environment variable. The login lock-out (RATE_LIMIT_LOGIN_*) is above.
RATE_LIMIT_EOI_SUBMISSIONS = env("RATE_LIMIT_EOI_SUBMISSIONS", "20/3600")
RATE_LIMIT_EOI_RESUME_LINKS = env("RATE_LIMIT_EOI_RESUME_LINKS", "5/3600")
# Saves of an application's steps 1-3, and the e-mails its contact step sends (per client address, per
# application and per recipient; over it the step is saved and no mail goes out).
RATE_LIMIT_EOI_STEPS = env("RATE_LIMIT_EOI_STEPS", "120/3600")
RATE_LIMIT_EOI_MAILS = env("RATE_LIMIT_EOI_MAILS", "5/3600")
# Requests to join a partnership from its public profile (per client address, and per contact e-mail address).
RATE_LIMIT_JOIN_REQUESTS = env("RATE_LIMIT_JOIN_REQUESTS", "10/3600")
RATE_LIMIT_NEWSLETTER = env("RATE_LIMIT_NEWSLETTER", "10/3600")
RATE_LIMIT_VERIFY_UPLOADS = env("RATE_LIMIT_VERIFY_UPLOADS", "30/3600")
RATE_LIMIT_SIGNING = env("RATE_LIMIT_SIGNING", "20/3600")
# Password reset e-mails: per client address, and per e-mail address asked for.
RATE_LIMIT_PASSWORD_RESET = env("RATE_LIMIT_PASSWORD_RESET", "5/3600")
