"""Settings for the extraditions tracker.

Everything that differs between a laptop and production comes from the environment:
DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS. With nothing set, the app runs on an SQLite
file in the project directory (the embedded default) and refuses to start without a secret key
unless DEBUG is on.
"""

import os
from pathlib import Path

import dj_database_url
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

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "extraditions.admin_config.StaffAdminConfig",  # the admin, with second factors (admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # full-text and trigram search on PostgreSQL; inert on SQLite
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "import_export",
    "extraditions",
    "sources",
    "treaties",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ETag on every answer and 304 Not Modified for conditional GETs (If-None-Match, If-Modified-Since).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the logged-in user on every history entry written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
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
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "120")) * 60
SESSION_SAVE_EVERY_REQUEST = True
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
            ],
        },
    },
]

WSGI_APPLICATION = "extraditions.wsgi.application"
ASGI_APPLICATION = "extraditions.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Figures computed over every record (/api/v1/stats/, the home page) are cached for the public
# until a record changes (extraditions/caching.py); this bounds how long another process's cache
# may lag when the cache is not shared.
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "300"))

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
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# The two Chinese requesting parties are not ISO countries of their own in this domain's sense,
# but Hong Kong and Taiwan must stay selectable as host countries and citizenships.
COUNTRIES_FIRST = ["CN", "HK"]
COUNTRIES_FIRST_REPEAT = True

SIMPLE_HISTORY_REVERT_DISABLED = False

REST_FRAMEWORK = {
    # Token first, so that a request without credentials is told how to authenticate (401).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["extraditions.api.permissions.RecordPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["extraditions.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "extraditions.api.errors.problem_exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
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
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "extraditions.api.schema.blank_strings_any_of",
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
        "SourceKindEnum": "sources.models.SourceKind",
        "LocatorKindEnum": "sources.models.LocatorKind",
        "FigureMetricEnum": "sources.models.FigureMetric",
        "FigureUnitEnum": "sources.models.FigureUnit",
        "FigureQualifierEnum": "sources.models.FigureQualifier",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
