"""Settings for the extraditions tracker.

Everything that differs between a laptop and production comes from the environment:
DATABASE_URL, DATABASE_REPLICA_URLS, REDIS_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, HTTPS (see
docs/deployment.md for the full list and a production example). With nothing set, the app runs on
an SQLite file in the project directory (the embedded default) and refuses to start without a
secret key unless DEBUG is on.
"""

import os
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
# Former keys, comma-separated, while moving to a new one: sessions and API tokens made under them
# still work (a token is hashed again under the new key at its next use; extraditions/tokens.py).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "extraditions.admin_config.StaffAdminConfig",  # the admin, with second factors (admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # full-text and trigram search on PostgreSQL; inert on SQLite
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "import_export",
    "huey.contrib.djhuey",  # the job queue's consumer (`manage.py run_huey`) and task decorators
    "extraditions",
    "sources",
    "treaties",
    "cases",
    "dataset",
    "alerts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "extraditions.middleware.ContentSecurityPolicyMiddleware",
    "extraditions.middleware.RefuseNullCharactersMiddleware",
    # Static files straight from the app servers, compressed and cached forever by content hash.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every answer and 304 Not Modified for conditional GETs (If-None-Match, If-Modified-Since).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Sessions end after SESSION_IDLE_MINUTES without a request (written once a minute at most).
    "extraditions.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # With read replicas, only the public's reads go to them (extraditions/routers.py).
    "extraditions.routers.PrimaryForStaffMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Public reads answered from the cache until a record changes (extraditions/answer_cache.py).
    "extraditions.answer_cache.PublicAnswerCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the logged-in user on every history entry written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A researcher's write that would change what the public sees waits for an editor (extraditions/changes.py).
    "extraditions.changes.HoldPublicChangesMiddleware",
    # Refuses logins from a locked-out username or address; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failures and refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]

# Brute force: after AXES_FAILURE_LIMIT failed logins for a username, or from an address, both
# are locked out for AXES_COOLOFF_TIME hours (an administrator can unlock: manage.py axes_reset).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Staff sessions end after SESSION_IDLE_MINUTES without a request, and when the browser closes.
# The expiry moves forward at most once every SESSION_REFRESH_SECONDS (IdleSessionMiddleware), not
# with a database write on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "120")) * 60
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Bulk import (cases/resources.py): one transaction per file, refused whole if a row is wrong,
# open to whoever may add records of the kind.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"

# The name shown by authenticator apps next to the codes.
OTP_TOTP_ISSUER = "Extraditions tracker"

ROOT_URLCONF = "extraditions.urls"

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
                "extraditions.pages.site_context",
            ],
        },
    },
]

WSGI_APPLICATION = "extraditions.wsgi.application"
ASGI_APPLICATION = "extraditions.asgi.application"

def database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast when the database is unreachable (a 503, docs/deployment.md), never hang a worker.
        # No JIT: the visibility filters (an OR of one subquery per kind of record) look expensive to
        # the planner, which then spent seconds compiling queries that run in 50 ms (docs/performance.md).
        config["OPTIONS"] = {
            "connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")),
            "options": "-c jit=off",
            **config.get("OPTIONS", {}),
        }
    elif config["ENGINE"] == "django.db.backends.sqlite3":
        # The app server and the job worker write to one file: transactions take the write lock
        # when they begin (no "database is locked" when a reader turns writer), wait for it up to
        # 20 s, and readers do not block the writer (write-ahead log).
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            **config.get("OPTIONS", {}),
        }
    return config


DATABASES = {"default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Read replicas: reads go to one of them, writes and migrations to the primary (extraditions/routers.py).
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica{number}"] = {**database(url), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["extraditions.routers.PrimaryReplicaRouter"] if len(DATABASES) > 1 else []

# The cache shared by every app server when REDIS_URL is set (rate limits, sessions, figures);
# otherwise one per process. The site keeps serving when Redis is down (extraditions/redis_cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "extraditions.redis_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "extraditions",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions read from the cache and kept in the database: a Redis restart logs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Room for the public answers of a working session (Django's default keeps 300 entries).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "5000"))},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Figures computed over every record (/api/v1/stats/, the home page) are cached for the public
# until a record changes (extraditions/caching.py); this bounds how long another process's cache
# may lag when the cache is not shared.
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "300"))
# Whole public answers cached the same way (extraditions/answer_cache.py): on by default only with
# a shared cache, since with several processes a per-process cache would miss other processes' changes.
PUBLIC_ANSWER_CACHE = env_bool("PUBLIC_ANSWER_CACHE", default=bool(REDIS_URL))
# Where a streamed public export is kept, one directory per data version (each app server its own).
EXPORT_CACHE_DIR = Path(os.environ.get("EXPORT_CACHE_DIR", BASE_DIR / "var" / "exports"))

