"""Sanxiang settings: everything a deployment may change comes from SANXIANG_* environment variables.

The embedded default keeps a whole installation in one folder (SANXIANG_DATA_DIR, default ./var): the SQLite
database, the secret key and, later, the blob store and the ledger key.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from sanxiang.audit.retention import MINIMUM_RETENTION_DAYS
from sanxiang.core.blob_url import parse_blob_url
from sanxiang.core.files import make_private_dir
from sanxiang.env import (
    SettingError,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_rate,
    env_str,
    secret_key,
    syslog_address,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SANXIANG_DATA_DIR", "var")).expanduser().absolute()
make_private_dir(DATA_DIR)  # owner-only, like everything in it (core.files)

DEBUG = env_bool("SANXIANG_DEBUG", False)
# Behind TLS (the production case) cookies are Secure and HSTS is sent; `make demo` on plain http turns it off.
HTTPS = env_bool("SANXIANG_HTTPS", not DEBUG)
SECRET_KEY = secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("SANXIANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("SANXIANG_CSRF_TRUSTED_ORIGINS", [])
# The public address printed in QR codes on certificates and documents (set it to the portal's real address).
PUBLIC_URL = env_str("SANXIANG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

DATABASES = {
    "default": database_from_url(
        "SANXIANG_DATABASE_URL",
        env_str("SANXIANG_DATABASE_URL", "sqlite:///sanxiang.sqlite3"),
        data_dir=DATA_DIR,
        sqlite_synchronous=env_choice("SANXIANG_SQLITE_SYNCHRONOUS", "FULL", ("FULL", "NORMAL")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "huey.contrib.djhuey",
    # Our apps in their one order (docs/architecture.md): each imports only the apps listed before it.
    "sanxiang.core",
    "sanxiang.ledger",
    "sanxiang.api",
    "sanxiang.agencies",
    "sanxiang.laws",
    "sanxiang.powers",
    "sanxiang.audit",
    "sanxiang.documents",
    "sanxiang.cases",
    "sanxiang.evidence",
    "sanxiang.uploads",
    "sanxiang.inspections",
    "sanxiang.licensing",
    "sanxiang.monitoring",
    "sanxiang.review",
    "sanxiang.publicity",
    "sanxiang.disclosures",
    "sanxiang.reports",
    "sanxiang.supervision",
    "sanxiang.exchange",
    "sanxiang.web",
    "sanxiang.portal",
    "sanxiang.demo",
]

MIDDLEWARE = [
    "sanxiang.core.middleware.RequestIdMiddleware",  # first: the id goes on every response, errors included
    "sanxiang.core.metrics.RequestTimingMiddleware",  # the whole time, every middleware included
    "django.middleware.security.SecurityMiddleware",
    "sanxiang.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sanxiang.core.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware: its check reads (and spools) the body of a POST.
    "sanxiang.core.middleware.AnonymousBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sanxiang.core.middleware.LoginRequiredMiddleware",
    "sanxiang.core.middleware.SecondFactorMiddleware",
    "sanxiang.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sanxiang.web.middleware.SessionTimeoutMiddleware",
    "sanxiang.web.middleware.PasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sanxiang.urls"
WSGI_APPLICATION = "sanxiang.wsgi.application"
AUTH_USER_MODEL = "agencies.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# Every staff login takes a password and then a TOTP code; a session with the password alone reaches this step only.
SECOND_FACTOR_URL = "web:second-factor"
OTP_TOTP_ISSUER = "三项制度平台"
# Security keys (WebAuthn) are bound to this domain (the relying party); empty: the host the page was requested on.
# Set it to the parent domain when the workbench is reached under more than one of its subdomains.
WEBAUTHN_RP_ID = env_str("SANXIANG_WEBAUTHN_RP_ID", "")

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
                "sanxiang.web.context_processors.notifications",
                "sanxiang.web.context_processors.menu",
                "sanxiang.web.context_processors.layout",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own, but for a message its Chinese catalogue no longer translates.
    {"NAME": "sanxiang.agencies.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock-out: 5 failures for one user name from one address locks that pair for 15 minutes. Locking on the pair
# (not the user name alone) keeps an attacker from locking real officers out of their accounts.
AXES_FAILURE_LIMIT = env_int("SANXIANG_LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SANXIANG_LOGIN_COOLOFF_MINUTES", 15, minimum=1, maximum=1440))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
# Reverse proxies in front: the client address (lock-out, audit log) is read from X-Forwarded-For behind them.
PROXY_COUNT = env_int("SANXIANG_PROXY_COUNT", 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "sanxiang.core.network.client_address"

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends SANXIANG_SESSION_HOURS after login whatever is done with it (the absolute age), and earlier after
# SANXIANG_SESSION_IDLE_MINUTES without a request (等保: 登录连接超时自动退出; 0 turns the idle limit off).
SESSION_COOKIE_AGE = 60 * 60 * env_int("SANXIANG_SESSION_HOURS", 12, minimum=1, maximum=168)
SESSION_IDLE_MINUTES = env_int("SANXIANG_SESSION_IDLE_MINUTES", 30, minimum=0, maximum=1440)
# A password older than this many days must be changed at the next request (0 = never expires).
PASSWORD_MAX_AGE_DAYS = env_int("SANXIANG_PASSWORD_MAX_AGE_DAYS", 90, minimum=0, maximum=3650)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SANXIANG_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
# Only the languages the interface has a catalogue for: with English listed but untranslated, a browser asking for
# English (as most set up abroad or headless do) got Django's own words in English amid Chinese pages.
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

_redis = env_str("SANXIANG_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
        if _redis
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sanxiang.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "sanxiang.api.permissions.TokenScopePermission",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "sanxiang.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "sanxiang.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["sanxiang.api.parsers.ObjectJSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # The address a rate is counted for is core.network.client_address (api.throttling), not NUM_PROXIES.
    # Rates are counted in the default cache (above): shared by every process with Redis, per process without it.
    "DEFAULT_THROTTLE_CLASSES": [
        "sanxiang.api.throttling.AnonymousRateThrottle",
        "sanxiang.api.throttling.StaffRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env_rate("SANXIANG_API_RATE_ANONYMOUS", "120/minute"),
        "staff": env_rate("SANXIANG_API_RATE_USER", "600/minute"),
        # Password logins from one address, the workbench's and the API token endpoint's together.
        "login": env_rate("SANXIANG_LOGIN_RATE", "10/minute"),
        "feedback": env_rate("SANXIANG_FEEDBACK_RATE", "20/hour"),
        "licence_application": env_rate("SANXIANG_LICENCE_APPLICATION_RATE", "20/hour"),
        "subscription": env_rate("SANXIANG_SUBSCRIPTION_RATE", "10/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sanxiang API",
    "DESCRIPTION": "三项制度平台 API v1 — agencies, officers, certificates and the public certificate check.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sanxiang.api.schema.add_extra_operations",
        "sanxiang.api.schema.add_error_responses",
    ],
}

LOG_LEVEL = env_choice("SANXIANG_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
# plain: one readable line per record; json: one JSON object per line for a log collector (core/logs.py). Both name
# the request a line was written in.
LOG_FORMAT = env_choice("SANXIANG_LOG_FORMAT", "plain", ("plain", "json"))

# /metrics (web.metrics) answers only with this bearer token; unset, it does not exist. With it on, the processes
# sharing this data directory (gunicorn's workers, the background worker) sum their counts in <data dir>/metrics,
# which prometheus_client must know before it is first imported (core.metrics).
METRICS_TOKEN = env_str("SANXIANG_METRICS_TOKEN")
if METRICS_TOKEN is not None and len(METRICS_TOKEN) < 32:
    raise SettingError("SANXIANG_METRICS_TOKEN", "(hidden)", "at least 32 characters (e.g. `openssl rand -hex 32`)")
if METRICS_TOKEN:
    make_private_dir(Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(DATA_DIR / "metrics"))))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sanxiang.core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s%(request_tag)s %(message)s"},
        "json": {"()": "sanxiang.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}

# API v1 bodies: a JSON body larger than this answers 413, one nested deeper than this 400 (evidence files and
# open-data imports are uploaded as multipart and have limits of their own).
# The dashboards' figures are kept this long per agency and year (0: computed on every request); the worker counts the
# province's and the cities' current year again every ten minutes. The annual report is always computed afresh.
DASHBOARD_CACHE_SECONDS = env_int("SANXIANG_DASHBOARD_CACHE_SECONDS", 900, minimum=0, maximum=86400)
API_MAX_BODY_BYTES = env_int("SANXIANG_API_MAX_BODY_BYTES", 1024 * 1024, minimum=1024, maximum=100 * 1024 * 1024)
API_MAX_JSON_DEPTH = env_int("SANXIANG_API_MAX_JSON_DEPTH", 32, minimum=2, maximum=200)

# API tokens expire after this many days unless revoked earlier.
API_TOKEN_DAYS = env_int("SANXIANG_API_TOKEN_DAYS", 30, minimum=1, maximum=3650)

# Workbench: certificates expiring within this many days are listed as due.
CERTIFICATE_EXPIRY_WARNING_DAYS = env_int("SANXIANG_CERTIFICATE_WARNING_DAYS", 60, minimum=1, maximum=365)

# Ledger: checkpoints are C2SP tlog-checkpoints signed as C2SP signed notes. The origin names this log; the key
# is created on first use under the data directory unless SANXIANG_LEDGER_KEY_FILE points at one (outside it, in
# production: a copy of the data folder must not carry the key). SANXIANG_LEDGER_SIGNER names a factory
# `module.callable(name=origin)` returning a ledger.signing.NoteSigner, for a key held in an HSM or KMS.
# The size of the province year `sanxiang demo` generates (demo.year.SCALES): full for a demo, small for tests.
DEMO_YEAR_SCALE = env_str("SANXIANG_DEMO_YEAR_SCALE", "full")
LEDGER_ORIGIN = env_str("SANXIANG_LEDGER_ORIGIN", "sanxiang.local/ledger")
if not LEDGER_ORIGIN or "+" in LEDGER_ORIGIN or any(char.isspace() for char in LEDGER_ORIGIN):
    raise SettingError(
        "SANXIANG_LEDGER_ORIGIN", LEDGER_ORIGIN, "不含空格和“+”的日志名称，如 zfgs.sthj.hlj.gov.cn/ledger"
    )
LEDGER_KEY_FILE = Path(env_str("SANXIANG_LEDGER_KEY_FILE", str(DATA_DIR / "ledger" / "signing.key")))
LEDGER_SIGNER = env_str("SANXIANG_LEDGER_SIGNER", "")
if LEDGER_SIGNER and ("." not in LEDGER_SIGNER or not all(part.isidentifier() for part in LEDGER_SIGNER.split("."))):
    raise SettingError("SANXIANG_LEDGER_SIGNER", LEDGER_SIGNER, "Python 路径，如 mykms.ledger.signer")
# 国密 mode: a log created with SANXIANG_LEDGER_HASH=sm3 hashes its leaves and nodes with SM3, one created with
# SANXIANG_LEDGER_SIGNATURE=sm2 signs its checkpoints with SM2; neither can change once the log has entries.
LEDGER_HASH = env_choice("SANXIANG_LEDGER_HASH", "sha256", ("sha256", "sm3"))
LEDGER_SIGNATURE = env_choice("SANXIANG_LEDGER_SIGNATURE", "ed25519", ("ed25519", "sm2"))
# Every entry is covered by a signed checkpoint at most this many seconds after its commit, signed by the process
# that committed it (no background worker needed); entries not yet covered can be rewritten unseen.
LEDGER_CHECKPOINT_SECONDS = env_int("SANXIANG_LEDGER_CHECKPOINT_SECONDS", 60, minimum=1, maximum=86400)
LEDGER_CHECKPOINT_TIMER = True  # the test settings turn the per-process timer off (ledger.cadence)
# Witnesses (C2SP tlog-witness) that cosign each checkpoint: "<submission URL> <witness key>" items, comma-separated
# (file:///<folder> asks a witness whose state folder is on this machine, as the demo's are).
# A checkpoint is witnessed when QUORUM of them cosigned it (default: a majority); verifiers require as many.
LEDGER_WITNESSES = [tuple(item.split()) for item in env_list("SANXIANG_LEDGER_WITNESSES", [])]
if any(len(item) != 2 or not item[0].startswith(("http://", "https://", "file:///")) for item in LEDGER_WITNESSES):
    raise SettingError(
        "SANXIANG_LEDGER_WITNESSES",
        os.environ.get("SANXIANG_LEDGER_WITNESSES"),
        "以逗号分隔的“地址 公钥”，如 https://w1.example.cn/ w1.example.cn+1a2b3c4d+BA…",
    )
LEDGER_WITNESS_QUORUM = env_int(
    "SANXIANG_LEDGER_WITNESS_QUORUM",
    len(LEDGER_WITNESSES) // 2 + 1 if LEDGER_WITNESSES else 0,
    minimum=1 if LEDGER_WITNESSES else 0,
    maximum=len(LEDGER_WITNESSES),
)
# Trusted time (RFC 3161): each checkpoint's text is sent to this time-stamping authority after its commit; its
# tokens are verified against the root certificates in the PEM file SANXIANG_LEDGER_TSA_ROOTS before they are kept.
# file:///<folder> asks a folder authority on this machine (ledger.authority: the demo's) without HTTP.
LEDGER_TSA_URL = env_str("SANXIANG_LEDGER_TSA_URL", "")
if LEDGER_TSA_URL and not LEDGER_TSA_URL.startswith(("http://", "https://", "file:///")):
    raise SettingError("SANXIANG_LEDGER_TSA_URL", LEDGER_TSA_URL, "时间戳服务地址，如 https://tsa.example.cn/tsr")
_tsa_roots = env_str("SANXIANG_LEDGER_TSA_ROOTS", "")
LEDGER_TSA_ROOTS = Path(_tsa_roots) if _tsa_roots else None
if LEDGER_TSA_URL and LEDGER_TSA_ROOTS is None:
    raise SettingError(
        "SANXIANG_LEDGER_TSA_ROOTS", "", "设置 SANXIANG_LEDGER_TSA_URL 时须给出时间戳服务的根证书（PEM 文件）"
    )

# Background work: huey on a SQLite file in the data directory, or on Redis when SANXIANG_REDIS_URL is set.
HUEY = (
    {"huey_class": "huey.RedisHuey", "name": "sanxiang", "url": _redis, "immediate": False}
    if _redis
    else {
        "huey_class": "huey.SqliteHuey",
        "name": "sanxiang",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": False,
    }
)
# An archive request the worker has not finished after this long is taken for lost (a worker killed mid-packing):
# the case page offers 归档 again. Packing a case file with gigabytes of footage takes minutes, not hours.
ARCHIVE_REQUEST_STALE_AFTER = timedelta(
    minutes=env_int("SANXIANG_ARCHIVE_STALE_MINUTES", 60, minimum=5, maximum=7 * 24 * 60)
)

# Licensing: the class that tells an applicant of each step by SMS and e-mail (licensing.notify.Notifier); the
# embedded default logs each notice instead, naming the channel and the application, never the number or address.
LICENSING_NOTIFIER = env_str("SANXIANG_LICENSING_NOTIFIER", "sanxiang.licensing.notify.LoggingNotifier")
if not all(part.isidentifier() for part in LICENSING_NOTIFIER.split(".")):
    raise SettingError("SANXIANG_LICENSING_NOTIFIER", LICENSING_NOTIFIER, "Python 路径，如 mysms.Notifier")

# Subscriptions to the portal's decisions: the class that e-mails each notice (publicity.notify.Notifier; the
# embedded default logs it instead, never the address), and how many confirmation requests one address may be sent a
# day (the form is also rate-limited per client address, SANXIANG_SUBSCRIPTION_RATE), so that nobody can flood
# someone else's mailbox through it.
SUBSCRIPTION_NOTIFIER = env_str("SANXIANG_SUBSCRIPTION_NOTIFIER", "sanxiang.publicity.notify.LoggingNotifier")
if not all(part.isidentifier() for part in SUBSCRIPTION_NOTIFIER.split(".")):
    raise SettingError("SANXIANG_SUBSCRIPTION_NOTIFIER", SUBSCRIPTION_NOTIFIER, "Python 路径，如 mymail.Notifier")
SUBSCRIPTION_CONFIRMATIONS_PER_DAY = env_int("SANXIANG_SUBSCRIPTION_CONFIRMATIONS_PER_DAY", 3, minimum=1, maximum=50)

# Online monitoring: the address the HJ 212-2017 listener serves devices on when `sanxiang serve --with-worker` starts
# it (empty: not started; `sanxiang monitoring listen --bind` runs it on its own). One listener per installation.
MONITORING_BIND = env_str("SANXIANG_MONITORING_BIND", "")
if MONITORING_BIND:
    _host, _colon, _port = MONITORING_BIND.rpartition(":")
    if not _colon or not _port.isdigit() or not 0 < int(_port) < 65536:
        raise SettingError("SANXIANG_MONITORING_BIND", MONITORING_BIND, "主机:端口，如 0.0.0.0:2120")

# Blobs (evidence, documents, archives, monitoring segments): in <data dir>/blobs unless SANXIANG_BLOB_URL names
# another folder (file:///…) or an S3-compatible bucket (s3://bucket/prefix?endpoint=…; core.blobs). With
# SANXIANG_BLOB_RETENTION_DAYS, every object is written under S3 Object Lock in compliance mode for that long (the
# bucket must have Object Lock enabled); nobody, the operator included, can delete or overwrite it before then.
BLOB_URL = env_str("SANXIANG_BLOB_URL", "")
if BLOB_URL:
    try:
        parse_blob_url(BLOB_URL)  # a typo stops start-up here, not at the first upload
    except ValueError as error:
        raise SettingError("SANXIANG_BLOB_URL", BLOB_URL, str(error)) from None
BLOB_RETENTION_DAYS = env_int("SANXIANG_BLOB_RETENTION_DAYS", 0, minimum=0, maximum=36500)
# 国密 mode at rest (密评: confidentiality of important data stored): new blobs encrypted with SM4-GCM
# (core.blob_crypt), in the folder or the S3 bucket, each with its own data key wrapped by the master key in
# SANXIANG_BLOB_KEY_FILE (keep it, and its backup, apart from the data folder) or by the KMS/HSM factory named in
# SANXIANG_BLOB_KMS (`module.factory()` returning a core.blob_crypt.KeyKeeper). The key file is created owner-only on
# first use, except with a bucket: every server shares it, and a key each made for itself would seal blobs the others
# cannot open, so the one key must be there before start-up.
BLOB_ENCRYPTION = env_choice("SANXIANG_BLOB_ENCRYPTION", "none", ("none", "sm4-gcm"))
BLOB_KEY_FILE = Path(env_str("SANXIANG_BLOB_KEY_FILE", str(DATA_DIR / "keys" / "blob.key")))
BLOB_KMS = env_str("SANXIANG_BLOB_KMS", "")
if BLOB_ENCRYPTION != "none" and BLOB_URL.startswith("s3://") and not BLOB_KMS and not BLOB_KEY_FILE.is_file():
    raise SettingError(
        "SANXIANG_BLOB_KEY_FILE",
        str(BLOB_KEY_FILE),
        "已有的主密钥文件：S3 存储由各台服务器共用，须用同一把主密钥。请只生成一次"
        f"（umask 077; openssl rand -hex 16 > {BLOB_KEY_FILE}）并复制到每台服务器，或用 SANXIANG_BLOB_KMS 指定密钥管理系统",
    )

# Evidence files: the largest accepted (body-worn camera footage runs to several GB); browser uploads spool to disk.
EVIDENCE_MAX_BYTES = env_int("SANXIANG_EVIDENCE_MAX_BYTES", 20 * 1024**3, minimum=1024, maximum=1024**4)
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "uploads")
make_private_dir(Path(FILE_UPLOAD_TEMP_DIR))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Spooled uploads and store temporaries not written for this long are orphans of a crashed request or copy: swept
# hourly by the background worker, and whenever `sanxiang serve` starts (`sanxiang sweep` does it by hand).
TEMPORARY_FILES_MAX_AGE = timedelta(hours=env_int("SANXIANG_TEMPORARY_FILES_HOURS", 6, minimum=1, maximum=720))
# A resumable upload (tus, sanxiang.uploads) not finished by then is refused (410) and swept with its partial file;
# the device keeps its capture and starts again.
UPLOAD_EXPIRY = timedelta(hours=env_int("SANXIANG_UPLOAD_EXPIRY_HOURS", 48, minimum=1, maximum=720))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest body accepted from someone not logged in (the login form, the portal's forms); a larger one, or any
# multipart body, is refused unread (core.middleware.AnonymousBodyMiddleware).
ANONYMOUS_BODY_MAX_BYTES = 64 * 1024

# PDFs of documents, and of annual reports, are queued for LibreOffice in the background worker when issued or
# published (or else on first download).
DOCUMENTS_PDF_IN_BACKGROUND = env_bool("SANXIANG_DOCUMENTS_PDF_IN_BACKGROUND", True)

# Security audit log: events are kept SANXIANG_AUDIT_RETENTION_DAYS days, never fewer than six months
# (网络安全法 第二十一条（三）), then purged by a daily task. SANXIANG_AUDIT_SYSLOG also sends each event, as one JSON
# line, to a syslog collector: "host:port" (UDP) or the path of a unix socket such as /dev/log.
AUDIT_RETENTION_DAYS = env_int("SANXIANG_AUDIT_RETENTION_DAYS", 365, minimum=MINIMUM_RETENTION_DAYS, maximum=36500)
AUDIT_SYSLOG = syslog_address("SANXIANG_AUDIT_SYSLOG")
