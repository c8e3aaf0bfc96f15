"""Settings, all read from the environment (12-factor); see README "Cấu hình".

Development defaults need no server at all: SQLite under var/, a filesystem
Celery broker under var/broker/, e-mails written to var/mail/.
"""

from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # the default SQLite file, mail and broker folders live here

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
# Keys that are public (this file, .env.example) sign nothing: a server started with one must not start at all.
PUBLIC_SECRET_KEYS = {"", DEV_SECRET_KEY, "change-me-to-a-long-random-string"}
SECRET_KEY = env("SECRET_KEY", default="").strip()
if DEBUG:
    SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
elif SECRET_KEY in PUBLIC_SECRET_KEYS:
    raise ImproperlyConfigured(
        "SECRET_KEY chưa được đặt hoặc còn là giá trị mẫu: cổng không khởi động với DEBUG=0. "
        "Tạo một khóa riêng (python -c 'import secrets; print(secrets.token_urlsafe(50))') "
        "và đặt vào biến môi trường SECRET_KEY hoặc tệp .env. / "
        "SECRET_KEY is empty or the example value: refusing to start with DEBUG off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "accounts",
    "indicators",
    "plans",
    "reporting",
    "notifications",
    "dashboard",
    "demo",  # load_demo: the two source plans and a user of every role, across all the apps above
    "pci_portal.apps.PortalConfig",  # upload safety (pci_portal/uploads.py) set up at start
]

MIDDLEWARE = [
    "pci_portal.health.HealthCheckMiddleware",  # /healthz, before host validation and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "pci_portal.middleware.PortalLocaleMiddleware",
    "pci_portal.inputs.CleanInputMiddleware",  # control characters out of query strings, 404 in paths
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.MustChangePasswordMiddleware",
]

ROOT_URLCONF = "pci_portal.urls"

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
                "django.template.context_processors.i18n",
                "pci_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "pci_portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several processes (web, worker, beat) share the file in `make run`.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password rules with Vietnamese messages (accounts/passwords.py); README "Tài khoản và mật khẩu".
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.LettersAndDigitsValidator"},
]
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=24 * 3600)  # seconds a reset link lives
INVITATION_TIMEOUT = env.int("INVITATION_TIMEOUT", default=7 * 24 * 3600)  # seconds an invitation link lives
# A session idle this long (seconds) ends; 0 turns the rule off. Sessions last at most SESSION_COOKIE_AGE.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection on the login form, by account and by address separately (accounts/lockout.py):
# AXES_FAILURE_LIMIT wrong passwords for one account lock that account only; AXES_ADDRESS_FAILURE_LIMIT failures
# from one address (any user names) lock the address. Both for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=100)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.lockout.PortalAxesHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=1)  # hours
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends at the time the page says
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
OTP_TOTP_ISSUER = "Cổng PCI"  # the name authenticator apps show beside the code

# Vietnamese first; English as the second locale. Source strings are Vietnamese,
# so a string without an English translation still reads correctly to the main users.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["pci_portal.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STORAGES = {
    # Uploaded evidence is private: served only through a permission-checked view.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env("MEDIA_ROOT", default=str(VAR_DIR / "media")), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Files on S3-compatible object storage (AWS S3, MinIO, Ceph, Viettel/FPT/VNPT object storage) when a bucket is
