"""Composer settings: one module, driven by environment variables with working defaults.

A fresh clone runs with no configuration: SQLite (WAL), an in-process Celery worker on the
in-memory transport and the in-memory channel layer. Setting DATABASE_URL and REDIS_URL turns
the same code into the scale-out deployment.
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from composer.capacity import available_cpus, derive_capacity

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting. Unset or empty keeps the default; a value that is neither yes nor no stops the start,
    naming the variable and the accepted values (a typo must never quietly pick development mode)."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not a yes/no value: use one of "
                               f"{', '.join(TRUE_WORDS)} for yes or {', '.join(FALSE_WORDS)} for no")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={os.environ[name]!r} is not a whole number") from None


def default_web_processes(*, redis: bool) -> int:
    """`make serve`: one process per core (at most 4: each holds a pool of database connections) when Redis is
    there to share the queue and the live updates between them; one without."""
    return min(available_cpus(), 4) if redis else 1


def env_count(name: str) -> int | None:
    """A whole number of 1 or more from the environment, or None when it is not set."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name}: must be a whole number of 1 or more (got {value!r})")
    return int(value)


DEBUG = env_bool("DEBUG", True)
PRODUCTION = env_bool("COMPOSER_PRODUCTION", False)
if PRODUCTION:
    DEBUG = False

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-for-any-real-deployment-0123456789"
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when COMPOSER_PRODUCTION is on")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif PRODUCTION:
    # Django's own rule for a key worth the name: at least 50 characters, at least 5 of them different.
    if (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == DEVELOPMENT_SECRET_KEY
            or SECRET_KEY.startswith("django-insecure-")):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for COMPOSER_PRODUCTION: use at least 50 random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'")

ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost" if PRODUCTION else
                                        "127.0.0.1,localhost,testserver").split(",") if h.strip()]
if PRODUCTION and "testserver" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must not list 'testserver' when COMPOSER_PRODUCTION is on")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

