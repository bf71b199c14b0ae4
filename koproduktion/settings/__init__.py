"""Django settings, read from the environment.

Development needs no configuration at all: SQLite in the project folder, e-mail on the console.
With ``DJANGO_ENV=production`` the production guard refuses insecure defaults, and the security
settings below make ``manage.py check --deploy`` silent.
"""

from __future__ import annotations

from pathlib import Path

from . import caches
from .database import database_settings, replica_settings, seconds_setting
from .env import email_settings, env_bool, env_list, env_str, rate_limits_from_environment
from .production import DEVELOPMENT_SECRET_KEY, OPERATOR_PLACEHOLDER, check_production_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "koproduktion"

ENVIRONMENT = env_str("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Earlier keys, comma-separated, after a rotation: sessions, links, sealed two-factor secrets and
# ballot pools made under them still open (docs/deploy.md, "Rotating SECRET_KEY").
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "koproduktion.core.admin_site.PlatformAdminConfig",  # django.contrib.admin, platform admins only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",  # the task queue in the database, used when TASKS_BACKEND names it
    "ninja",  # serves the API docs from our own static files, not from a CDN
    "koproduktion.accounts",
    "koproduktion.core",
    "koproduktion.projects",
    "koproduktion.ideas",
    "koproduktion.dialogue",
    "koproduktion.moderation",
    "koproduktion.notifications",
    "koproduktion.decisions",
    "koproduktion.opinions",
    "koproduktion.implementation",
    "koproduktion.sponsorships",
    "koproduktion.routing",
    "koproduktion.workspace",
    "koproduktion.council",
    "koproduktion.charter",
    "koproduktion.townadmin",
    "koproduktion.events",
    "koproduktion.workshop",
    "koproduktion.accessibility",
    "koproduktion.initiatives",
    "koproduktion.actors",
    "koproduktion.support",
    "koproduktion.practice",
    "koproduktion.evaluation",
    "koproduktion.search",  # above the apps it searches
    # Above the domain apps (it reads their records): the PIMEV funnel.
    "koproduktion.activity",
    "koproduktion.opendata",
    "koproduktion.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise (static files come compressed from collectstatic), above everything that
    # reads the body: compresses what the app renders (core/compression.py, docs/deploy.md).
    "koproduktion.core.compression.TextCompressionMiddleware",
    "koproduktion.core.middleware.StripBidiControlsMiddleware",
    "koproduktion.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "koproduktion.core.middleware.LanguageMiddleware",
    "koproduktion.api.middleware.ApiErrorsAsJsonMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "koproduktion.accounts.middleware.PrivacyConsentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "koproduktion.accounts.middleware.TwoFactorRequiredMiddleware",
    "koproduktion.core.middleware.RejectNulCharactersMiddleware",
    "koproduktion.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "koproduktion.urls"
WSGI_APPLICATION = "koproduktion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # An operator's own templates (the privacy notice, the imprint) come first when set.
        "DIRS": [
            *(
                [Path(env_str("TEMPLATE_OVERRIDES_DIR"))]
                if env_str("TEMPLATE_OVERRIDES_DIR")
                else []
            ),
            PACKAGE_DIR / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The header's links of a logged-in person: core/layout.py (person_nav).
            ],
        },
    },
]