# The job queue (extraditions/jobs.py): mail, webhooks, bulk downloads and figures run in a worker
# (`manage.py run_huey`, which `make run` starts with the app), never inside a request. By default
# the queue is an SQLite file beside the app (no server to run); production points it at Redis,
# in a database of its own (clearing the cache must not empty the queue): docs/alerts.md.
JOB_QUEUE_URL = os.environ.get("JOB_QUEUE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'jobs.sqlite3'}"


def job_queue(url: str, immediate: bool = False) -> dict:
    """Huey's settings for a queue at ``url`` (``sqlite:///path`` or ``redis://host:port/db``)."""
    common = {
        "name": os.environ.get("JOB_QUEUE_NAME", "extraditions"),  # the queue's keys in Redis
        "immediate": immediate,  # run each job inside the call that enqueues it (the test suite's default)
        "results": False,  # jobs write what they did to the database; the queue keeps no return values
        "utc": True,
        "consumer": {
            "workers": int(os.environ.get("JOB_WORKERS", "2")),
            "worker_type": "thread",
            "periodic": True,  # the daily and weekly digests, the sweeps
            "check_worker_health": True,
            # An idle worker polls an SQLite queue at most this many seconds apart (Redis wakes it at once).
            "max_delay": float(os.environ.get("JOB_POLL_SECONDS", "2")),
        },
    }
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return {**common, "huey_class": "huey.SqliteHuey", "filename": str(path)}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {**common, "huey_class": "huey.RedisHuey", "url": url}
    raise ImproperlyConfigured(f"JOB_QUEUE_URL must start with sqlite:/// or redis://, not {url!r}")


HUEY = job_queue(JOB_QUEUE_URL, immediate=env_bool("JOBS_IMMEDIATE"))

# Whether the worker builds the bulk downloads after each change (otherwise the first request does).
BULK_DOWNLOADS_PREBUILD = env_bool("BULK_DOWNLOADS_PREBUILD", default=True)

# Mail (alerts, their confirmations, notices to webhook owners): SMTP at EMAIL_HOST in production;
# with DEBUG and no EMAIL_HOST, printed by the worker instead of sent. Django 6.1 configures mail as
# MAILERS; the 5.2 LTS line (Python 3.11) as the EMAIL_* settings: the same variables set either.
_MAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
_SMTP = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS"),
    "timeout": 30,
}
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": _MAIL_BACKEND, "OPTIONS": _SMTP if _MAIL_BACKEND.endswith("smtp.EmailBackend") else {}}}
else:
    EMAIL_BACKEND = _MAIL_BACKEND
    EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, EMAIL_TIMEOUT = _SMTP["host"], _SMTP["port"], _SMTP["use_tls"], _SMTP["timeout"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _SMTP["username"], _SMTP["password"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Extraditions tracker <alerts@localhost>")
# The public address of the site, for links in mails, webhooks and feeds made outside a request.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Alerts and webhooks (alerts/): how many saved searches one address may have; how often a
# webhook delivery is tried, the first retry's delay in seconds (doubled each time), and after how
# many deliveries failing in a row a webhook is disabled. Webhooks may call private addresses
# (127.0.0.1, 10.x) only when allowed: a deployment keeps them away from its own network.
ALERTS_PER_ADDRESS = int(os.environ.get("ALERTS_PER_ADDRESS", "20"))
WEBHOOK_ATTEMPTS = int(os.environ.get("WEBHOOK_ATTEMPTS", "8"))
WEBHOOK_RETRY_SECONDS = float(os.environ.get("WEBHOOK_RETRY_SECONDS", "30"))
WEBHOOK_DISABLE_AFTER = int(os.environ.get("WEBHOOK_DISABLE_AFTER", "5"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production, hashed and compressed copies made by `collectstatic`, served by whitenoise;
    # in development the files as they are (no collectstatic needed).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Who publishes the tracker, how to reach them, and the licence of its data: on the about and data
# pages and in the bulk downloads (dataset/bulk.py). Set them for a deployment.
SITE_PUBLISHER = os.environ.get("SITE_PUBLISHER", "The Extraditions Tracker project")
SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "")
DATA_LICENCE = {
    "name": os.environ.get("DATA_LICENCE_NAME", "CC-BY-4.0"),
    "title": os.environ.get("DATA_LICENCE_TITLE", "Creative Commons Attribution 4.0 International"),
    "url": os.environ.get("DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}

# Attached documents are served by sources.views.SourceFileView, which asks the visibility policy:
# never serve MEDIA_ROOT directly from a proxy (docs/deployment.md).
MEDIA_URL = "/documents/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# The two Chinese requesting parties are not ISO countries of their own in this domain's sense,
# but Hong Kong and Taiwan must stay selectable as host countries and citizenships. They come
# first, once: a code listed twice is a duplicate value in the schema's enums, which client
# generators refuse, and a duplicate entry in the workspace's menus.
COUNTRIES_FIRST = ["CN", "HK"]
COUNTRIES_FIRST_REPEAT = False

SIMPLE_HISTORY_REVERT_DISABLED = False

REST_FRAMEWORK = {
    # Tokens (hashed, expiring, revocable: extraditions/tokens.py) first, so that a request without
    # credentials is told how to authenticate (401, WWW-Authenticate: Bearer).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "extraditions.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["extraditions.api.permissions.RecordPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["extraditions.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "extraditions.api.errors.problem_exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    # Figures are numbers in JSON (12.5), as the schema says, not strings ("12.5000").
    "COERCE_DECIMAL_TO_STRING": False,
    # Behind N reverse proxies, the client's address for rate limits is read from X-Forwarded-For.
    "NUM_PROXIES": int(os.environ["NUM_PROXIES"]) if os.environ.get("NUM_PROXIES") else None,
}

# Requests per client address for anonymous users of the API; empty turns the limit off.
API_ANONYMOUS_RATE = os.environ.get("API_ANONYMOUS_RATE", "120/minute")

SPECTACULAR_SETTINGS = {
    "TITLE": "Extraditions tracker API",
    "DESCRIPTION": (
        "Returns to the People's Republic of China: persons, cases, extradition requests, detentions, "
        "INTERPOL notices, court rulings, diplomatic assurances, treaties and the sources behind every fact. "
        "Read-only for the public; staff write with a token. See docs/api.md for examples."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The docs pages use their own copy of Swagger UI and ReDoc: nothing is loaded from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Scripts write JSON; the form encodings exist for the browsable API's forms only.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "extraditions.api.schema.blank_strings_any_of",
        "extraditions.api.schema.errors_and_anonymous_reads",
        "extraditions.api.schema.other_formats",
    ],
    # Each choice set under its own name: many fields are called "kind" or "status".
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "extraditions.api.schema.country_choices",
        "ChinesePartyEnum": "extraditions.choices.ChineseParty",
        "PublicationStatusEnum": "extraditions.models.PublicationStatus",
        "VisibilityEnum": "extraditions.models.Visibility",
        "DatePrecisionEnum": "extraditions.partial_dates.DatePrecision",
        "AssuranceComplianceEnum": "cases.models.assurances.AssuranceCompliance",
        "BreachKindEnum": "cases.models.assurances.BreachKind",
        "CaseKindEnum": "cases.models.cases.CaseKind",
        "ChargeCategoryEnum": "cases.models.cases.ChargeCategory",
        "CaseOutcomeEnum": "cases.models.cases.CaseOutcome",
        "AftermathEnum": "cases.models.cases.Aftermath",
        "ParticipantRoleEnum": "cases.models.cases.ParticipantRole",
        "CaseEventKindEnum": "cases.models.cases.CaseEventKind",
        "LegalBasisEnum": "cases.models.cases.LegalBasis",
        "RequestDecisionEnum": "cases.models.cases.RequestDecision",
        "NoticeKindEnum": "cases.models.interpol.NoticeKind",
        "NoticeStatusEnum": "cases.models.interpol.NoticeStatus",
        "CancellationReasonEnum": "cases.models.interpol.CancellationReason",
        "ScriptEnum": "cases.models.persons.Script",
        "AsylumStatusEnum": "cases.models.persons.AsylumStatus",
        "CurrentSituationEnum": "cases.models.persons.CurrentSituation",
        "AliasKindEnum": "cases.models.persons.AliasKind",
        "InstrumentEnum": "cases.models.rulings.Instrument",
        "CourtLevelEnum": "cases.models.rulings.CourtLevel",
        "RulingDecisionEnum": "cases.models.rulings.RulingDecision",
        "AssuranceAssessmentEnum": "cases.models.rulings.AssuranceAssessment",
        "TreatyKindEnum": "treaties.models.TreatyKind",
        "TreatyStepKindEnum": "treaties.models.TreatyStepKind",
        "TreatyStatusEnum": "treaties.status.TreatyStatus",
        "EvidenceBasisEnum": "treaties.status.EvidenceBasis",
        "StatusEvidenceEnum": "treaties.status.StatusEvidence",
        "SourceKindEnum": "sources.models.SourceKind",
        "LocatorKindEnum": "sources.models.LocatorKind",
        "FigureMetricEnum": "sources.models.FigureMetric",
        "FigureUnitEnum": "sources.models.FigureUnit",
        "FigureQualifierEnum": "sources.models.FigureQualifier",
    },
}

# --- Security (docs/security.md, docs/deployment.md) --------------------------------------------

# HTTPS=1 in production, behind a proxy that terminates TLS and sets X-Forwarded-Proto: plain HTTP
# is redirected, browsers are told to use HTTPS only (HSTS), cookies never travel in clear.
HTTPS = env_bool("HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes the app servers directly
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_REFERRER_POLICY = "same-origin"  # links out never tell where a reader came from
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script anywhere, no third-party origin: what an injected <script> or a record's text
# could run or load is nothing. (extraditions/middleware.py)
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Request bodies other than files (JSON, forms) up to 2.5 MB; a larger one is refused with a 413.
# Attached source documents up to SOURCE_FILE_MAX_MB (the proxy's limit must be a little higher).
SOURCE_FILE_MAX_MB = int(os.environ.get("SOURCE_FILE_MAX_MB", "25"))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_BYTES", str(2_621_440)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The job worker's own lines, once (run_huey adds a handler of its own to a logger without one).
    "loggers": {"huey": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False}},
}
