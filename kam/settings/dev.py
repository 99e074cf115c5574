"""Local development: the embedded demo (SQLite, eager Celery) unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
WHITENOISE_AUTOREFRESH = DEBUG
# On a developer's machine the API schema and docs stay open unless API_DOCS_PUBLIC=false.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=True)
# The published demo users (accounts/demo.py) sign in with their password alone, so the demo starts
# with one command; production refuses this list (prod.py).
KAM_TWO_FACTOR_EXEMPT_USERNAMES = ("head", "kam1", "kam2", "kam3", "analyst", "admin")
