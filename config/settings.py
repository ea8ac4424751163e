"""Settings, read from the environment with safe development defaults.

Development (the default) uses an SQLite file under `.data/`, console email, eager Celery and a
local-memory cache. With `DJANGO_DEBUG=0` the settings are strict: a secret key is required and
`manage.py check --deploy` is clean.
"""

import json
import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DJANGO_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG=0.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "phonenumber_field",
    "django_countries",
    "simple_history",
    "axes",
    "corsheaders",
    "config",
    "integrations",
    "customers",
    "loyalty",
    "orders",
    "scents",
    "reviews",
]

MIDDLEWARE = [
    "config.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.RateLimitHeadersMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

# Database: DATABASE_URL (PostgreSQL in production), an SQLite file under .data/ otherwise.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers in the dev server wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and throttle counters: Redis when REDIS_URL is set, process memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mnky"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mnky"}}

AUTH_USER_MODEL = "customers.User"
# Emails are unique case-insensitively by a functional constraint (customers_user_email_ci_unique),
# which this check cannot see; logins look users up with iexact.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)
LOGIN_URL = "/account/login/"
LOGIN_REDIRECT_URL = "/account/"
LOGOUT_REDIRECT_URL = "/account/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Static files live in the apps (`config/static/` for the site-wide stylesheet and icon).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", DATA_DIR / "staticfiles"))
MEDIA_URL = "/media/"
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Email: console in development; EMAIL_BACKEND / EMAIL_FILE_PATH / EMAIL_HOST... in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "emails"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MOOD MNKY <hello@moodmnky.example>")

# SMS: a pluggable backend (console, file or locmem; a provider's backend in production).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "customers.sms.ConsoleSMSBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(DATA_DIR / "sms"))

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict = {
    "purge-idempotency-records": {"task": "config.tasks.purge_idempotency_records", "schedule": 3600.0},
    "loyalty-release-points": {"task": "loyalty.tasks.release_points", "schedule": 3600.0},
    "loyalty-expire-points": {"task": "loyalty.tasks.expire_points", "schedule": 86400.0},
    "complete-orders": {"task": "orders.tasks.complete_orders_after_return_window", "schedule": 3600.0},
    # Webhook retries, and deliveries a lost enqueue or a killed worker left pending.
    "webhook-deliveries-sweep": {"task": "integrations.tasks.webhook_deliveries_sweep", "schedule": 60.0},
}

# REST API
API_THROTTLE_ANON = os.environ.get("API_THROTTLE_ANON", "60/hour")
API_THROTTLE_CUSTOMER = os.environ.get("API_THROTTLE_CUSTOMER", "1000/hour")
API_THROTTLE_STAFF = os.environ.get("API_THROTTLE_STAFF", "5000/hour")
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 2 * 1024 * 1024)
API_MAX_UPLOAD_BYTES = env_int("API_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
IDEMPOTENCY_TTL = timedelta(hours=24)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "customers.authentication.JWTUserCustomerAuthentication",
        "customers.authentication.APIKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in, as the contract says: form bodies made blank optional fields vanish (DRF's HTML
    # form rule). An upload view sets `parser_classes = [MultiPartParser]` itself. Bounded: no
    # deeper than 32 levels (400), no array or object over 1000 members (413).
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.BoundedJSONParser"],
    # OPTIONS is no API method: DRF's metadata crashed on views without `serializer_class`.
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["config.api.throttling.CallerRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": API_THROTTLE_ANON,
        "customer": API_THROTTLE_CUSTOMER,
        "staff": API_THROTTLE_STAFF,
    },
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # How many proxies in front of the app append to X-Forwarded-For; 0 trusts only REMOTE_ADDR
    # (None would let a client pick its own address for throttles and lockouts).
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DATETIME_FORMAT": "%Y-%m-%dT%H:%M:%SZ",
    "COERCE_DECIMAL_TO_STRING": True,
}

