"""Settings shared by every environment; every secret and URL comes from the environment."""

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    "accounts",
    "sales",
    "dossiers",
    "proposals",
    "analysis",
    "retention",
    "management",
    "integrations",
    "audit",
]

MIDDLEWARE = [
    # Values read once per request (the visibility token, the ids of a KAM's accounts).
    "common.request_memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The browser security headers (docs/operations.md, "Browser security headers").
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the user's own choice (UserLanguageMiddleware, below), else the language cookie,
    # else the browser's Accept-Language (survey pages that contacts open without logging in).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who, from where, with which API token: read when an audit entry is written (docs/audit.md).
    "audit.middleware.AuditContextMiddleware",
    "common.locale.UserLanguageMiddleware",
    "common.replica.ReadYourWritesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Users who must pass (or set up) the second factor reach no other page before they do.
    "accounts.two_factor_middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kam.urls"
WSGI_APPLICATION = "kam.wsgi.application"

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
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
# No DATABASE_URL → the embedded SQLite database; postgres://… for the real stack.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A read replica (DATABASE_REPLICA_URL) takes the dashboards, the exports and the API's lists; writes,
# transactions, migrations and everything else stay on the primary (docs/operations.md, "Read replica").
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # a test run has one database
KAM_READ_REPLICA = "replica" if "replica" in DATABASES else None
for _database in DATABASES.values():
    if _database["ENGINE"] != "django.db.backends.postgresql":
        continue
    # No JIT compilation: the planner's cost of a page's query with per-row subqueries passes the JIT
    # threshold, and compiling it took 40 of a list page's 50 ms; kam's statements are short, and the
    # long ones (the import, the nightly run) gained nothing from it either (bench/README.md). A
    # connection's own options replace libpq's PGOPTIONS: those are kept, and come first.
    _options = _database.setdefault("OPTIONS", {})
    _given = [env("PGOPTIONS", default=""), _options.get("options", "")]
    _options["options"] = " ".join(filter(None, [*_given, "-c jit=off"]))
DATABASE_ROUTERS = ["kam.db_router.ReplicaRouter"]
# After a write, the writer's reads stay on the primary this long: longer than the replica's lag.
KAM_REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=15)

REDIS_URL = env("REDIS_URL", default="")
if "replica" in DATABASES and not REDIS_URL:
    # Each web process would keep its own read-your-writes marks: a user's next page could miss their edit.
    raise ImproperlyConfigured("DATABASE_REPLICA_URL needs REDIS_URL: the shared cache for read-your-writes.")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Kept figures and visibility are facts about one database: two installations (or a
            # staging copy) sharing a Redis database must not read each other's.
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default=str(DATABASES["default"]["NAME"])),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock a username (from one address) out after 5 failed logins, for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Two-factor sign-in (docs/access.md): the roles that must use it ("admin" also covers superusers);
# every other user may turn it on. Codes from an authenticator app (TOTP) or a one-time backup code.
KAM_TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=["admin"])
# Usernames let in without the second factor even if their role requires it. Never read from the
# environment: only the dev settings list the published demo users, and prod.py refuses any.
KAM_TWO_FACTOR_EXEMPT_USERNAMES: tuple[str, ...] = ()
# How long the password step of a login waits for its code.
KAM_TWO_FACTOR_PENDING_SECONDS = 300
OTP_TOTP_ISSUER = env("TWO_FACTOR_ISSUER", default="kam")

