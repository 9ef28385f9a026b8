from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "passemploi.chat"
    label = "chat"
    verbose_name = "Messagerie"
    default_auto_field = "django.db.models.BigAutoField"
