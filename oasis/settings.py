"""Django settings: whatever a deployment may change is read from an ``OASIS_*`` variable (docs/configuration.md)."""

from __future__ import annotations

import secrets
from pathlib import Path

from oasis.env import env_bool, env_choice, env_float, env_int, env_int_list, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parent
_DEFAULT_HOME = _CHECKOUT / "var" if (_CHECKOUT / "pyproject.toml").is_file() else Path.home() / ".local/share/oasis"
OASIS_HOME = Path(env_str("OASIS_HOME", str(_DEFAULT_HOME))).resolve()

DEBUG = env_bool("OASIS_DEBUG", False)


def _secret_key() -> str:
    configured = env_str("OASIS_SECRET_KEY", "")
    if configured:
        return configured
    # No shared default: generate one per installation and keep it beside the database.
    key_file = OASIS_HOME / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    OASIS_HOME.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("OASIS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("OASIS_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "oasis.datasets",
    "oasis.territories",
    "oasis.supply",
    "oasis.references",
    "oasis.accessibility",
    "oasis.observatory",
    "oasis.diagnostics",
    "oasis.planning",
    "oasis.audit",
    "oasis.accounts",
    "oasis.connectors",
    "oasis.projects",
    "oasis.recruitment",
    "oasis.installation",
    "oasis.notifications",
    "oasis.committees",
    "oasis.jobs",
    "oasis.backups",
    "oasis.www",
    "ninja",
    "django_tasks",
    "oasis.jobs.apps.TasksDatabaseConfig",  # django_tasks_db, named in French in the administration
    "oasis.accounts.apps.LockoutConfig",  # axes, likewise
    "mozilla_django_oidc",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "oasis.www.errors.MethodNotAllowedPage",
    # Last: turns a locked-out login (of the site or of /admin/) into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oasis.urls"
WSGI_APPLICATION = "oasis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # OASIS's own templates first, so that admin/base_site.html gives the administration the site's look.
        "DIRS": [Path(__file__).resolve().parent / "www" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oasis.www.navigation.navigation",
            ],
        },
    },
]

# Every form field is drawn with the État's design system (classes, ISO dates in date inputs): oasis.www.forms.
FORM_RENDERER = "oasis.www.forms.DsfrFormRenderer"

