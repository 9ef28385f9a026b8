from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "passemploi.audit"
    label = "audit"
    verbose_name = "Journal de sécurité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from passemploi.audit import signals  # noqa: F401