# named: then every web and worker machine serves every file. Private: no public URL, no ACL; the portal reads the
# object and streams it through its permission-checked views.
S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "location": env("S3_PREFIX", default=""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 26_214_400
BACKUP_DIR = env("BACKUP_DIR", default=str(VAR_DIR / "backups"))
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
# Upload safety (pci_portal/uploads.py): every uploaded file is checked there.
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=10)  # per update
EVIDENCE_QUOTA_PER_TASK_BYTES = env.int("EVIDENCE_QUOTA_PER_TASK_BYTES", default=200 * 1024 * 1024)
EVIDENCE_QUOTA_PER_USER_BYTES = env.int("EVIDENCE_QUOTA_PER_USER_BYTES", default=1024 * 1024 * 1024)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)  # results tables, plan documents
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
OOXML_MAX_MEMBERS = 5000  # parts inside a .docx/.xlsx
OOXML_MAX_UNCOMPRESSED_BYTES = env.int("OOXML_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
UPLOAD_NAME_MAX_CHARS = 200  # longer file names are stored cut, extension kept
UPLOAD_MAX_PART_HEADER_BYTES = 64 * 1024  # Django's 1 KB would refuse a long Vietnamese file name with a 400
# Text and dates typed in any form (pci_portal/inputs.py): control characters are removed; a text field
# with no smaller maximum takes at most TEXT_MAX_CHARS characters; dates lie within these years.
TEXT_MAX_CHARS = 50_000
DATE_MIN_YEAR, DATE_MAX_YEAR = 1900, 2100

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Redis, when given, is the broker and the cache; otherwise a filesystem broker
# (kombu's "filesystem://") that works across processes with no server.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    _broker = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "out"),
        "data_folder_out": str(_broker / "out"),
        "processed_folder": str(_broker / "processed"),
        "control_folder": str(_broker / "control"),  # broadcast (worker control) files, out of the source tree
        "store_processed": False,
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Defaults; django-celery-beat copies them into the database, where the focal
# office can change run times in the admin.
CELERY_BEAT_SCHEDULE = {
    "reporting.fail_stale_renders": {"task": "reporting.fail_stale_renders", "schedule": 600.0},
}
# Time limits (seconds): the soft one raises inside the task (recorded, the job ends cleanly), the hard one kills
# the child process. Report renders and the reminder run set their own, below.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
REPORT_RENDER_SOFT_TIME_LIMIT = env.int("REPORT_RENDER_SOFT_TIME_LIMIT", default=240)
REPORT_RENDER_TIME_LIMIT = env.int("REPORT_RENDER_TIME_LIMIT", default=300)
REMINDERS_SOFT_TIME_LIMIT = env.int("REMINDERS_SOFT_TIME_LIMIT", default=1800)
REMINDERS_TIME_LIMIT = env.int("REMINDERS_TIME_LIMIT", default=1900)
STALE_PENDING_RENDER_SECONDS = env.int("STALE_PENDING_RENDER_SECONDS", default=3600)
# Queues: heavy renders never hold up the morning reminders or a mail; a worker with no -Q takes all of them,
# a deployment can run one worker per queue (`celery -A pci_portal worker -Q reports`).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {name: {} for name in ("celery", "reports", "reminders", "mail")}
CELERY_TASK_ROUTES = {
    "reporting.*": {"queue": "reports"},
    "notifications.send_reminders*": {"queue": "reminders"},
    "notifications.*": {"queue": "mail"},
}
# A dead broker is reported within seconds (the render page says so), not after Celery's long default retries.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=3.0)
REMINDER_SCHEDULE = crontab(hour=7, minute=30)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if env("EMAIL_HOST", default="")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
# Seconds an SMTP call may take: a mail server that never answers costs one time-out per run, not per e-mail.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_USE_LOCALTIME = True  # Date: headers in +0700, as the recipients read them
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng PCI <no-reply@pci.local>")
EMAIL_SUBJECT_PREFIX = "[Cổng PCI] "
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Who receives server errors (500s, failed background jobs) by e-mail: "Tên <a@b.vn>, c@d.vn". Empty: nobody.
ADMINS = getaddresses(env.list("ADMINS", default=[]))
# Each kind of error (same exception type raised at the same line) is e-mailed once in this many seconds; the
# rest are only logged. 0: every error is e-mailed (pci_portal/errors.py).
ADMIN_ERROR_MAIL_PERIOD = env.int("ADMIN_ERROR_MAIL_PERIOD", default=3600)

# HTTPS. Secure by default when DEBUG is off; each switch can be turned off for a set-up that needs it
# (for example SECURE_SSL_REDIRECT=0 when the load balancer already redirects). The load balancer must set
# X-Forwarded-Proto and strip it from what clients send.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SESSION_COOKIE_SECURE)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Errors reach ADMINS through the mail queue (never an SMTP call inside the failing request);
        # this replaces Django's own mail_admins handler on the "django" logger.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "celery.app.trace": {"handlers": ["mail_admins"], "level": "INFO"},
    },
}
LOGGING["handlers"]["mail_admins"] = {
    "level": "ERROR",
    "filters": ["require_debug_false"],
    "class": "pci_portal.errors.QueuedAdminEmailHandler",
}

PORTAL_NAME = _("Cổng theo dõi nâng cao chỉ số PCI")

# Development and benchmark tooling (generate_scale_data, the X-Query-Count header of bench/pages.py) lives in
# the devtools app, outside the product: loaded with DEBUG, or with DEVTOOLS=1 on a benchmark database.
DEVTOOLS = env.bool("DEVTOOLS", default=DEBUG)
if DEVTOOLS:
    INSTALLED_APPS.append("devtools")
QUERY_COUNT_HEADER = env.bool("QUERY_COUNT_HEADER", default=False)
if QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "devtools.middleware.QueryCountMiddleware")
