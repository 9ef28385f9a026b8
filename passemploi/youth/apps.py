from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "passemploi.youth"
    label = "youth"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the background jobs with the queue, for the workers that run them.
        from passemploi.youth import tasks  # noqa: F401, PLC0415
