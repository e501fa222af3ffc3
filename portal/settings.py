"""Settings for the portal: one module, driven by environment variables.

DEBUG is off unless ``DJANGO_DEBUG=true`` says otherwise (``make demo`` and the tests say
so); with DEBUG off the portal refuses to start without ``DJANGO_SECRET_KEY`` and
``DJANGO_ALLOWED_HOSTS``. Otherwise it runs on embedded defaults: SQLite, and Celery
tasks executed in-process. With ``DATABASE_URL`` and ``REDIS_URL`` set it uses
PostgreSQL, Redis and real workers. Outside DEBUG every secret must be supplied.
Every variable is listed in ``.env.example``.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Production unless told otherwise: a forgotten variable must not expose tracebacks. The
# test runner reads portal/settings_test.py, which says development (and tests/conftest.py
# says it to the workers and commands the tests start); `make demo` says it too.
DEBUG = env_bool("DJANGO_DEBUG", default=False)
PRODUCTION_HINT = " (DEBUG is off: DJANGO_DEBUG is not set to true)"

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-only-for-debug-mode")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set" + PRODUCTION_HINT + ".")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set" + PRODUCTION_HINT + ".")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "portal.admin_apps.PortalAdminConfig",  # django.contrib.admin, the portal's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "portal",
    "compliance",
    "inspections",
    "subsidies",
    "programs",
]

MIDDLEWARE = [
    # First: every response (redirects and errors included) carries the request id.
    "portal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.security.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session middleware, so that it sees the session cookie being set.
    "portal.security.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.security.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

COMPLIANCE_DOMAINS = ("registry", "rulebook", "enforcement", "energy")
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's shared templates, then each compliance domain's (one app label,
        # four packages: compliance/<domain>/templates/compliance/…; names unchanged).
        "DIRS": [
            BASE_DIR / "templates",
            *(BASE_DIR / "compliance" / domain / "templates" for domain in COMPLIANCE_DOMAINS),
        ],
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

# Database: SQLite by default, anything dj-database-url understands otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (portal/security/lockout.py; pages, admin and the token endpoint alike).
# Failures count for LOCKOUT_WINDOW per account (any address), per address and per known
# browser; past the limit each attempt waits LOCKOUT_BASE_DELAY, doubled with every further
# failure, at most LOCKOUT_COOL_OFF.
LOCKOUT_FAILURE_LIMIT = env_int("LOCKOUT_FAILURE_LIMIT", 5)
LOCKOUT_ADDRESS_FAILURE_LIMIT = env_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 30)
LOCKOUT_BASE_DELAY = timedelta(seconds=env_int("LOCKOUT_BASE_DELAY_SECONDS", 30))
LOCKOUT_COOL_OFF = timedelta(minutes=env_int("LOCKOUT_COOL_OFF_MINUTES", 15))
LOCKOUT_WINDOW = timedelta(hours=env_int("LOCKOUT_WINDOW_HOURS", 24))
# The signed cookie naming a browser where a user signed in (a "known device").
LOCKOUT_DEVICE_COOKIE_NAME = "portal_device"
LOCKOUT_DEVICE_COOKIE_AGE = timedelta(days=env_int("LOCKOUT_DEVICE_COOKIE_DAYS", 365))

# Sessions end after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE after
# sign-in whatever the activity (portal/security/middleware.py).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30))
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 12) * 3600

# Internationalisation: Traditional Chinese first, English second.
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# The PDFs' Traditional Chinese font subsets, written by `manage.py build_pdf_fonts`
# (portal/pdf/fonts.py); without them the PDFs use the system's Noto Sans CJK TC.
PDF_FONT_DIR = Path(env_str("DJANGO_PDF_FONT_DIR", str(BASE_DIR / "var" / "fonts")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CSV_IMPORT_MAX_BYTES = env_int("CSV_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
INSPECTION_PHOTO_MAX_BYTES = env_int("INSPECTION_PHOTO_MAX_BYTES", 8 * 1024 * 1024)
# Rectification evidence files (photos, PDFs) a business uploads, each at most this size.
EVIDENCE_FILE_MAX_BYTES = env_int("EVIDENCE_FILE_MAX_BYTES", 10 * 1024 * 1024)

# Enforcement: days a business has to appeal a penalty decision (Administrative Appeal
# Act, Art. 14: 30 days), and how many days before a deadline it is reminded.
ENFORCEMENT_APPEAL_DAYS = env_int("ENFORCEMENT_APPEAL_DAYS", 30)
ENFORCEMENT_REMINDER_DAYS = [
    int(days) for days in env_list("ENFORCEMENT_REMINDER_DAYS", ["7", "1"])
]
# Violations the deadline sweep claims per transaction (each chunk commits whole or not at
# all). Larger chunks were not faster when measured; smaller ones keep locks and what a
# killed worker rolls back short.
ENFORCEMENT_SWEEP_CHUNK = env_int("ENFORCEMENT_SWEEP_CHUNK", 2_000)
# Database connections the sweep claims chunks with at once (they share the rows through
# row locks): each keeps one core busy, so about the database server's cores.
ENFORCEMENT_SWEEP_WORKERS = env_int("ENFORCEMENT_SWEEP_WORKERS", 2)
# Premises assessed per transaction, and the processes that assess chunks at once when a
# whole city (or a long list) is assessed outside a transaction on PostgreSQL: the
# engine is Python, so a second process uses a second core (portal/forked.py). About
# the cores of the host running the worker; 1 assesses in the calling process.
ASSESSMENT_CHUNK = env_int("ASSESSMENT_CHUNK", 2_000)
ASSESSMENT_PROCESSES = env_int("ASSESSMENT_PROCESSES", 2)

# E-mail: the console by default, SMTP when configured.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "energy-portal@localhost")
# The portal's public address, for links in e-mails and documents.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://localhost:8000").rstrip("/")
# PAdES signing of every issued PDF (portal/pdf/signing.py): the PEM key and certificate;
# documents are issued unsigned while either is empty. SELF_SIGNED says the certificate is
# a demonstration one (`manage.py make_demo_certificate`), which the verification page states.
DOCUMENT_SIGNING_KEY = env_str("DOCUMENT_SIGNING_KEY", "")
DOCUMENT_SIGNING_CERT = env_str("DOCUMENT_SIGNING_CERT", "")
DOCUMENT_SIGNING_SELF_SIGNED = env_bool("DOCUMENT_SIGNING_SELF_SIGNED", False)

# Security. Production (DEBUG off) is HTTPS only; `manage.py check --deploy` passes clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "portal.views.errors.csrf_failure"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer and docker-compose probe the health endpoints over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# The policy of every HTML response: no inline scripts, no external origins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# Celery: with no broker configured, tasks run in-process (eagerly).
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# The worker logs through LOGGING below (JSON lines with the request id), not its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Queues, each served by workers of its own (docker-compose.yml): the nightly deadline
# work on "deadlines", so it never waits behind the follow-ups of a bulk approval; those
# are PDF rendering on "reports" (slow: one document a run) and the other outbox
# deliveries (e-mails) on the default "celery" queue.
CELERY_TASK_ROUTES = {
    "compliance.tasks.nightly_refresh": {"queue": "deadlines"},
    "compliance.tasks.deadline_sweep": {"queue": "deadlines"},
    "inspections.tasks.schedule_due_reinspections": {"queue": "deadlines"},
    "portal.tasks.deliver_outbox": {"queue": "celery"},
    "inspections.tasks.render_report_task": {"queue": "reports"},
    "portal.tasks.deliver_renders": {"queue": "reports"},
}
# Beat reads the schedule from the database (django-celery-beat), where administrators see
# and change it (the admin's "Periodic tasks"); the entries below are written there when
# they have no row yet (portal/beat.py, at beat's start and by `manage.py
# sync_beat_schedule`), so an administrator's changes survive a restart.
CELERY_BEAT_SCHEDULER = "portal.beat:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Just after midnight in Taipei: a rule-book version taking effect today, a new month's
    # logs falling due, or an exemption ending changes compliance status.
    "compliance-nightly-refresh": {
        "task": "compliance.tasks.nightly_refresh",
        "schedule": crontab(hour=0, minute=5),
        "options": {"queue": "deadlines"},
    },
    # Missed rectification deadlines: fines, new deadlines, notices, reminders (Arts. 15-18).
    "compliance-deadline-sweep": {
        "task": "compliance.tasks.deadline_sweep",
        "schedule": crontab(hour=0, minute=10),
        "options": {"queue": "deadlines"},
    },
    # Follow-ups written with fines and notices (e-mails, PDFs) whose delivery job was
    # lost, or that wait for a retry: every minute, per queue.
    "portal-deliver-outbox": {
        "task": "portal.tasks.deliver_outbox",
        "schedule": 60.0,
        "args": ["celery"],
        "options": {"queue": "celery"},
    },
    "portal-deliver-outbox-reports": {
        "task": "portal.tasks.deliver_renders",
        "schedule": 60.0,
        "args": ["reports"],
        "options": {"queue": "reports"},
    },
    # The audit chain: entries written since the last run sealed in order (every minute),
    # the whole chain verified nightly (its outcome shown in the admin's audit log).
    "portal-seal-audit-chain": {
        "task": "portal.seal_audit_chain",
        "schedule": 60.0,
        "options": {"queue": "celery"},
    },
    "portal-verify-audit-chain": {
        "task": "portal.verify_audit_chain",
        "schedule": crontab(hour=3, minute=30),
        "options": {"queue": "celery"},
    },
    # A rectification deadline arriving today: plan its re-inspection (Art. 10-4).
    "inspections-due-reinspections": {
        "task": "inspections.tasks.schedule_due_reinspections",
        "schedule": crontab(hour=0, minute=20),
        "options": {"queue": "deadlines"},
    },
}

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "portal.api.filters.KnownQueryParameters",
        "portal.api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Requests per client address (portal/security/throttles.py); past a rate: 429, Retry-After.
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("THROTTLE_TOKEN_RATE", "30/minute"),
        "sign_in": env_str("THROTTLE_SIGN_IN_RATE", "60/minute"),
        "password_reset": env_str("THROTTLE_PASSWORD_RESET_RATE", "20/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Energy-conservation compliance portal API",
    "DESCRIPTION": (
        "Registry of regulated businesses, premises, equipment and monthly logs under the "
        "Taipei industry and commerce energy-conservation ordinance."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several components get one name of their own.
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "inspections.choices.ReportStatus",
        "ComplianceOutcomeEnum": "compliance.choices.ComplianceOutcome",
        "ViolationStatusEnum": "compliance.choices.ViolationStatus",
        "ArticleEnum": "compliance.choices.Article",
        "ViolationArticleEnum": "compliance.choices.ViolationArticle",
        "DataOrderStatusEnum": "compliance.energy.models.suppliers.DataOrderStatus",
        "EquipmentKindEnum": "compliance.choices.EquipmentKind",
    },
}

# Health (/health/ready, portal/health.py): a worker must answer on each queue within the
# timeout, beat must have sent its every-minute entry within HEALTH_BEAT_MAX_SECONDS, and no
# follow-up may wait in the outbox longer than HEALTH_OUTBOX_MAX_AGE_SECONDS.
HEALTH_QUEUES = env_list("HEALTH_QUEUES", ["celery", "reports", "deadlines"])
HEALTH_TIMEOUT_SECONDS = float(env_int("HEALTH_TIMEOUT_MS", 1500)) / 1000
HEALTH_BEAT_ENTRY = "portal-deliver-outbox"
HEALTH_BEAT_MAX_SECONDS = env_int("HEALTH_BEAT_MAX_SECONDS", 180)
HEALTH_OUTBOX_MAX_AGE_SECONDS = env_int("HEALTH_OUTBOX_MAX_AGE_SECONDS", 900)

# Metrics (Prometheus text format at /metrics): off unless METRICS_ENABLED; then served
# only with METRICS_TOKEN as a bearer token or to an address in METRICS_ALLOWED_IPS.
METRICS_ENABLED = env_bool("METRICS_ENABLED", False)
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])

# Error reports to Sentry: off unless SENTRY_DSN is set (no personal data is sent).
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from portal.observability import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", ""),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Logs: one JSON object a line (with the request id) unless DJANGO_LOG_FORMAT=text; text
# by default in development.
LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "portal.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO; its warnings still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

PORTAL_NAME = _("Energy-Conservation Compliance Portal")
