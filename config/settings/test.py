"""Test settings: fast hashing, emails in the outbox, templates that fail on unknown variables."""

from config.settings.base import *  # noqa: F403
from config.settings.base import TEMPLATES

DEBUG = False
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "INVALID_TEMPLATE_VARIABLE[%s]"
SITE_URL = "http://testserver"
# Tests never run collectstatic: WhiteNoise finds static files in the apps (as in development)
# instead of warning, which the test run turns into an error, that STATIC_ROOT does not exist.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
CHAT_MASTER_KEYS = ["test:dGVzdC1vbmx5LWNoYXQtbWFzdGVyLWtleS0zMmJ5dGU="]
# Tasks run inline, in the test's transaction (tests/notifications start real workers).
HUEY_IMMEDIATE = True
