from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "passemploi.notifications"
    label = "notifications"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from passemploi.core.events import subscribe
        from passemploi.notifications import rules

        subscribe(rules.handle)
