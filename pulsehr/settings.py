"""PulseHR settings, read from the environment only.

Every variable has an embedded default, so `make run` works on a laptop with no servers:
no DATABASE_URL → SQLite under the data directory; no REDIS_URL → a local cache, a
filesystem Celery broker and a file-backed rate-limit store shared by processes.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp_constants

from pulsehr import secretkey
from pulsehr.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("PULSEHR_DATA_DIR", default=str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# SECRET_KEY, else the key `make run` keeps in <DATA_DIR>/secret_key; no built-in fallback. With
# DEBUG off, a missing, known or short key stops every entry point (pulsehr/secretkey.py).
SECRET_KEY = secretkey.read(env.str("SECRET_KEY", default=""), DATA_DIR)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])

INSTALLED_APPS = [
    "dashboard.apps.AdminConfig",  # Django's admin, its navigation grouped by what HR does
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",  # CSV export of every admin list, CSV import of employees
    "channels",
    "csp",  # the Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
    "axes",  # admin sign-in throttling (AXES_* below)
    "pulsehr.api",
    "pulsehr.tenancy",
    "webhooks",
    "employees",
    "statuslog",
    "kudos",
    "workload",
    "leave",
    "collab",
    "dashboard",  # pages that combine features: the admin home page, the employee profile card
    "developers",
    "scores",  # the Employee Score, over kudos, the status log, workload and leave
]

MIDDLEWARE = [
    "pulsehr.api.middleware.RequestIdMiddleware",
    # /healthz and /readyz, answered before host validation and the HTTPS redirect (pulsehr/health.py).
    "pulsehr.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sessions, CSRF, the user and messages are for browsers: /v1 requests skip them (they
    # authenticate by key), everything else gets Django's own classes (pulsehr/api/middleware.py).
    "pulsehr.api.middleware.BrowserOnlySessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "pulsehr.api.middleware.BrowserOnlyCsrfViewMiddleware",
    "pulsehr.api.middleware.BrowserOnlyAuthenticationMiddleware",
    "pulsehr.api.middleware.BrowserOnlyMessageMiddleware",
    # After authentication: a staff user's pages in their workspace's time zone.
    "pulsehr.tenancy.middleware.WorkspaceTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pulsehr.contentpolicy.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 page.
    "axes.middleware.AxesMiddleware",
]
# Django's check finds CSRF middleware by its path only; pulsehr.W003/W016 check the subclass above.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

ROOT_URLCONF = "pulsehr.urls"
WSGI_APPLICATION = "pulsehr.wsgi.application"
# Everything from one ASGI process (`make run`); production serves HTTP with pulsehr.wsgi and
# the WebSocket with pulsehr.asgi.realtime_application (see pulsehr/asgi.py).
ASGI_APPLICATION = "pulsehr.asgi.application"
APPEND_SLASH = False

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

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'pulsehr.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one process writes; the timeout queues writers instead of failing them.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too: an in-memory database locks whole tables and cannot show how
    # concurrent writers behave.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-pulsehr.sqlite3")}
else:
    # Persistent connections: each thread that serves requests or tasks keeps one connection and
    # reuses it, so a process holds at most one per thread: gunicorn's WEB_CONCURRENCY ×
    # GUNICORN_THREADS, the realtime service's ASGI_THREADS, the worker's --concurrency, one for
    # beat (docs/operations.md, "Database connections"). Measured against Django's psycopg pool
    # (OPTIONS["pool"], which needs CONN_MAX_AGE = 0) under gthread workers, these served more
    # requests a second with the same bound, since a thread's connection never changes hands.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("PULSEHR_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pulsehr"}}

# How a room change reaches sockets held by other processes. With Redis, the pub/sub layer:
# one PUBLISH per change, and each ASGI process fans it out to its own sockets in the room.
# Without Redis, an in-memory layer that reaches only the sockets of the process that made
# the change: real-time needs the single-process embedded mode (`make run`) or REDIS_URL.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Pages allowed to open the collab socket besides ALLOWED_HOSTS: the integrators' sites that
# embed the widget (`https://app.example.com`, or `.example.com` for a domain and subdomains).
PULSEHR_REALTIME_ALLOWED_ORIGINS = env.list("PULSEHR_REALTIME_ALLOWED_ORIGINS", default=[])

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Django's formats, but every date and time names its time zone (see pulsehr/formats/en).
FORMAT_MODULE_PATH = ["pulsehr.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# WhiteNoise serves what `collectstatic` gathered in STATIC_ROOT (the image does it at build
# time, compressed), whatever DEBUG is; it looks in the app directories too, so `make run`
# needs no collectstatic.
WHITENOISE_USE_FINDERS = True

# One line per record on stdout: JSON objects (PULSEHR_LOG_FORMAT=json, the image's default) for a
# log pipeline, or plain text (the default here, so `make run` stays readable). Both carry the
# request id of the request being served (pulsehr/logs.py).
LOGGING = logging_config(
    log_format=env.str("PULSEHR_LOG_FORMAT", default="text"), level=env.str("LOG_LEVEL", default="INFO")
)

# --- HTTPS (production) -------------------------------------------------------------------

# Production serves over HTTPS behind a proxy that terminates TLS and sets X-Forwarded-Proto;
# PULSEHR_HTTPS=true then redirects plain http, marks cookies secure and sends HSTS. Off by
# default, so `make run` and `docker compose up` work on plain http://localhost.
PULSEHR_HTTPS = env.bool("PULSEHR_HTTPS", default=False)
SECURE_SSL_REDIRECT = PULSEHR_HTTPS
# Trust the proxy's X-Forwarded-Proto only when one is in front (PULSEHR_HTTPS): a client
# talking to gunicorn directly could otherwise claim https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PULSEHR_HTTPS else None
# Probes come over plain http from inside the network (and are answered before this applies).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = PULSEHR_HTTPS
CSRF_COOKIE_SECURE = PULSEHR_HTTPS
SECURE_HSTS_SECONDS = env.int("PULSEHR_HSTS_SECONDS", default=31_536_000 if PULSEHR_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("PULSEHR_HSTS_INCLUDE_SUBDOMAINS", default=PULSEHR_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("PULSEHR_HSTS_PRELOAD", default=PULSEHR_HTTPS)
# Origins (scheme://host[:port]) trusted for unsafe requests from other hosts, e.g. a proxy on another port.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Page security: Content-Security-Policy, admin sign-in throttling ------------------------

# Every page may load scripts, styles, images and fonts from this origin only: no inline script
# or style (templates use static files; an inline block would need the request's nonce,
# `request.csp_nonce`), no plugins, no framing, forms post back here only. connect-src also gets
# the page's own ws(s)://host for the collaboration socket (pulsehr/contentpolicy.py). data:
# images are the SVG icons Django's admin and Swagger UI draw from their stylesheets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF, csp_constants.NONCE],
        "style-src": [csp_constants.SELF, csp_constants.NONCE],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    },
}

# django-axes: after PULSEHR_LOGIN_FAILURE_LIMIT failed sign-ins for one username from one client
# address, that pair is refused (429, pulsehr/tenancy/signin.py) for
# PULSEHR_LOGIN_COOLOFF_MINUTES; a successful sign-in clears the count. Attempts are rows in the
# database, so every web process sees them; `manage.py axes_reset` lifts every lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, so a locked-out pair never reaches the password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("PULSEHR_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("PULSEHR_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "pulsehr.api.clientaddr.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pulsehr.tenancy.signin.locked_out"
# Only failed attempts are kept: a row per successful sign-in would be personal data (address,
# browser) kept for no purpose PulseHR has.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner: every process (and every management command's output) would print it.
AXES_VERBOSE = False
# No admin pages for the attempts: they would be the one admin outside PulseHR's shared, workspace-
# scoped admin base. `manage.py axes_list_attempts` lists them.
AXES_ENABLE_ADMIN = False

# --- The /v1 API -------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["pulsehr.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["pulsehr.api.permissions.HasResourceScope"],
    "DEFAULT_RENDERER_CLASSES": ["pulsehr.api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["pulsehr.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "pulsehr.api.negotiation.AlwaysJSON",
    "DEFAULT_PAGINATION_CLASS": "pulsehr.api.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["pulsehr.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "pulsehr.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "pulsehr.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "PulseHR API",
    "DESCRIPTION": (
        "The PulseHR REST API. Authenticate with `Authorization: Bearer pk_live_…` or `pk_test_…`. "
        "Every list is cursor-paginated, every error uses one envelope, every POST accepts an "
        "`Idempotency-Key`, and mutable resources use `version`/`ETag` with `If-Match`."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "CONTACT": {"name": "PulseHR developer support", "url": "https://pulsehr.it/developers"},
    "LICENSE": {"name": "Proprietary", "url": "https://pulsehr.it/terms"},
    # Every operation carries one of these tags; the reference groups operations by them.
    "TAGS": [
        {"name": "Employees", "description": "The people of a workspace: hire, update and offboard them."},
        {"name": "Status log", "description": "Async standups: each person's entry for a day, a few lines long."},
        {"name": "Kudos", "description": "Recognition between colleagues, in coins within a monthly allowance."},
        {"name": "Workload", "description": "Weekly self-reported workload check-ins."},
        {"name": "Leave", "description": "Time off: log, cancel and list leave, and read balances per kind."},
        {
            "name": "Webhooks",
            "description": "Endpoints that receive events, the events themselves and their deliveries. "
            "The `webhooks` section lists every event type and its payload.",
        },
        {
            "name": "Employee Score",
            "description": "An explained signal of how people are doing: four factors (recognition, participation, "
            "workload balance, time off) and their weighted mean, per person and by group. Private by design: "
            "small groups are suppressed, and the workspace decides who sees individual scores.",
        },
        {
            "name": "Collaboration",
            "description": "Rooms, threads, comments, reactions and presence, for collaboration widgets. "
            "Reached with an API key, or from a browser with a room token minted by your backend.",
        },
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links: Swagger UI puts each operation's link inside its toggle button, a control in a
    # control that screen readers cannot reach (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One named component per set of choices, so a client generator makes one LeaveKind, not four.
    "ENUM_NAME_OVERRIDES": {
        "EmployeeStatus": "employees.choices.EmployeeStatus",
        "LeaveKind": "leave.choices.LeaveKind",
        "LeaveStatus": "leave.choices.LeaveStatus",
        "WorkloadLevel": "workload.choices.WorkloadLevel",
        "DeliveryStatus": "webhooks.choices.DeliveryStatus",
        "LinkedObjectType": ["employee", "status_log", "leave"],
        "EventType": "webhooks.catalogue.EVENT_TYPE_NAMES",
        "ScoreBand": "scores.constants.BAND_NAMES",
        "ScoreFactorKey": "scores.constants.FACTOR_KEYS",
        "ScoreGroupBy": "scores.constants.GROUP_DIMENSIONS",
        "LedgerEntryKind": "leave.choices.LedgerEntryKind",
        "LeaveUnit": "leave.choices.LeaveUnit",
        "AccrualMethod": "leave.choices.AccrualMethod",
        "CarryOverPolicy": "leave.choices.CarryOver",
        "DeciderType": ["user", "api_key"],
        "DayOffType": ["public_holiday", "company_day_off"],
        "OutStatus": ["approved", "pending"],
    },
    "SERVERS": [{"url": "/", "description": "This PulseHR server"}],
    # Named enums first; then the shared envelope, headers and errors; then the webhooks section
    # (from the event catalogue); examples last, so every response they add has one.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pulsehr.api.schema.postprocess",
        "scores.openapi.add_components",
        "webhooks.openapi.add_webhooks",
        "pulsehr.api.examples.add_examples",
    ],
    "DISABLE_ERRORS_AND_WARNINGS": True,
}

# The largest request body /v1 reads, in bytes: a bigger one is refused with 413 payload_too_large
# before it is parsed (pulsehr/api/bodies.py). The admin's forms get the same limit.
PULSEHR_MAX_BODY_BYTES = env.int("PULSEHR_MAX_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = PULSEHR_MAX_BODY_BYTES

# Requests per API key per minute; 0 turns rate limiting off (the self-host choice).
PULSEHR_RATE_LIMIT = env.int("PULSEHR_RATE_LIMIT", default=1000)
# Unauthenticated /v1 answers (401s and the catch-all 404) per client address per minute, beyond
# which they are 429 rate_limited; 0 turns this off. The address is pulsehr/api/clientaddr.py's.
PULSEHR_UNAUTHENTICATED_RATE_LIMIT = env.int("PULSEHR_UNAUTHENTICATED_RATE_LIMIT", default=300)
# The reverse proxies in front of the web processes (compose's Caddy: 1). X-Forwarded-For names the
# client only when this is 1 or more; with 0, the default, the socket's peer is the client.
PULSEHR_TRUSTED_PROXIES = env.int("PULSEHR_TRUSTED_PROXIES", default=0)
# /readyz answers from a per-process cache for this many seconds: probes cannot make it plan
# migrations and open broker connections on every call (pulsehr/health.py).
PULSEHR_READYZ_CACHE_SECONDS = env.float("PULSEHR_READYZ_CACHE_SECONDS", default=5.0)
# Without Redis, rate-limit counters live in this SQLite file, shared by every process on the host.
PULSEHR_RATE_LIMIT_FILE = DATA_DIR / "ratelimit.sqlite3"
# Without Redis, who is in which collab room lives in this SQLite file (collab/presence.py).
PULSEHR_PRESENCE_FILE = DATA_DIR / "presence.sqlite3"
# Lists count exactly up to this many rows; above it the count is cached for PULSEHR_COUNT_CACHE_SECONDS.
PULSEHR_EXACT_COUNT_LIMIT = env.int("PULSEHR_EXACT_COUNT_LIMIT", default=10_000)
PULSEHR_COUNT_CACHE_SECONDS = env.int("PULSEHR_COUNT_CACHE_SECONDS", default=30)
# Idempotency keys are remembered this long; an unfinished request older than the lease is abandoned.
PULSEHR_IDEMPOTENCY_TTL_SECONDS = 24 * 3600
PULSEHR_IDEMPOTENCY_LEASE_SECONDS = 60
# last_used_at is written at most this often per key, so reads stay free of writes.
PULSEHR_KEY_LAST_USED_RESOLUTION_SECONDS = 60

# --- Celery ------------------------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    _broker_dir = DATA_DIR / "broker"
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "processed").mkdir(parents=True, exist_ok=True)
    (_broker_dir / "control").mkdir(parents=True, exist_ok=True)
    # The host is a placeholder the transport ignores; without one kombu warns on every connection.
    CELERY_BROKER_URL = "filesystem://localhost/"
    # kombu's filesystem transport, with messages that appear in the queue whole (pulsehr/broker.py).
    CELERY_BROKER_TRANSPORT = "pulsehr.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "purge-idempotency-records": {"task": "pulsehr.api.tasks.purge_idempotency_records", "schedule": 3600.0},
    # Hourly, so every workspace's Monday is caught soon after it begins in its own time zone;
    # a run that finds its week's snapshots taken writes nothing (scores/tasks.py).
    "take-weekly-score-snapshots": {
        "task": "scores.tasks.take_weekly_snapshots",
        "schedule": 3600.0,
        "options": {"expires": 3000.0},
    },
}
# Publishing a task must never hold up a request for long when the broker is down: the
# delivery rows are already committed, and the sweep sends them once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery would otherwise close the database connection around every task; the tasks call
# close_old_connections() instead, which honours CONN_MAX_AGE and drops broken connections.
CELERY_DB_REUSE_MAX = 10_000
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# Leave's scheduled ledger entries (leave/tasks.py): hourly, so each workspace's new day, in its
# own time zone, is caught within the hour; runs are idempotent.
CELERY_BEAT_SCHEDULE["run-leave-ledger"] = {"task": "leave.tasks.run_leave_ledger", "schedule": 3600.0}

# --- Webhooks ----------------------------------------------------------------------------


def _retry_schedule(raw: str) -> tuple[float, ...]:
    steps = tuple(float(step) for step in raw.split(",") if step.strip())
    if not steps or any(step <= 0 for step in steps):
        raise ValueError("PULSEHR_WEBHOOK_RETRY_SCHEDULE must be positive seconds, comma-separated.")
    return steps


# Seconds to wait after each failed attempt (±10% jitter). Retries stop when the schedule runs
# out or PULSEHR_WEBHOOK_RETRY_WINDOW_SECONDS after the event, whichever comes first; the
# default runs the full 72 hours (its last wait is cut short to land on the 72-hour mark).
PULSEHR_WEBHOOK_RETRY_SCHEDULE = _retry_schedule(
    env.str(
        "PULSEHR_WEBHOOK_RETRY_SCHEDULE",
        default="60,300,900,1800,3600,7200,14400,28800,43200,43200,43200,43200,43200,43200",
    )
)
PULSEHR_WEBHOOK_RETRY_WINDOW_SECONDS = env.int("PULSEHR_WEBHOOK_RETRY_WINDOW_SECONDS", default=72 * 3600)
# An attempt succeeds on a 2xx within this many seconds (connect, send and response headers).
PULSEHR_WEBHOOK_TIMEOUT_SECONDS = env.float("PULSEHR_WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# Plain-http endpoint URLs; on by default only in DEBUG.
PULSEHR_WEBHOOK_ALLOW_HTTP = env.bool("PULSEHR_WEBHOOK_ALLOW_HTTP", default=DEBUG)
# Sends to loopback, private, link-local and metadata addresses; off unless set.
PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS = env.bool("PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS", default=False)
# How often beat sweeps for due and stuck deliveries.
PULSEHR_WEBHOOK_SWEEP_SECONDS = env.float("PULSEHR_WEBHOOK_SWEEP_SECONDS", default=5.0)
# A worker's claim on a delivery lasts the timeout plus this margin; a delivery still claimed
# after that counts as stuck (its worker died mid-send) and the sweep hands it out again.
PULSEHR_WEBHOOK_LEASE_MARGIN_SECONDS = env.float("PULSEHR_WEBHOOK_LEASE_MARGIN_SECONDS", default=20.0)
# An endpoint whose every attempt has failed for this long is disabled.
PULSEHR_WEBHOOK_DISABLE_AFTER_SECONDS = env.int("PULSEHR_WEBHOOK_DISABLE_AFTER_SECONDS", default=5 * 24 * 3600)
# After a rotation the previous secret keeps signing (beside the new one) this long.
PULSEHR_WEBHOOK_SECRET_OVERLAP_SECONDS = 24 * 3600

CELERY_BEAT_SCHEDULE["sweep-webhook-deliveries"] = {
    "task": "webhooks.tasks.sweep_deliveries",
    "schedule": PULSEHR_WEBHOOK_SWEEP_SECONDS,
    # A sweep that could not run in time is superseded by the next one.
    "options": {"expires": max(PULSEHR_WEBHOOK_SWEEP_SECONDS * 2, 2.0)},
}