# SQLite gets a write lock taken at BEGIN, a busy timeout and WAL (settings/database.py).
DATABASE_CONN_MAX_AGE = int(env_str("DATABASE_CONN_MAX_AGE", "60" if PRODUCTION else "0"))
# PostgreSQL prepares what a connection runs often; false behind a transaction-mode pooler.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
DATABASES = {
    "default": database_settings(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=DATABASE_CONN_MAX_AGE,
        prepared_statements=DATABASE_PREPARED_STATEMENTS,
    )
}
# PostgreSQL standbys, comma-separated. Requests read from one of them, except what must be
# current: a person's reads within DATABASE_PRIMARY_AFTER_WRITE_SECONDS of their last write, reads
# inside a transaction, sessions, counters, the task queue (core/db_router.py). Unset: every query
# goes to the primary.
DATABASES.update(
    replica_settings(
        env_list("DATABASE_REPLICA_URL", []),
        primary=DATABASES["default"],
        conn_max_age=DATABASE_CONN_MAX_AGE,
        prepared_statements=DATABASE_PREPARED_STATEMENTS,
    )
)
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_PRIMARY_AFTER_WRITE_SECONDS = seconds_setting(
    "DATABASE_PRIMARY_AFTER_WRITE_SECONDS", env_str("DATABASE_PRIMARY_AFTER_WRITE_SECONDS", "10")
)
DATABASE_ROUTERS = ["koproduktion.core.db_router.ReplicaRouter"] if DATABASE_REPLICAS else []
if DATABASE_REPLICAS:
    # Outermost, so that it decides for the whole request: sessions, the page cache, the view.
    MIDDLEWARE.insert(0, "koproduktion.core.db_router.ReplicaReadsMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# The visitors' page cache and, apart from it, the rate limits' counters (settings/caches.py).
# REDIS_KEY_PREFIX keeps installations that share one Redis apart; all app processes and workers
# of one installation must use the same.
CACHES = caches.cache_settings(REDIS_URL, key_prefix=env_str("REDIS_KEY_PREFIX"))
# Django's sessions in the database, read with one hand-written query (accounts/sessions); with
# Redis, the shared cache in front of them.
SESSION_ENGINE = "koproduktion.accounts.sessions"
if REDIS_URL:
    SESSION_ENGINE = "koproduktion.accounts.sessions.cached"

# Rate limits per action: (per account, per client address), e.g. "5/10m"; None for no limit.
# Counted in a cache of their own that all processes share: Redis with REDIS_URL, else the
# database (koproduktion/core/ratelimit.py, settings/caches.py).
RATE_LIMIT_CACHE = caches.RATE_LIMIT_CACHE
# Addresses get more room than accounts: a workshop or a town hall shares one address.
RATE_LIMITS = {
    "idea": ("5/10m", "20/10m"),
    "comment": ("20/10m", "60/10m"),
    "report": ("10/h", "30/h"),
    "vote": ("120/m", "600/m"),
    "signup": ("20/h", "60/h"),
    # Initiatives started, and messages to initiators (offers, requests to join): each tells
    # people by notification, so a flood would reach them.
    "initiative": ("3/h", "10/h"),
    "offer": ("10/h", "30/h"),
    "data_export": ("3/h", "10/h"),
    # Failed log-ins lock: past the limit, the account (the address typed, whether or not it has
    # an account) or the client address is locked for the period.
    "login": ("5/15m", "30/15m"),
    "two_factor": ("5/15m", "30/15m"),
    "api_token": (None, "30/15m"),
    "verification_code": ("10/h", "30/h"),
    # Requests that send mail: per client address, and per mailbox over all of them ("mailbox").
    "register": (None, "10/h"),
    "password_reset": (None, "10/h"),
    "confirmation_resend": (None, "10/h"),
    "mailbox": ("8/d", None),
    # A town's admins: invitations sent (each also counts for the mailbox) and roles granted by
    # address (each tells whether the address has an account).
    "invitation": ("20/h", "60/h"),
    "role_grant": ("30/h", "60/h"),
    # Reports of barriers, each mailed to the town.
    "barrier_report": ("5/h", "10/h"),
    # Ideas like a draft, looked up as it is typed (at most one a half-second while typing).
    "similar_ideas": ("60/m", "120/m"),
    # Searches: each ranks a whole town's texts, many times the work of a page.
    "search": ("60/m", "120/m"),
}
# Any of them set by the operator: RATE_LIMIT_<ACTION>="per account,per address", "-" for none;
# e.g. RATE_LIMIT_SEARCH="60/m,600/m" where the terminals of a town hall share one address.
RATE_LIMITS.update(rate_limits_from_environment(RATE_LIMITS))
# Secret ballots wait, sealed, in a pool per poll and are counted in batches of at least this many
# (a random choice of the waiting ones), and all at the close: live results never change by fewer
# ballots, so reading them before and after one person's vote does not show that vote.
BALLOT_BATCH_SIZE = int(env_str("BALLOT_BATCH_SIZE", "10"))
# How many proxies in front of the app append to X-Forwarded-For; 0 ignores the header.
TRUSTED_PROXY_COUNT = int(env_str("TRUSTED_PROXY_COUNT", "0"))

# Background work: in-process by default; a worker backend is a setting away.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    }
}
# With the in-process backend, the opinion map's computations and imports run in a thread of
# the process, never in the request ("held": only when opinions.background.run_held() is
# called, as the tests do). See opinions/background.py.
OPINION_MAP_TASKS_IN_PROCESS = env_str("OPINION_MAP_TASKS_IN_PROCESS", "thread")
# Polis's caps: the math counts the first 100,000 participants and the first 10,000 statements.
OPINION_MAP_MAX_PARTICIPANTS = int(env_str("OPINION_MAP_MAX_PARTICIPANTS", "100000"))
OPINION_MAP_MAX_STATEMENTS = int(env_str("OPINION_MAP_MAX_STATEMENTS", "10000"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's, reading the person of a session with one query (accounts/backends.py).
    "koproduktion.accounts.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# How long the link in a confirmation e-mail stays valid.
EMAIL_CONFIRMATION_MAX_AGE = 3 * 24 * 3600
# How long the link in an invitation to a town's roles works (once).
INVITATION_MAX_AGE = 7 * 24 * 3600

LANGUAGE_CODE = "de"
# Each language is named in itself, so that people find theirs whatever the page speaks.
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "language"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Behind nginx: the app checks who may fetch a file under /media/ and nginx sends it from this
# `internal` location (X-Accel-Redirect, docs/deploy.md). Empty: the app sends the file itself.
MEDIA_INTERNAL_URL = env_str("MEDIA_INTERNAL_URL")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

locals().update(email_settings(env_str("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Koproduktion <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SITE_NAME = env_str("SITE_NAME", "Koproduktion")
# Scheme, host and port for links in e-mails sent outside a request (notifications, digests,
# reminders; core.links). `make run` sets it from its HOST and PORT.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long after posting an author may still edit an idea.
IDEA_EDIT_MINUTES = int(env_str("IDEA_EDIT_MINUTES", "1440"))
# How many people one event's tablets may start in the opinion map ("Neue Person"), so that a
# session left open or misused cannot fill the map with made-up people. Raise it for a big event.
WORKSHOP_PEOPLE_PER_EVENT = int(env_str("WORKSHOP_PEOPLE_PER_EVENT", "500"))

# Who runs this installation: named as the controller in the privacy notice and in the imprint.
# The address may span lines, separated by "|".
OPERATOR_NAME = env_str("OPERATOR_NAME", OPERATOR_PLACEHOLDER)
OPERATOR_ADDRESS = [line.strip() for line in env_str("OPERATOR_ADDRESS").split("|") if line.strip()]
OPERATOR_EMAIL = env_str("OPERATOR_EMAIL")
OPERATOR_PHONE = env_str("OPERATOR_PHONE")
# The data protection officer's contact (name, e-mail or postal address), if one is appointed.
DATA_PROTECTION_OFFICER = env_str("DATA_PROTECTION_OFFICER")
# The version of the privacy notice, e.g. its date. People who accepted another version are asked
# to accept this one at their next visit; change it whenever the text changes.
PRIVACY_NOTICE_VERSION = env_str("PRIVACY_NOTICE_VERSION", "2026-12-03")
# `manage.py anonymise_participants`: how long after a project ended the personal details of its
# participants are kept, and how long an unconfirmed registration waits for its confirmation.
RETENTION_DAYS_AFTER_PROJECT_END = int(env_str("RETENTION_DAYS_AFTER_PROJECT_END", "365"))
RETENTION_DAYS_UNCONFIRMED_ACCOUNT = int(env_str("RETENTION_DAYS_UNCONFIRMED_ACCOUNT", "30"))
# Map tiles are never fetched by tests; the URL is the operator's choice.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# Scripts, styles, images and everything else only from the site itself; nothing inline. The map
# tiles' host, Django's admin and the API's documentation add what they need per request
# (koproduktion/core/csp.py); uploaded files are served with a stricter policy of their own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    check_production_settings(locals())

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