# Where uploaded assets, renders and the SQLite database live.
DATA_DIR = Path(env("COMPOSER_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Generated caches (voice samples, scene previews) live under this name; tests point it at a temporary folder.
COMPOSER_DATA_DIR = DATA_DIR
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The renderer's fonts at static/composer/editor/fonts/ (one copy in the tree, no links).
    "composer.studio.static_fonts.RenderFontsFinder",
]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Without collectstatic (development, tests) WhiteNoise serves straight from the source folders.
WHITENOISE_USE_FINDERS = True
# `make run` serves static files through WhiteNoise too (runserver --nostatic), picking up edits as they happen.
WHITENOISE_AUTOREFRESH = DEBUG

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "composer.teams",
    "composer.assets",
    "composer.scripts",
    "composer.jobs",
    "composer.api",
    "composer.studio",
    "composer.realtime",
    "composer.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "composer.api.middleware.RequestIdMiddleware",
    "composer.api.middleware.CredentialUseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "composer.studio.errors.StudioErrorPagesMiddleware",
    "composer.lib.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "composer.urls"
ASGI_APPLICATION = "composer.asgi.application"
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

DATABASE_URL = env("DATABASE_URL")
# PostgreSQL connections come from a pool in each process (web server process or render worker): at most
# COMPOSER_DB_POOL_MAX_SIZE each, so processes x max stays well below the server's max_connections (README).
# A request that waits longer than COMPOSER_DB_POOL_TIMEOUT_SECONDS for a connection is answered 503.
COMPOSER_DB_POOL_MIN_SIZE = env_int("COMPOSER_DB_POOL_MIN_SIZE", 2)
COMPOSER_DB_POOL_MAX_SIZE = env_int("COMPOSER_DB_POOL_MAX_SIZE", 10)
COMPOSER_DB_POOL_TIMEOUT_SECONDS = env_int("COMPOSER_DB_POOL_TIMEOUT_SECONDS", 5)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No health check on every checkout (a round trip per request): a connection that broke (a database
        # restart) fails its request with a 503 and the pool replaces it.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(COMPOSER_DB_POOL_MIN_SIZE, COMPOSER_DB_POOL_MAX_SIZE),
            "max_size": COMPOSER_DB_POOL_MAX_SIZE,
            "timeout": COMPOSER_DB_POOL_TIMEOUT_SECONDS,
            # Connections beyond min_size that sat unused this long are closed.
            "max_idle": 300,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "composer.sqlite3",
            # WAL lets the page requests read while the render worker writes progress.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not shared memory, so that test threads (live server, embedded worker) can write too.
            # Per process, so that two test runs on one machine never share a file.
            "TEST": {"NAME": str(DATA_DIR / f"test-composer-{os.getpid()}.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Bodies larger than this are refused with 413 before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("COMPOSER_MAX_BODY_BYTES", 2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
APPEND_SLASH = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "composer.api.auth.SdkHmacAuthentication",
        "composer.api.auth.AuthTokenAuthentication",
        "composer.api.auth.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["composer.api.throttling.PrincipalRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["composer.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "composer.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Composer video-production API",
    "DESCRIPTION": "Wire-compatible with Huawei Cloud MetaStudio's video-production API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several components have a field called `state`; each choice set gets a name of its own.
    "ENUM_NAME_OVERRIDES": {"ShareLinkStateEnum": ["ACTIVE", "EXPIRED", "REVOKED"],
                            "JobStateEnum": "composer.jobs.models.JobState.values",
                            "ApprovalStateEnum": "composer.scripts.models.ApprovalState.values",
                            "ScriptApprovalStateEnum": "composer.api.bodies.APPROVAL_SUMMARY_STATES",
                            "InvitationStateEnum": "composer.teams.models.InvitationState.values",
                            "KindEnum": ["local", "metastudio"], "OffKitFontKindEnum": ["asset", "name"]},
}

# Live updates, jobs and the cache: embedded by default, Redis when REDIS_URL is set.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # A websocket's receive loop blocks in Redis for 5 s at a time; redis-py's default read timeout is also
            # 5 s, so the read could time out first and close the socket. Reads get 15 s.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15, "socket_connect_timeout": 5}]},
        }
    }
    # Shared by every web process and worker, so that invalidating an entry (a revoked key) reaches them all.
    CACHES = {"default": {"BACKEND": "composer.lib.redis_pool.SharedRedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "composer",
                          "OPTIONS": {"pool_class": "composer.lib.redis_pool.SharedConnectionPool",
                                      "socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "composer.realtime.layers.ThreadSafeInMemoryChannelLayer"}}
    # One web process: its memory. Room for the seen AK/SK signatures of a busy window (Django culls a third of
    # the entries past MAX_ENTRIES, which would forget signatures still valid).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "composer",
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}
# How long an API credential (token or access key) is served from the cache; revoking one drops it at once.
COMPOSER_CREDENTIAL_CACHE_SECONDS = env_int("COMPOSER_CREDENTIAL_CACHE_SECONDS", 30)
# The production server (`make serve`): web processes behind one port; more than one needs REDIS_URL.
COMPOSER_WEB_PROCESSES = env_int("COMPOSER_WEB_PROCESSES", default_web_processes(redis=bool(REDIS_URL)))
# A client told 503 (database or Redis unavailable) is asked to retry after this many seconds.
COMPOSER_RETRY_AFTER_SECONDS = env_int("COMPOSER_RETRY_AFTER_SECONDS", 5)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_REDIRECT_STDOUTS = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = env("COMPOSER_QUEUE", "composer")
# The embedded worker runs inside the web process; scale-out runs `celery worker` processes.
COMPOSER_EMBEDDED_WORKER = env_bool("COMPOSER_EMBEDDED_WORKER", not REDIS_URL)
# How much of the machine a worker takes (composer/capacity.py): by default the cores are shared evenly
# between the worker processes on this machine, one render per core with a one-thread encoder each.
# COMPOSER_WORKER_CONCURRENCY is the older name of COMPOSER_RENDER_THREADS.
COMPOSER_WORKERS_PER_HOST = env_count("COMPOSER_WORKERS_PER_HOST") or 1
_capacity = derive_capacity(available_cpus(), COMPOSER_WORKERS_PER_HOST,
                            render_threads=env_count("COMPOSER_RENDER_THREADS") or env_count("COMPOSER_WORKER_CONCURRENCY"),
                            encoder_threads=env_count("COMPOSER_ENCODER_THREADS"))
COMPOSER_RENDER_THREADS = _capacity.render_threads      # renders a worker runs at once (Celery's concurrency)
COMPOSER_ENCODER_THREADS = _capacity.encoder_threads    # libx264 / libvpx threads of each render
CELERY_WORKER_CONCURRENCY = COMPOSER_RENDER_THREADS
# Render workers (the embedded worker's threads, `celery worker` processes) run at this nice value, below the web
# server's requests (composer/celery.py); 0 leaves them at the server's priority.
COMPOSER_RENDER_NICE = env_int("COMPOSER_RENDER_NICE", 10)
if not 0 <= COMPOSER_RENDER_NICE <= 19:
    raise ImproperlyConfigured(f"COMPOSER_RENDER_NICE: must be a whole number from 0 (off) to 19 "
                               f"(got {COMPOSER_RENDER_NICE})")
# `celery worker` processes also run in Linux's idle scheduling class: only when the web server, the database and
# everything else on the machine leave a core free (composer/capacity.py idle_class). Off: renders compete at their
# nice value. The embedded worker never does (the studio's own browser may keep its machine's cores busy).
COMPOSER_RENDER_IDLE = env_bool("COMPOSER_RENDER_IDLE", True)
# Serving processes (web and workers) import the engine and decode every presenter's rig in the background at
# start-up (composer/jobs/warmup.py); decoded rigs are kept per process up to this many MB.
COMPOSER_WARMUP = env_bool("COMPOSER_WARMUP", True)
COMPOSER_RIG_CACHE_MB = env_int("COMPOSER_RIG_CACHE_MB", 256)
# Longest render: a job still rendering this long after it started fails saying so; the Redis visibility
# timeout must exceed it.
COMPOSER_MAX_RENDER_SECONDS = env_int("COMPOSER_MAX_RENDER_SECONDS", 3 * 3600)
# How long a scene and a whole video may last (speech with its pauses, audio, video layers): refused at submit,
# and a render that grows past them stops (composer/scripts/length.py, composer/jobs/limits.py).
COMPOSER_MAX_SCENE_SECONDS = env_int("COMPOSER_MAX_SCENE_SECONDS", 3600)
COMPOSER_MAX_VIDEO_SECONDS = env_int("COMPOSER_MAX_VIDEO_SECONDS", 3600)
COMPOSER_JOB_MAX_ATTEMPTS = env_int("COMPOSER_JOB_MAX_ATTEMPTS", 2)
COMPOSER_HEARTBEAT_SECONDS = env_int("COMPOSER_HEARTBEAT_SECONDS", 5)
# How many jobs of one batch are queued or rendering at once (composer/jobs/batches.py): another project's video
# waits behind at most this many of a batch's jobs.
COMPOSER_BATCH_PARALLEL = max(1, env_int("COMPOSER_BATCH_PARALLEL", 2))
COMPOSER_STALE_AFTER_SECONDS = env_int("COMPOSER_STALE_AFTER_SECONDS", 60)
# Redis re-delivers an unacknowledged message after this long; it must exceed the longest render.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": COMPOSER_MAX_RENDER_SECONDS + 600}
COMPOSER_CALLBACK_BACKOFF_SECONDS = env_int("COMPOSER_CALLBACK_BACKOFF_SECONDS", 5)
# Rendered scenes kept for re-renders of scripts whose other scenes changed (composer/jobs/scene_cache.py).
COMPOSER_SCENE_CACHE_MB = env_int("COMPOSER_SCENE_CACHE_MB", 2048)
# Absolute base of the signed download links in API bodies, e.g. https://composer.example.com
COMPOSER_PUBLIC_URL = env("COMPOSER_PUBLIC_URL")

# The guarded fetcher: user-supplied URLs may reach only public addresses unless allowed here.
COMPOSER_FETCH_ALLOW_PRIVATE = env_bool("COMPOSER_FETCH_ALLOW_PRIVATE", False)
COMPOSER_FETCH_MAX_BYTES = env_int("COMPOSER_FETCH_MAX_BYTES", 200 * 1024 * 1024)
COMPOSER_FETCH_TIMEOUT_SECONDS = env_int("COMPOSER_FETCH_TIMEOUT_SECONDS", 30)

# Rate limits (429 with Retry-After): API requests per principal (access key, token or signed-in user) or, for the
# few anonymous API calls, per address; failed sign-ins per username and address within the window.
COMPOSER_API_RATE_PER_MINUTE = env_int("COMPOSER_API_RATE_PER_MINUTE", 3000)
COMPOSER_SIGNIN_MAX_FAILURES = env_int("COMPOSER_SIGNIN_MAX_FAILURES", 10)
COMPOSER_SIGNIN_WINDOW_SECONDS = env_int("COMPOSER_SIGNIN_WINDOW_SECONDS", 15 * 60)

# Teams: an owner who names an existing user invites them, and they join by accepting. On, a username is added to
# the project at once (one organisation where everyone may be put in any project, the behaviour before invitations).
COMPOSER_DIRECT_MEMBER_ADDS = env_bool("COMPOSER_DIRECT_MEMBER_ADDS", False)

# The browser tests' window onto the editor: its page hands its state to them as window.composerEditor. Off
# everywhere else; production refuses it.
COMPOSER_TEST_HOOKS = env_bool("COMPOSER_TEST_HOOKS", False)
if PRODUCTION and COMPOSER_TEST_HOOKS:
    raise ImproperlyConfigured("COMPOSER_TEST_HOOKS is for the browser tests and must be off in production")

# AK/SK signatures older or newer than this are refused.
COMPOSER_SIGNATURE_MAX_SKEW_SECONDS = env_int("COMPOSER_SIGNATURE_MAX_SKEW_SECONDS", 15 * 60)

# Secrets kept at rest (a project's MetaStudio SK): Fernet keys, comma-separated; the first encrypts, all decrypt
# (rotation: put a new key first, re-save or run `manage.py rotate_secrets`, then drop the old one). Unset in
# development: one key derived from SECRET_KEY; unset in production: saving a MetaStudio target is refused.
COMPOSER_SECRETS_KEYS = [k.strip() for k in env("COMPOSER_SECRETS_KEYS").split(",") if k.strip()]

# Rendering on Huawei Cloud MetaStudio: endpoints must be https on public addresses unless this allows http and
# loopback/private ones (tests and local stand-ins). Calls time out, retry 429/5xx with backoff, and each project
# sends at most RATE requests a second (bursts of BURST).
COMPOSER_REMOTE_ALLOW_PRIVATE = env_bool("COMPOSER_REMOTE_ALLOW_PRIVATE", False)
COMPOSER_REMOTE_TIMEOUT_SECONDS = env_int("COMPOSER_REMOTE_TIMEOUT_SECONDS", 30)
COMPOSER_REMOTE_MAX_RETRIES = env_int("COMPOSER_REMOTE_MAX_RETRIES", 3)
COMPOSER_REMOTE_RATE_PER_SECOND = env_int("COMPOSER_REMOTE_RATE_PER_SECOND", 5)
COMPOSER_REMOTE_BURST = env_int("COMPOSER_REMOTE_BURST", 10)
# A job on MetaStudio is looked at this long after it was sent, then at doubling waits up to a minute.
COMPOSER_REMOTE_POLL_SECONDS = env_int("COMPOSER_REMOTE_POLL_SECONDS", 5)
# A job on MetaStudio still unfinished this long after it was sent fails (and is canceled there).
COMPOSER_REMOTE_MAX_SECONDS = env_int("COMPOSER_REMOTE_MAX_SECONDS", COMPOSER_MAX_RENDER_SECONDS)
# A create whose answer was lost: the account's jobs are searched for ours this many times, this far apart.
COMPOSER_REMOTE_FIND_ATTEMPTS = env_int("COMPOSER_REMOTE_FIND_ATTEMPTS", 3)
COMPOSER_REMOTE_FIND_WAIT_SECONDS = env_int("COMPOSER_REMOTE_FIND_WAIT_SECONDS", 5)
# Hosts a MetaStudio account's finished videos may also be downloaded from (comma-separated; ".example.com" for any
# host under it), besides the endpoint's own host and Huawei Cloud's storage for its regions.
COMPOSER_REMOTE_DOWNLOAD_HOSTS = os.environ.get("COMPOSER_REMOTE_DOWNLOAD_HOSTS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Our own level, kept when the embedded Celery worker lowers the root logger to its WARNING. httpx logs every
    # request's full URL at INFO: signed links (MetaStudio's, our fetcher's) must not reach the log.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "composer": {"level": env("LOG_LEVEL", "INFO")},
                "httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Only a proxy we run may say the request came over HTTPS; otherwise any client could claim it.
    if env_bool("COMPOSER_TRUSTED_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