SIMPLE_JWT = {
    "ALGORITHM": "HS256",
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY") or SECRET_KEY,
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "LEEWAY": 0,
    # Tokens carry a digest of the password hash: a password change or reset revokes access
    # tokens on every device at once, not only the refresh tokens.
    "CHECK_REVOKE_TOKEN": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MOOD MNKY customer accounts API",
    "DESCRIPTION": "Customers, orders, loyalty, scents and reviews of a fragrance shop. "
    'Errors share one body: {"error": {"code", "message", "details"}}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api",
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        # two choice sets named `kind`: a customer's and a discount code's
        "CustomerKindEnum": "customers.models.Customer.Kind",
        "DiscountKindEnum": "orders.models_catalog.DiscountCode.Kind",
        "ReturnStatusEnum": "orders.models_returns.ReturnStatus",
        "ReportedPaymentStatusEnum": ["succeeded", "paid", "pending", "failed"],
        "ScentFamilyEnum": "scents.models.Family",
        "ScentIntensityEnum": "scents.models.Intensity",
        "ScentOccasionEnum": "scents.models.Occasion",
        "BlendBaseEnum": "scents.models.BlendBase",
        "WebhookEventTypeEnum": "integrations.events.EVENT_TYPES",
        "DeliveryStatusEnum": "integrations.models.DeliveryStatus",
        # the per-item statuses of the bulk routes
        "BulkIngestStatusEnum": "config.api.bulk.INGEST_STATUSES",
        "BulkUpsertStatusEnum": "config.api.bulk.UPSERT_STATUSES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_error_responses",
    ],
}

# Brute-force protection: lock the pair (account, client IP), never every account behind one IP.
# The page login form and the admin post `username`, the API posts `email`; both are read and
# lower-cased by customers.lockout.lockout_username. Each further failure after a lockout doubles
# it (LOGIN_LOCKOUT_BASE_SECONDS, at most LOGIN_LOCKOUT_MAX_SECONDS); failures are remembered for
# AXES_COOLOFF_TIME after the last one.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "customers.lockout.BackoffDatabaseHandler"
AXES_COOLOFF_TIME = timedelta(hours=env_int("LOGIN_FAILURE_MEMORY_HOURS", 24))
AXES_RESET_ON_SUCCESS = True
# Attempts while locked are refused without checking the password and do not extend the lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "customers.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "customers.lockout.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "email", "ip_address"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Successful logins are not logged by axes: its access log would create a session per API token.
AXES_DISABLE_ACCESS_LOG = True
# The client address as the throttles see it (REMOTE_ADDR, or X-Forwarded-For behind API_NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "customers.lockout.client_ip"
AXES_VERBOSE = False
LOGIN_LOCKOUT_BASE_SECONDS = env_int("LOGIN_LOCKOUT_BASE_SECONDS", 60)
LOGIN_LOCKOUT_MAX_SECONDS = env_int("LOGIN_LOCKOUT_MAX_SECONDS", 24 * 60 * 60)

OTP_TTL = timedelta(minutes=10)
OTP_MAX_ATTEMPTS = 5

# Extra limits on actions that send messages, per account (or target address) and per client IP.
ACTION_THROTTLE_RATES = {
    "otp": {
        "account": os.environ.get("API_THROTTLE_OTP", "5/hour"),
        "ip": os.environ.get("API_THROTTLE_OTP_IP", "20/hour"),
    },
    "password-reset": {
        "account": os.environ.get("API_THROTTLE_PASSWORD_RESET", "3/hour"),
        "ip": os.environ.get("API_THROTTLE_PASSWORD_RESET_IP", "20/hour"),
    },
    # Review submissions and edits, per customer.
    "review": {"account": os.environ.get("API_THROTTLE_REVIEW", "10/hour")},
}

# CORS is closed unless origins are configured.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# Security. Behind a proxy that terminates TLS the app trusts X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^api/health$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Business settings shared across apps.
DEFAULT_CURRENCY = os.environ.get("DEFAULT_CURRENCY", "USD")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The link in password-reset emails; {uid} and {token} are filled in (a SPA can point elsewhere).
PASSWORD_RESET_URL = (
    os.environ.get("PASSWORD_RESET_URL") or SITE_URL.rstrip("/") + "/account/reset/{uid}/{token}/"
)