DATABASE_ENGINE = env_choice("OASIS_DB", "sqlite", ("sqlite", "postgres"))
if DATABASE_ENGINE == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": env_str("OASIS_PG_NAME", "oasis"),
            "USER": env_str("OASIS_PG_USER", "oasis"),
            "PASSWORD": env_str("OASIS_PG_PASSWORD", ""),
            "HOST": env_str("OASIS_PG_HOST", "127.0.0.1"),
            "PORT": env_int("OASIS_PG_PORT", 5432),
            "CONN_MAX_AGE": 60,
            # Tests: Django's default test_<name> unless given another (two suites on one server at once).
            "TEST": {"NAME": env_str("OASIS_PG_TEST_NAME", "") or None},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("OASIS_SQLITE_PATH", str(OASIS_HOME / "oasis.sqlite3")),
            "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
            # Tests use an in-memory database unless given a file, which `pytest --reuse-db` then keeps (mutation runs).
            "TEST": {"NAME": env_str("OASIS_SQLITE_TEST_PATH", "") or None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Per-process memory cache: figures that change only when data are imported (keys carry the data version).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
# Figures precomputed after each import (`oasis precalculer`), kept as files that every process of the server reads:
# a request only reads them. Empty: none kept (each process computes and keeps its own, as the tests do).
_precalculs = env_str("OASIS_PRECALCULS_DIR", str(OASIS_HOME / "precalculs"))
OASIS_PRECALCULS_DIR = Path(_precalculs).resolve() if _precalculs else None

# Heavy work (siting, région-wide PDFs) runs as jobs in the database queue, executed by `oasis worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A job waiting or running for longer than this is considered abandoned (its worker died): it no longer counts.
OASIS_JOB_TIMEOUT_SECONDS = env_int("OASIS_DUREE_MAX_CALCUL_SECONDES", 30 * 60)
# What a visitor who is not signed in may ask of the requests computed on the spot (what-if APL, maps, état des lieux,
# « Où m'installer ? »), per client address, across every process: so many at once and so many a minute (0: no limit).
OASIS_ANONYMOUS_HEAVY_AT_ONCE = env_int("OASIS_REQUETES_LOURDES_SIMULTANEES", 2)
OASIS_ANONYMOUS_HEAVY_PER_MINUTE = env_int("OASIS_REQUETES_LOURDES_PAR_MINUTE", 30)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
# Static files are served by whitenoise straight from the package (no collectstatic step to forget).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "oasis.www.errors.csrf_failure"  # the site's 403 page, in French
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Served over HTTPS (every deployment but a workstation): secure cookies, HSTS, and http:// redirected to https://.
OASIS_HTTPS = env_bool("OASIS_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = OASIS_HTTPS
SECURE_HSTS_SECONDS = env_int("OASIS_HSTS_SECONDES", 365 * 24 * 3600) if OASIS_HTTPS else 0
SECURE_SSL_REDIRECT = OASIS_HTTPS and env_bool("OASIS_REDIRECTION_HTTPS", True)
# Behind a reverse proxy that terminates TLS: how many proxies to trust, and whether they say the request was HTTPS.
OASIS_TRUSTED_PROXIES = env_int("OASIS_PROXIES_DE_CONFIANCE", 0)
if env_bool("OASIS_PROXY_HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: only this server's scripts, styles, fonts and images (the maps have no remote tiles).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # DSFR components and the charts set style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login failures (site and /admin/), counted in the database by django-axes so that every worker process sees them.
# Locked: five failures for one account from one address, for 15 minutes. Someone else cannot lock a colleague
# out from another address, and one person's typos do not lock the office sharing their address. Twenty failures
# from one address, all accounts together, lock that address too (password spraying): oasis.accounts.lockout.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# ProConnect, the State's sign-in for public agents (OpenID Connect), beside passwords: on when a client id is set.
# Without a client id, the ProConnect pages answer 404 and the login page does not offer it.
OASIS_PROCONNECT = bool(env_str("OASIS_PROCONNECT_CLIENT_ID", ""))
AUTHENTICATION_BACKENDS.append("oasis.accounts.proconnect.ProConnectBackend")
_PROCONNECT_URL = env_str("OASIS_PROCONNECT_URL", "https://auth.proconnect.gouv.fr/api/v2").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OASIS_PROCONNECT_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OASIS_PROCONNECT_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email given_name usual_name siret uid"
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_PROCONNECT_URL}/authorize"
OIDC_OP_TOKEN_ENDPOINT = f"{_PROCONNECT_URL}/token"
OIDC_OP_USER_ENDPOINT = f"{_PROCONNECT_URL}/userinfo"
OIDC_OP_JWKS_ENDPOINT = f"{_PROCONNECT_URL}/jwks"
OIDC_OP_ISSUER = _PROCONNECT_URL  # the ID token's « iss » must be exactly this (oasis.accounts.proconnect)
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "eidas1"}
OIDC_TIMEOUT = env_int("OASIS_CONNECTEURS_DELAI_SECONDES", 30)
LOGIN_REDIRECT_URL_FAILURE = "/connexion/?proconnect=echec"
AXES_FAILURE_LIMIT = 5
OASIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("OASIS_ECHECS_CONNEXION_PAR_ADRESSE", 20)
AXES_HANDLER = "oasis.accounts.lockout.AddressLimitHandler"
if OASIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS < AXES_FAILURE_LIMIT:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"OASIS_ECHECS_CONNEXION_PAR_ADRESSE={OASIS_LOGIN_FAILURE_LIMIT_PER_ADDRESS} : au moins {AXES_FAILURE_LIMIT} "
        "(le nombre d'échecs qui verrouille un compte), sinon une adresse se verrouille avant un compte."
    )
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "oasis.accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "oasis.accounts.lockout.lockout_response"
AXES_VERBOSE = False

OASIS_BUNDLE_DIR = Path(env_str("OASIS_BUNDLE_DIR", str(PACKAGE_DIR / "data" / "bundle")))
OASIS_OFFICIAL_DIR = PACKAGE_DIR / "data" / "official"
# Where `oasis data update` fetches the current official files (an empty address skips that reference).
OASIS_REFERENCE_URLS = {
    "drees-apl": env_list("OASIS_URL_DREES_APL", ""),
    "rpps": env_list(
        "OASIS_URL_RPPS", "https://service.annuaire.sante.fr/annuaire-sante-webservices/V300/services/extraction/PS_LibreAcces"
    ),
    "finess": env_list("OASIS_URL_FINESS", "https://www.data.gouv.fr/fr/datasets/r/2ce43ade-8d2c-4d1d-81da-ca06c82abc68"),
    "zonage": env_list("OASIS_URL_ZONAGE", ""),
}
OASIS_DOWNLOAD_TIMEOUT_SECONDS = env_int("OASIS_DELAI_TELECHARGEMENT", 120)

