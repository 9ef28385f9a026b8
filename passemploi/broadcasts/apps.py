from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "passemploi.broadcasts"
    label = "broadcasts"
    verbose_name = "Listes de diffusion"
    default_auto_field = "django.db.models.BigAutoField"
