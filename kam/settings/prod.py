"""Production: everything secret from the environment, HTTPS only."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import KAM_TWO_FACTOR_EXEMPT_USERNAMES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
if not SECURE_SSL_REDIRECT:
    # SECURE_SSL_REDIRECT=false is for a TLS proxy that redirects plain HTTP by itself
    # (docs/operations.md): then `check --deploy` need not ask for Django's own redirect.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W008"]
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # probed over plain HTTP inside the stack
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# The API schema and Swagger UI ask for a login unless API_DOCS_PUBLIC=true.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
# Nobody skips the second factor their role requires in production (the demo's exemption is dev-only).
if KAM_TWO_FACTOR_EXEMPT_USERNAMES:
    raise ImproperlyConfigured("KAM_TWO_FACTOR_EXEMPT_USERNAMES must be empty in production.")
