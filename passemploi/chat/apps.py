from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ChatConfig(AppConfig):
    name = "passemploi.chat"
    label = "chat"
    verbose_name = "Messagerie"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from passemploi.chat import checks  # noqa: F401 - registers the deploy check

        # Each app's chat_cards.py registers its resolver of shared-item cards (chat/shared.py).
        autodiscover_modules("chat_cards")