# Loyalty: points per 1.00 paid (before the tier multiplier), the referrer's reward, and how long
# points last before they expire.
LOYALTY_EARN_RATE = Decimal(os.environ.get("LOYALTY_EARN_RATE") or "1")
LOYALTY_REFERRAL_REWARD = env_int("LOYALTY_REFERRAL_REWARD", 100)
LOYALTY_POINTS_EXPIRE_DAYS = env_int("LOYALTY_POINTS_EXPIRE_DAYS", 365)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "config.logging.RedactSecretsFilter"}},
    "formatters": {"json": {"()": "config.logging.JSONFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Orders: the payment provider (see orders/payments.py) and the return window.
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "orders.payments.DevelopmentProvider")
ORDER_RETURN_WINDOW_DAYS = env_int("ORDER_RETURN_WINDOW_DAYS", 30)
ORDER_NUMBER_PREFIX = os.environ.get("ORDER_NUMBER_PREFIX", "MNKY")

# Business customers: the credit-check provider (see customers/services/business.py) and the
# lifetime value from which analytics call a customer `vip`.
CREDIT_CHECK_PROVIDER = os.environ.get("CREDIT_CHECK_PROVIDER", "orders.credit.OrderHistoryCreditProvider")
ANALYTICS_VIP_LIFETIME_VALUE = env_int("ANALYTICS_VIP_LIFETIME_VALUE", 10000)
# Customer profile: the currencies a customer may prefer, and the profile picture's limits.
SUPPORTED_CURRENCIES = [code.upper() for code in env_list("SUPPORTED_CURRENCIES", "USD,EUR,GBP,CAD,AUD")]
PROFILE_IMAGE_MAX_PIXELS = env_int("PROFILE_IMAGE_MAX_PIXELS", 40_000_000)
PROFILE_IMAGE_MAX_SIDE = env_int("PROFILE_IMAGE_MAX_SIDE", 1024)
# Cart and checkout (orders/pricing.py). Prices are tax-inclusive; the tax calculator says how
# much tax a total contains. Tables can be replaced with JSON in the environment.
LOYALTY_POINT_VALUE = Decimal(os.environ.get("LOYALTY_POINT_VALUE") or "0.01")  # 100 points = 1.00
SHIPPING_METHODS = json.loads(
    os.environ.get("SHIPPING_METHODS_JSON")
    or '{"standard": {"name": "Standard", "price": "4.95", "estimated_days": 5},'
    ' "express": {"name": "Express", "price": "12.95", "estimated_days": 2}}'
)
# Per-country prices override the defaults above: {"DE": {"standard": "5.90", "express": "14.90"}}.
SHIPPING_COUNTRY_PRICES = json.loads(
    os.environ.get("SHIPPING_COUNTRY_PRICES_JSON")
    or '{"US": {"standard": "4.95", "express": "12.95"}, "CA": {"standard": "9.95", "express": "19.95"},'
    ' "GB": {"standard": "6.95", "express": "14.95"}, "DE": {"standard": "5.95", "express": "13.95"}}'
)
SHIPPING_FREE_STANDARD_OVER = Decimal(os.environ.get("SHIPPING_FREE_STANDARD_OVER") or "75.00")
TAX_CALCULATOR = os.environ.get("TAX_CALCULATOR", "orders.pricing.VatTableTaxCalculator")
# Percent VAT contained in prices, per shipping country; others use TAX_DEFAULT_RATE.
TAX_VAT_RATES = json.loads(
    os.environ.get("TAX_VAT_RATES_JSON")
    or '{"DE": "19", "FR": "20", "GB": "20", "IT": "22", "ES": "21", "NL": "21", "AT": "20", "IE": "23"}'
)
TAX_DEFAULT_RATE = Decimal(os.environ.get("TAX_DEFAULT_RATE") or "0")
CART_ABANDONED_AFTER_DAYS = env_int("CART_ABANDONED_AFTER_DAYS", 30)
CELERY_BEAT_SCHEDULE["clear-abandoned-carts"] = {
    "task": "orders.tasks.clear_abandoned_carts",
    "schedule": 86400.0,
}

# Webhooks (integrations/, docs/WEBHOOKS.md). Signing secrets are encrypted with Fernet keys
# (comma-separated, the first encrypts; derived from SECRET_KEY when unset). Private, loopback and
# link-local receivers and plain http are refused unless WEBHOOK_ALLOW_PRIVATE=1 (development).
WEBHOOK_SECRET_KEY = os.environ.get("WEBHOOK_SECRET_KEY", "")
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_ALERT_EMAIL = os.environ.get("WEBHOOK_ALERT_EMAIL", "")
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS") or 10)
# Without a broker tasks run inside the request: keep that short, the beat sweep does the rest.
WEBHOOK_EAGER_TIMEOUT = float(os.environ.get("WEBHOOK_EAGER_TIMEOUT_SECONDS") or 2)
WEBHOOK_EAGER_MAX_DELIVERIES = env_int("WEBHOOK_EAGER_MAX_DELIVERIES", 3)
