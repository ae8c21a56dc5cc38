"""Baton settings, read from the environment.

No REDIS_URL → embedded mode (SQLite in var/, in-memory channel layer, tasks on
an in-process thread pool). REDIS_URL set → distributed mode (PostgreSQL from
DATABASE_URL, channels_redis, Celery workers).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from coordinator.env import (
    ConfigError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    proxy_ssl_header,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BATON_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# litellm must never reach for the network at import (docs/architecture.md).
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

DEBUG = env_bool("BATON_DEBUG", False)


def _secret_key() -> str:
    key = env_str("BATON_SECRET_KEY")
    if key:
        return key
    # Generated once per installation and kept in var/, never committed.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("BATON_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list(
    "BATON_CSRF_TRUSTED_ORIGINS", ["http://127.0.0.1:8000", "http://localhost:8000"]
)

REDIS_URL = env_str("REDIS_URL")
DISTRIBUTED = bool(REDIS_URL)
if DISTRIBUTED and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ConfigError(f"REDIS_URL must be a redis:// URL, got {REDIS_URL!r}")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our own static files
    "channels",
    "django_celery_beat",
    "axes",
    "canvas",
    "coordinator",
    "triggers",
    "demo",  # the demo agents and seed_demo; imports the product, never imported by it
]

MIDDLEWARE = [
    # body size, query strings, and the django-axes lockout answer, in one middleware
    "coordinator.middleware.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "coordinator.urls"
ASGI_APPLICATION = "coordinator.asgi.application"
WSGI_APPLICATION = None

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

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # BATON_DB_POOL: connections a process pools (0: one persistent connection per thread,
    # what Celery's long-lived worker threads want). coordinator/asgi.py turns it on for daphne.
    DATABASES = {"default": database_from_url(DATABASE_URL, env_int("BATON_DB_POOL", 0, minimum=0))}
elif DISTRIBUTED:
    raise ConfigError("distributed mode (REDIS_URL set) needs DATABASE_URL=postgres://…")
else:
    DATABASES = {
        "default": {
            "ENGINE": "coordinator.sqlite",  # SQLite, writers queued in-process (sqlite/base.py)
            "CONN_MAX_AGE": None,  # one connection per thread, kept: reconnecting costs per step
            "NAME": env_str("BATON_SQLITE_PATH", str(VAR_DIR / "baton.sqlite3")),
            # A file, not shared-cache memory: engine threads need real locking and WAL.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login, API token and admin login: locked out after BATON_LOGIN_FAILURE_LIMIT failures, per
# user name and per address, for BATON_LOGIN_COOLOFF_MINUTES (django-axes, counts in the
# database so every process shares them).
AUTHENTICATION_BACKENDS = [
    "coordinator.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("BATON_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BATON_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coordinator.lockout.locked_out"
# The address counted is REMOTE_ADDR: behind a proxy, daphne --proxy-headers sets it from
# X-Forwarded-For (docs/deployment.md).
AXES_VERBOSE = False
# RequestGuardMiddleware does AxesMiddleware's one job (the lockout answer) itself.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# BATON_FRONTEND_DIST serves another build of the frontend as /static/dist/ (first match wins),
# e.g. to compare two builds on one server (bench/editor_perf.py --dist).
_frontend_dist = env_str("BATON_FRONTEND_DIST")
STATICFILES_DIRS = [*([("dist", _frontend_dist)] if _frontend_dist else []), BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("BATON_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Behind TLS (docs/deployment.md, "Production settings"): cookies only over HTTPS, HSTS,
# plain HTTP redirected, and the proxy's header trusted to say a request came over HTTPS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("BATON_SECURE_COOKIES", False)
SECURE_SSL_REDIRECT = env_bool("BATON_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("BATON_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BATON_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("BATON_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env_str("BATON_PROXY_SSL_HEADER"))

# Request bodies over this many bytes are refused with 413 (default 2 MB).
BATON_MAX_BODY_BYTES = env_int("BATON_MAX_BODY_BYTES", 2 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = BATON_MAX_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The largest `limit` a list endpoint accepts; more is a 400.
BATON_MAX_PAGE_SIZE = env_int("BATON_MAX_PAGE_SIZE", 200, minimum=1)

# Requests per user on the expensive endpoints (429 with Retry-After beyond); "" turns one off.
BATON_THROTTLE_RATES = {
    "runs": env_str("BATON_THROTTLE_RUNS", "60/min") or None,
    "imports": env_str("BATON_THROTTLE_IMPORTS", "30/min") or None,
    "preview": env_str("BATON_THROTTLE_PREVIEW", "120/min") or None,
    # the editor previews an expression as it is typed (debounced)
    "expressions": env_str("BATON_THROTTLE_EXPRESSIONS", "600/min") or None,
    # each Models-page test is a real (tiny, billed) provider call
    "model_test": env_str("BATON_THROTTLE_MODEL_TEST", "20/min") or None,
}

# Seconds the Models page's "Test" waits for a provider's answer.
BATON_MODEL_TEST_TIMEOUT = env_int("BATON_MODEL_TEST_TIMEOUT", 30, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "coordinator.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A JSON parser that answers absurdly deep nesting with 400, not a RecursionError 500.
    "DEFAULT_PARSER_CLASSES": [
        "canvas.api.parsers.JSONParser",
        "canvas.api.parsers.FormParser",
        "canvas.api.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "coordinator.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "coordinator.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["coordinator.api.throttles.ExpensiveEndpointThrottle"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Baton API",
    "DESCRIPTION": "Design and run multi-agent workflows: canvases, agents, runs, approvals.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ loads Swagger UI from Baton's own static files, never from a CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The API description is for signed-in users, like everything else under /api/.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # every operation documents the errors it can answer, in the one Error shape
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "coordinator.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RunStatusEnum": "coordinator.models.RunStatus",
        "StepStatusEnum": "coordinator.models.StepStatus",
        "ApprovalKindEnum": "coordinator.models.Approval.KIND_CHOICES",
        "ApprovalStatusEnum": "coordinator.models.Approval.STATUS_CHOICES",
        "TriggerKindEnum": "triggers.models.TriggerKind",
    },
}

# Channels: in-memory in embedded mode, Redis when distributed.
if DISTRIBUTED:
    CHANNEL_LAYERS = {
        "default": {
            # Pub/Sub: one publish per event, fanned out in memory by each daphne process.
            # Delivery is at-most-once; consumers detect gaps and replay from the database.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# The cache holds throttle counts: shared through Redis when there are several processes.
if DISTRIBUTED:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery (distributed mode). Embedded mode runs the same task functions in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("BATON_VISIBILITY_TIMEOUT", 3600)}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

# Threads a server process runs requests on (coordinator/http_handler.py); more requests wait.
# More than the database pool (BATON_DB_POOL), so that requests waiting on a model provider
# (a connection test, plan generation) do not hold up the rest; an idle thread costs nothing.
BATON_HTTP_THREADS = env_int("BATON_HTTP_THREADS", 32, minimum=1)
BATON_EMBEDDED_WORKERS = env_int("BATON_EMBEDDED_WORKERS", 8, minimum=1)
# Steps a Celery worker may run on its own threads when it claims them (0 turns this off).
BATON_WORKER_LOCAL_SLOTS = env_int("BATON_WORKER_LOCAL_SLOTS", 8, minimum=0)

# Python agents: only callables named here can ever run (docs/architecture.md).
BATON_PYTHON_AGENTS = env_list(
    "BATON_PYTHON_AGENTS",
    [
        "demo.agents.search_docs",
        "demo.agents.workspace_statistics",
        "demo.agents.summarize_text",
        "demo.agents.keyword_trends",
        "demo.agents.extract_document",
        "demo.agents.publish_summary",
    ],
)
# Engine limits and timings.
BATON_STEP_LEASE_SECONDS = env_int("BATON_STEP_LEASE_SECONDS", 30, minimum=1)
BATON_SWEEPER = env_bool("BATON_SWEEPER", True)
BATON_SWEEP_SECONDS = env_int("BATON_SWEEP_SECONDS", 5, minimum=1)
# Run sockets: how often the server checks for events a client missed and says its last seq.
BATON_WS_HEARTBEAT_SECONDS = env_int("BATON_WS_HEARTBEAT_SECONDS", 5, minimum=1)
# Graceful shutdown: how long a worker lets running steps finish before handing them over.
BATON_SHUTDOWN_GRACE_SECONDS = env_int("BATON_SHUTDOWN_GRACE_SECONDS", 30, minimum=0)
# How long engine work retries through a database outage before leaving it to the sweeper.
BATON_DB_RETRY_SECONDS = env_int("BATON_DB_RETRY_SECONDS", 60, minimum=1)
# PostgreSQL: how long recording an agent's result (with the claim of what follows) may wait
# for a lock before the result is saved to the outbox first (engine/runner.py).
BATON_RECORD_LOCK_WAIT_MS = env_int("BATON_RECORD_LOCK_WAIT_MS", 25, minimum=1)
# Python agents run in processes of their own (killed on timeout); this many idle ones are kept.
BATON_PYTHON_AGENT_IDLE_PROCESSES = env_int("BATON_PYTHON_AGENT_IDLE_PROCESSES", 8, minimum=0)
BATON_SCHEDULER = env_bool("BATON_SCHEDULER", True)  # embedded mode's schedule thread
BATON_SCHEDULE_TICK_SECONDS = env_int("BATON_SCHEDULE_TICK_SECONDS", 15, minimum=1)
BATON_TRIGGER_CHAIN_LIMIT = env_int("BATON_TRIGGER_CHAIN_LIMIT", 5, minimum=0)
BATON_WEBHOOK_MAX_BYTES = env_int("BATON_WEBHOOK_MAX_BYTES", 256 * 1024, minimum=1024)
BATON_WEBHOOK_ROTATION_SECONDS = env_int("BATON_WEBHOOK_ROTATION_SECONDS", 86_400, minimum=0)
BATON_RETRY_BACKOFF_SECONDS = float(env_str("BATON_RETRY_BACKOFF_SECONDS", "1.0"))
BATON_MAX_NESTING = env_int("BATON_MAX_NESTING", 3, minimum=1)
BATON_RUN_MAX_SECONDS = env_int("BATON_RUN_MAX_SECONDS", 1800, minimum=1)
BATON_MAX_SAME_DISPATCHES = env_int("BATON_MAX_SAME_DISPATCHES", 3, minimum=1)
# Host names or CIDR networks that outbound requests (http agents, connections' api_base)
# may reach although they are not public addresses. BATON_HTTP_AGENT_ALLOWLIST is its
# older name, still read.
BATON_EGRESS_ALLOWLIST = env_list("BATON_EGRESS_ALLOWLIST", env_list("BATON_HTTP_AGENT_ALLOWLIST"))
# Encrypts secrets staff store in the database (any long random string; the same on every
# process). Without it only environment-variable secrets work.
BATON_SECRETS_KEY = env_str("BATON_SECRETS_KEY")
BATON_DOCS_DIR = Path(env_str("BATON_DOCS_DIR", str(BASE_DIR / "docs")))
BATON_DEFAULT_MODEL = env_str("BATON_DEFAULT_MODEL", "baton/local")

# The inbox: how long a claim holds an item; the address links in e-mails point to.
BATON_CLAIM_MINUTES = env_int("BATON_CLAIM_MINUTES", 30, minimum=1)
BATON_BASE_URL = env_str("BATON_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail notifications: SMTP when BATON_EMAIL_HOST is set, else printed to the console.
BATON_EMAIL_HOST = env_str("BATON_EMAIL_HOST")
if BATON_EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = BATON_EMAIL_HOST
    EMAIL_PORT = env_int("BATON_EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("BATON_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("BATON_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("BATON_EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("BATON_EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("BATON_EMAIL_FROM", "baton@localhost")

# Sizes of what the engine stores and streams, in characters of JSON; a longer value is kept
# as a truncation marker with its beginning (coordinator/bounded.py).
BATON_MAX_OUTPUT_CHARS = env_int("BATON_MAX_OUTPUT_CHARS", 1_000_000, minimum=1000)
BATON_MAX_EVENT_CHARS = env_int("BATON_MAX_EVENT_CHARS", 64_000, minimum=1000)
BATON_LIST_RESULT_CHARS = env_int("BATON_LIST_RESULT_CHARS", 2000, minimum=200)

# YAML import limits.
BATON_YAML_MAX_BYTES = env_int("BATON_YAML_MAX_BYTES", 512 * 1024, minimum=1024)
BATON_YAML_MAX_DEPTH = env_int("BATON_YAML_MAX_DEPTH", 32, minimum=4)
BATON_YAML_MAX_NODES = env_int("BATON_YAML_MAX_NODES", 50_000, minimum=100)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BATON_LOG_LEVEL", "WARNING")},
}
