from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "passemploi.retention"
    label = "retention"
    verbose_name = "Conservation des données"
    default_auto_field = "django.db.models.BigAutoField"
