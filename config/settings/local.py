"""Development settings: the zero-configuration default used by `make run`."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR, env_bool, mailer

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = (
    os.environ.get("SECRET_KEY") or "dev-only-insecure-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
MAILERS = mailer("django.core.mail.backends.filebased.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(exist_ok=True)
# Development only: a fixed, public key. Production sets CHAT_MASTER_KEYS (checked at start).
CHAT_MASTER_KEYS = CHAT_MASTER_KEYS or ["dev:ZGV2LW9ubHktY2hhdC1tYXN0ZXIta2V5LTMyYnl0ZXM="]  # noqa: F405
