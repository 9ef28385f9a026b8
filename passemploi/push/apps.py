from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "passemploi.push"
    label = "push"
    verbose_name = "Notifications push"
    default_auto_field = "django.db.models.BigAutoField"
