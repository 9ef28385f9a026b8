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
