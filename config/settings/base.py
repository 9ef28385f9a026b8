"""Settings shared by every environment. Environment files import this one, never each other."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The custom user model comes first so that its table is created before any other.
    "passemploi.accounts",
    "passemploi.core",
    "passemploi.portfolio",
    "passemploi.youth",
    "passemploi.actions",
    "passemploi.agenda",
    "passemploi.chat",
    "passemploi.broadcasts",
    "passemploi.news",
    "passemploi.notifications",
    "passemploi.push",
    "passemploi.geo",
    "passemploi.offers",
    "passemploi.audit",
    "passemploi.mfa",
    "passemploi.retention",
    "passemploi.stats",
    "passemploi.sso",
    "passemploi.mfa.admin_config.SupportAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "ninja",
    "django_htmx",
    "widget_tweaks",
    "dsfr",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells a counselor signed out at the 12-hour limit why.
    "passemploi.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "passemploi.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'passemploi.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache that fails open when Redis is unreachable (core/cache.py).
            "BACKEND": "passemploi.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "KEY_PREFIX": "passemploi",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # channels_redis's layer, with a bounded connection pool (REDIS_MAX_CONNECTIONS).
            "BACKEND": "passemploi.core.channel_layer.BoundedRedisChannelLayer",
            # redis-py 8 times reads out after 5 s by default, which breaks the layer's
            # blocking receive and drops sockets under load: no read timeout here.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "prefix": "passemploi",
                # Every socket of a server process shares one Redis inbox: past this many waiting
                # events, channels_redis drops new ones. Its default (100) dropped events as
                # soon as a process fell a second or two behind under load.
                "capacity": int(os.environ.get("REDIS_CHANNEL_CAPACITY", "5000")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "passemploi.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Argon2id first: new and re-saved passwords use it; older hashes upgrade at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour for a reset link
ACTIVATION_LINK_VALIDITY = timedelta(hours=24)

# Session lifetimes (seconds). Counselors handle sensitive files on shared office computers.
COUNSELOR_SESSION_IDLE = int(os.environ.get("COUNSELOR_SESSION_IDLE", str(30 * 60)))
COUNSELOR_SESSION_ABSOLUTE = int(os.environ.get("COUNSELOR_SESSION_ABSOLUTE", str(12 * 3600)))
YOUNG_PERSON_SESSION_AGE = int(os.environ.get("YOUNG_PERSON_SESSION_AGE", str(30 * 24 * 3600)))
SESSION_COOKIE_AGE = YOUNG_PERSON_SESSION_AGE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# API tokens for native clients.
API_ACCESS_TOKEN_TTL = timedelta(minutes=15)
API_REFRESH_TOKEN_TTL = timedelta(days=30)

# django-axes: lock an account (per email, and per email + address) after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "passemploi.accounts.views.lockout"
AXES_USERNAME_CALLABLE = "passemploi.accounts.services.axes_username"
AXES_VERBOSE = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"


def mailer(default_backend: str) -> dict:
    """The default mailer, from EMAIL_BACKEND (a dotted path) and the SMTP variables."""
    backend = os.environ.get("EMAIL_BACKEND", default_backend)
    options: dict = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 10,
        }
    elif backend.endswith("filebased.EmailBackend"):
        options = {"file_path": str(VAR_DIR / "emails")}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailer("django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Pass Emploi <ne-pas-repondre@passemploi.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@passemploi.fr")

# Content Security Policy (Django's own middleware): scripts only from us, inline ones with a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF, "ws:", "wss:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features the app never uses are switched off for every page and any frame.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
} | {"geolocation": ["self"]}  # "autour de moi" in the offer search

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_MAX_LIMIT = 100
# Two-factor authentication: the issuer shown in authenticator apps; codes of 30 s, one step of
# clock drift accepted either way.
OTP_TOTP_ISSUER = "Pass Emploi"
# API rate limits ("count/period"). Behind N trusted proxies, set NUM_PROXIES=N so the client
# address is read from X-Forwarded-For; by default that header is ignored (it can be forged).
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
API_RATE_PER_ADDRESS = os.environ.get("API_RATE_PER_ADDRESS", "1200/min")
API_RATE_PER_USER = os.environ.get("API_RATE_PER_USER", "300/min")
API_RATE_MESSAGES = os.environ.get("API_RATE_MESSAGES", "30/min")
API_RATE_UPLOADS = os.environ.get("API_RATE_UPLOADS", "10/min")

# Sign-in slow-down before the axes lock: free failures, then 2 s, 4 s, ... at most this.
LOGIN_SLOWDOWN_FREE_FAILURES = int(os.environ.get("LOGIN_SLOWDOWN_FREE_FAILURES", "2"))
LOGIN_SLOWDOWN_MAX_SECONDS = 60

# Chat encryption at rest: "id:<base64 of 32 bytes>" entries, the first wraps new keys.
CHAT_MASTER_KEYS = [k for k in os.environ.get("CHAT_MASTER_KEYS", "").split(",") if k]

# Chat attachments (passemploi/chat/attachments.py): encrypted bytes go to this storage, built
# with Django's storage API (any backend, e.g. an S3-compatible one, by changing BACKEND/OPTIONS).
CHAT_ATTACHMENTS_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": os.environ.get("CHAT_ATTACHMENTS_DIR", str(VAR_DIR / "attachments")),
        "directory_permissions_mode": 0o700,
        "file_permissions_mode": 0o600,
    },
}
# ClamAV's clamd: a unix socket path, or host and port. Empty: files are not scanned (see docs).
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
CLAMD_TIMEOUT = float(os.environ.get("CLAMD_TIMEOUT", "10"))

# Push channels (passemploi/push, docs/push.md). Web Push: VAPID keys from
# `manage.py generate_vapid_keys`; empty keys disable Web Push (logged, nothing raised).
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", f"mailto:{SUPPORT_EMAIL}")
# Native push, FCM HTTP v1: a service-account JSON file path or the JSON itself; empty disables it.
FCM_CREDENTIALS = os.environ.get("FCM_CREDENTIALS", "")
FCM_BASE_URL = os.environ.get("FCM_BASE_URL", "https://fcm.googleapis.com")
FCM_TOKEN_URI = os.environ.get("FCM_TOKEN_URI", "")  # empty: the credentials' own token_uri
PUSH_TIMEOUT_SECONDS = float(os.environ.get("PUSH_TIMEOUT_SECONDS", "10"))

# Notifications and background tasks (passemploi/notifications): two Huey queues, `urgent` and
# `batch`, on Redis when REDIS_URL is set, else SQLite files in var/. HUEY_IMMEDIATE runs tasks
# inline (tests). A claimed delivery is handed out again after this many seconds without an
# outcome (a worker killed mid-send).
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
NOTIFICATIONS_LEASE_SECONDS = int(os.environ.get("NOTIFICATIONS_LEASE_SECONDS", "120"))

# Connection limits under load (docs/realtime.md, "Capacity"). PostgreSQL: each server process
# keeps a pool (psycopg-pool) of at most DB_POOL_MAX_SIZE connections shared by its requests and
# sockets (a request waits up to DB_POOL_TIMEOUT seconds for one, then answers 503), so
# processes × max size stays under the server's max_connections. DB_POOL_MAX_SIZE=0: one
# connection per request instead. Django requires CONN_MAX_AGE=0 with a pool.
DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", "20"))
if DB_POOL_MAX_SIZE > 0 and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(int(os.environ.get("DB_POOL_MIN_SIZE", "2")), DB_POOL_MAX_SIZE),
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
# Redis connections of the channel layer, per server process: past this many, a send waits for
# a free connection (up to REDIS_POOL_TIMEOUT seconds) instead of opening more.
REDIS_MAX_CONNECTIONS = int(os.environ.get("REDIS_MAX_CONNECTIONS", "50"))
REDIS_POOL_TIMEOUT = float(os.environ.get("REDIS_POOL_TIMEOUT", "5"))
# A socket re-checks its session or access token before pushing an event, at most once per this
# many seconds (sign-out and archiving close sockets at once; this bounds other revocations).
SOCKET_AUTH_RECHECK_SECONDS = float(os.environ.get("SOCKET_AUTH_RECHECK_SECONDS", "30"))

# Data retention, in days (docs/data-retention.md gives each rule's legal basis).
DATA_RETENTION_DAYS = {
    "inactive_accounts": 730,  # no sign-in for 2 years (warned by email 30 days before)
    "actions": 730,  # after their due date
    "appointments": 730,  # after their date
    "appointment_changes": 365,
    "audit": 365,
    "favourites": 183,  # followed offers untouched for 6 months
    "alerts": 730,  # saved searches, after their creation
    "engagement_events": 396,  # then anonymised (13 months)
}

# Federated sign-in, OpenID Connect (passemploi/sso, docs/sso.md). One block per provider; a
# provider without a discovery URL and client id shows no button. The role each provider serves
# is fixed in passemploi/sso/providers.py (ProConnect: counselors; the others: young people).
SSO_PROVIDERS = {
    name: {
        "discovery_url": os.environ.get(f"SSO_{prefix}_DISCOVERY_URL", ""),
        "client_id": os.environ.get(f"SSO_{prefix}_CLIENT_ID", ""),
        "client_secret": os.environ.get(f"SSO_{prefix}_CLIENT_SECRET", ""),
        "scopes": os.environ.get(f"SSO_{prefix}_SCOPES", scopes),
        "acr_values": os.environ.get(f"SSO_{prefix}_ACR_VALUES", ""),
        # No `email_verified` claim: trust the email (the provider verifies it) or refuse.
        "email_trusted": env_bool(f"SSO_{prefix}_EMAIL_TRUSTED", True),
    }
    for name, prefix, scopes in (
        ("proconnect", "PROCONNECT", "openid email given_name usual_name"),
        ("ft_connect", "FT_CONNECT", "openid email profile"),
        ("franceconnect", "FRANCECONNECT", "openid email given_name family_name"),
    )
}
# Calls to a provider (discovery, keys, token, userinfo) give up after this many seconds.
SSO_TIMEOUT_SECONDS = float(os.environ.get("SSO_TIMEOUT_SECONDS", "5"))
# The sign-in and sign-out forms end in a redirect to the provider: its origin (the discovery
# URL's) must be allowed by the CSP's form-action.
for _sso in SSO_PROVIDERS.values():
    if _sso["discovery_url"] and _sso["client_id"]:
        _origin = "/".join(_sso["discovery_url"].split("/", 3)[:3])  # scheme://host[:port]
        if _origin not in SECURE_CSP["form-action"]:
            SECURE_CSP["form-action"].append(_origin)

# Dropout early warning (docs/dropout-risk.md): each rule adds its weight to a score when its
# threshold is reached; the score gives the level. Tune here, the reasons follow.
DROPOUT_RISK = {
    "no_sign_in": {"days": 14, "weight": 3},
    "no_message": {"days": 14, "weight": 2},
    "unanswered_messages": {"count": 2, "weight": 2},
    # Per missed appointment (attendance "absent") over the last `days`, at most `max_count`.
    "missed_appointments": {"days": 28, "count": 1, "weight": 3, "max_count": 2},
    "late_actions": {"count": 3, "weight": 2},
    # Declared hours of the last two complete weeks against the two weeks before (counter on).
    "hours_drop": {"ratio": 0.5, "weight": 2},
    "end_near": {"weeks": 4, "weight": 1},
    "levels": {"medium": 3, "high": 6},
}

# Offer connectors (docs/offers.md, "Connectors"): partner APIs imported by
# `manage.py import_offers <source>`. Base URLs from the environment, so tests and staging can
# point them at a local server.
FRANCE_TRAVAIL_API_URL = os.environ.get(
    "FRANCE_TRAVAIL_API_URL", "https://api.francetravail.io/partenaire/offresdemploi"
)
FRANCE_TRAVAIL_TOKEN_URL = os.environ.get(
    "FRANCE_TRAVAIL_TOKEN_URL",
    "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire",
)
FRANCE_TRAVAIL_CLIENT_ID = os.environ.get("FRANCE_TRAVAIL_CLIENT_ID", "")
FRANCE_TRAVAIL_CLIENT_SECRET = os.environ.get("FRANCE_TRAVAIL_CLIENT_SECRET", "")
IMMERSION_API_URL = os.environ.get("IMMERSION_API_URL", "https://immersion-facile.beta.gouv.fr/api")
IMMERSION_API_KEY = os.environ.get("IMMERSION_API_KEY", "")
CIVIC_SERVICE_API_URL = os.environ.get(
    "CIVIC_SERVICE_API_URL", "https://api.api-engagement.beta.gouv.fr"
)
CIVIC_SERVICE_API_KEY = os.environ.get("CIVIC_SERVICE_API_KEY", "")
OFFERS_CONNECTOR_RATE = float(os.environ.get("OFFERS_CONNECTOR_RATE", "3"))  # calls/s
OFFERS_CONNECTOR_TIMEOUT = float(os.environ.get("OFFERS_CONNECTOR_TIMEOUT", "10"))  # seconds
OFFERS_CONNECTOR_RETRIES = int(os.environ.get("OFFERS_CONNECTOR_RETRIES", "4"))
# An imported offer expires this many days after the last import that saw it.
OFFERS_IMPORT_KEEP_DAYS = int(os.environ.get("OFFERS_IMPORT_KEEP_DAYS", "7"))