# Connectors to outside services (docs/connecteurs.md): each call times out, transient failures are retried.
OASIS_CONNECTOR_TIMEOUT_SECONDS = env_int("OASIS_CONNECTEURS_DELAI_SECONDES", 30)
OASIS_CONNECTOR_RETRIES = env_int("OASIS_CONNECTEURS_ESSAIS", 3)
OASIS_CONNECTOR_BACKOFF_SECONDS = float(env_int("OASIS_CONNECTEURS_ATTENTE_SECONDES", 2))
OASIS_AIDES_TERRITOIRES_URL = env_str("OASIS_AIDES_TERRITOIRES_URL", "https://aides-territoires.beta.gouv.fr")
OASIS_AIDES_TERRITOIRES_KEY = env_str("OASIS_AIDES_TERRITOIRES_CLE", "")
OASIS_AIDES_TERRITOIRES_SEARCHES = env_list("OASIS_AIDES_TERRITOIRES_RECHERCHES", "santé,médecin")
OASIS_DS_URL = env_str("OASIS_DS_URL", "https://www.demarches-simplifiees.fr/api/v2/graphql")
OASIS_DS_SITE = env_str("OASIS_DS_SITE", "https://www.demarches-simplifiees.fr")
OASIS_DS_TOKEN = env_str("OASIS_DS_JETON", "")
OASIS_DS_DEMARCHES = env_int_list("OASIS_DS_DEMARCHES", "")
OASIS_DS_MAPPING_FILE = env_str("OASIS_DS_CORRESPONDANCE", "")

# Project documents: never served from a public URL, only through the permission-checked download view.
MEDIA_ROOT = Path(env_str("OASIS_DOCUMENTS_DIR", str(OASIS_HOME / "documents")))
MEDIA_URL = "/documents-non-publics/"
OASIS_DOCUMENT_MAX_BYTES = env_int("OASIS_DOCUMENT_MAX_MO", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
# Cap on cumulated public aid, as a percentage of the operation's cost (funding plans).
OASIS_PUBLIC_AID_CAP_PERCENT = env_int("OASIS_PLAFOND_AIDES_PUBLIQUES", 80)
# The national rule of the GP zoning method (arrêté du 13 novembre 2017, « cadre national » of the DREES tool), applied
# to the official APL of the GPs aged 65 and under where no ARS order is imported (docs/zonage.md): below the first
# threshold « sélection nationale » (ZIP by law), from it to below the second the « vivier » (ZIP or ZAC as the ARS
# decides), from the second on « hors vivier ».
OASIS_ZONING_NATIONAL_SELECTION_BELOW = env_float("OASIS_ZONAGE_SEUIL_SELECTION_NATIONALE", 2.5)
OASIS_ZONING_VIVIER_BELOW = env_float("OASIS_ZONAGE_SEUIL_VIVIER", 4.0)
# Candidates' data are kept this many months after the last activity on their file (CNIL: two years for candidates).
OASIS_CANDIDATE_RETENTION_MONTHS = env_int("OASIS_CONSERVATION_CANDIDATS_MOIS", 24)
# Commitments falling due within this many days are flagged.
OASIS_COMMITMENT_ALERT_DAYS = env_int("OASIS_ALERTE_ENGAGEMENT_JOURS", 90)
# Days the confirmation link of a signup on the public portal stays valid; unconfirmed signups are then erased.
OASIS_PORTAL_CONFIRMATION_DAYS = env_int("OASIS_PORTAIL_CONFIRMATION_JOURS", 7)

# Days ahead an unpaid instalment of an aid agreement is recalled to the Département.
OASIS_PAYMENT_ALERT_DAYS = env_int("OASIS_ALERTE_VERSEMENT_JOURS", 7)

# E-mail: through the SMTP server named by OASIS_SMTP_HOTE; without it, each message is written as a file under
# OASIS_HOME/courriels (development, trials), never lost and never sent.
OASIS_PUBLIC_URL = env_str("OASIS_URL_PUBLIQUE", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("OASIS_COURRIEL_EXPEDITEUR", "OASIS <ne-pas-repondre@oasis.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env_int("OASIS_SMTP_DELAI_SECONDES", 10)
if env_str("OASIS_SMTP_HOTE", ""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("OASIS_SMTP_HOTE", "")
    EMAIL_PORT = env_int("OASIS_SMTP_PORT", 587)
    EMAIL_HOST_USER = env_str("OASIS_SMTP_UTILISATEUR", "")
    EMAIL_HOST_PASSWORD = env_str("OASIS_SMTP_MOT_DE_PASSE", "")
    EMAIL_USE_SSL = env_bool("OASIS_SMTP_SSL", False)
    EMAIL_USE_TLS = env_bool("OASIS_SMTP_STARTTLS", not EMAIL_USE_SSL)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(OASIS_HOME / "courriels")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("OASIS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