# --- I18N / static -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# The languages kam speaks; the translations live in locale/ (docs/translations.md).
LANGUAGES = [
    ("en", "English"),
    ("ja", "日本語"),
    ("ru", "Русский"),
    ("fi", "Suomi"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own formats where Django's defaults don't suit (kam/formats/). Thousands are grouped by the
# money and number filters only: a global USE_THOUSAND_SEPARATOR would also group ids in URLs.
FORMAT_MODULE_PATH = ["kam.formats"]
LANGUAGE_COOKIE_NAME = "kam_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"  # uploads are not served: imports are read from disk by the import itself
# Uploaded ledgers and rejects files. The web and the worker processes must share this folder (the
# worker reads the file the page stored); a relative MEDIA_ROOT is taken from the project root, not
# from whichever folder a process was started in.
MEDIA_ROOT = BASE_DIR / env("MEDIA_ROOT", default="media")
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Browser security headers (docs/operations.md, "Browser security headers") -----------------
# No inline script or style anywhere: behaviour comes from static files (static/js/), fed by data
# attributes and json_script. CSP_REPORT_ONLY=true sends the same policy as report-only (the browser
# reports what it would block, and blocks nothing); CSP_REPORT_URI names where reports go.
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
}
if env("CSP_REPORT_URI", default=""):
    _CSP_DIRECTIVES["report-uri"] = [env("CSP_REPORT_URI")]
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# No page may use the camera, the microphone, the location, payments, USB and the like.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}
# Other sites learn kam's origin at most, never the address of an account or a proposal.
SECURE_REFERRER_POLICY = "same-origin"

# --- REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "common.api_input.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "common.api_input.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "common.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # Per API token (or user): a short burst, and a day's total; counted in the cache (Redis).
    "DEFAULT_THROTTLE_CLASSES": [
        "common.api_input.BurstRateThrottle",
        "common.api_input.SustainedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "burst": env("API_RATE_BURST", default="60/min") or None,
        "sustained": env("API_RATE_SUSTAINED", default="5000/day") or None,
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
REST_KNOX = {
    "TOKEN_TTL": None,  # expiry is chosen per token when it is issued
    "AUTO_REFRESH": False,
}
# The OpenAPI schema and its Swagger UI are for signed-in users; API_DOCS_PUBLIC=true opens them.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
SPECTACULAR_SETTINGS = {
    "TITLE": "kam API",
    "DESCRIPTION": "Key account management: accounts, decision-maker contacts and analytics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the one buying status, wherever it appears (accounts, segments).
    "ENUM_NAME_OVERRIDES": {
        "BuyingStatusEnum": "accounts.models.Account.Status",
        # A proposal's status (and the moves between them); a buying-centre role (arguments, PDF).
        "ProposalStatusEnum": "proposals.models.Proposal.Status",
        "DmuRoleEnum": "accounts.models.Contact.DmuRole",
        # Why a client refuses or leaves: refusals, losses and lost proposals share the list.
        "RefusalReasonEnum": "retention.models.Reason",
        # A complaint case's status (and the moves between them) and its severity.
        "ComplaintStatusEnum": "dossiers.models.ComplaintCase.Status",
        "ComplaintSeverityEnum": "dossiers.models.ComplaintCase.Severity",
        # Two lists named "outcome": a win-back target's and a referral's.
        "CampaignOutcomeEnum": "retention.models.CampaignTarget.Outcome",
        "ReferralOutcomeEnum": "dossiers.models.Referral.Outcome",
        # An import batch's status: in its own report and in a sync's.
        "ImportStatusEnum": "sales.models.ImportBatch.Status",
    },
}

# --- Celery ------------------------------------------------------------------------------------
# With no REDIS_URL the tasks run eagerly in-process, so the embedded demo needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died unacknowledged is handed out again once it has been out this many
# seconds; workers look for such tasks every interval x throttle seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
}
CELERY_TIMEZONE = TIME_ZONE
# One queue per kind of work, so that a 10M-line import or the nightly run never holds up a
# proposal's expiry or a notification: production starts a worker per queue (docs/operations.md,
# "Celery queues"); a worker started without -Q consumes them all (development, tests, the smoke run).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = tuple(Queue(name) for name in ("default", "imports", "analysis", "notifications"))
CELERY_TASK_CREATE_MISSING_QUEUES = False  # a route to an undeclared queue is an error, not a new queue
CELERY_TASK_ROUTES = {
    "sales.tasks.run_import": {"queue": "imports"},
    "analysis.tasks.execute_run": {"queue": "analysis"},
    "analysis.tasks.nightly": {"queue": "analysis"},
    # The nightly expiry is a few updates and a message to each author: short, latency-bound work.
    "proposals.tasks.expire_overdue": {"queue": "notifications"},
    # Hundreds of PDFs after a half-year closes: long batch work, beside the nightly analysis.
    "management.tasks.execute_consumption_run": {"queue": "analysis"},
    "management.tasks.semester_consumption_reports": {"queue": "analysis"},
    # Webhook posts wait on other people's servers (a short timeout each): kept off the imports and runs.
    "integrations.tasks.fan_out": {"queue": "notifications"},
    "integrations.tasks.deliver": {"queue": "notifications"},
    "integrations.tasks.sweep_deliveries": {"queue": "notifications"},
    # Digests: one e-mail a person, mail-server bound like the other messages.
    "management.tasks.send_daily_digests": {"queue": "notifications"},
    "management.tasks.send_weekly_digests": {"queue": "notifications"},
    # A few updates and the webhook events of the complaints that went past their SLA.
    "dossiers.tasks.announce_complaints_past_sla": {"queue": "notifications"},
    # One DELETE a night of the access-log entries past the retention period.
    "management.tasks.purge_personal_data_access_log": {"queue": "default"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # The segmentation of the last completed month (and, later, churn status) every night.
    "nightly-analysis": {"task": "analysis.tasks.nightly", "schedule": crontab(hour=2, minute=0)},
    # Open proposals past their validity date become expired; their authors are told.
    "nightly-proposal-expiry": {
        "task": "proposals.tasks.expire_overdue",
        "schedule": crontab(hour=2, minute=30),
    },
    # Webhook deliveries that are due and have no queued message (a retry hours away, a Redis restart).
    "webhook-delivery-sweep": {
        "task": "integrations.tasks.sweep_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    # Complaint cases past their due date (a date: they fall past it at midnight), each once.
    "nightly-complaints-past-sla": {
        "task": "dossiers.tasks.announce_complaints_past_sla",
        "schedule": crontab(hour=0, minute=15),
    },
    # The semester consumption report of every account once a half-year has closed (2 Jan, 2 Jul).
    "semester-consumption-reports": {
        "task": "management.tasks.semester_consumption_reports",
        "schedule": crontab(hour=4, minute=0, day_of_month=2, month_of_year="1,7"),
    },
    # E-mail digests: the KAMs' day every morning, the heads' week on Monday (sent once per day).
    "daily-kam-digest": {
        "task": "management.tasks.send_daily_digests",
        "schedule": crontab(hour=6, minute=30),
    },
    "weekly-head-digest": {
        "task": "management.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # The personal-data access log is kept for the management policy's retention period, no longer.
    "nightly-access-log-purge": {
        "task": "management.tasks.purge_personal_data_access_log",
        "schedule": crontab(hour=3, minute=15),
    },
}

# --- Audit trail (django-auditlog; docs/audit.md) ------------------------------------------
# Fixtures and raw loads are not writes anyone made.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
# A masked secret keeps nothing of its value (auditlog's default keeps half of it).
AUDITLOG_MASK_CALLABLE = "audit.masking.mask_secret"
# The client's address from X-Forwarded-For only behind a proxy that sets it; else REMOTE_ADDR.
KAM_AUDIT_TRUST_X_FORWARDED_FOR = env.bool("AUDIT_TRUST_X_FORWARDED_FOR", default=False)
KAM_AUDIT_PAGE_SIZE = 50

# --- Mail and logging --------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="kam@localhost")
# Churn notifications are e-mailed too once mail is configured (EMAIL_URL), or when asked explicitly.
KAM_NOTIFY_BY_EMAIL = env.bool("NOTIFY_BY_EMAIL", default="EMAIL_URL" in os.environ)
# Where links in e-mails point (the survey links and the notifications).
KAM_BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # fontTools logs every glyph subset of every PDF (proposals, consumption reports) at INFO.
    "loggers": {"django.db.backends": {"level": "INFO"}, "fontTools": {"level": "WARNING"}},
}

# SQLite cannot enforce the rollup key with NULL product lines; only the rollup recompute writes
# those rows, one per key, and PostgreSQL enforces the key.
SILENCED_SYSTEM_CHECKS = ["models.W047"]

# kam's own settings
KAM_PAGE_SIZE = 25
KAM_CURRENCY = env("CURRENCY", default="EUR")
# Our name as the client reads it, at the head of every proposal.
KAM_COMPANY_NAME = env("COMPANY_NAME", default="kam")

# --- Webhooks -------------------------------------------------------------------------------
# Targets on private, loopback or link-local addresses are refused unless this is set (tests, on-premises).
KAM_WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
# A subscription whose deliveries failed this many times in a row is paused and its owner told.
KAM_WEBHOOK_PAUSE_AFTER = env.int("WEBHOOK_PAUSE_AFTER", default=10)
KAM_WEBHOOK_TIMEOUT_SECONDS = 5
