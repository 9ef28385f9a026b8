from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "passemploi.accounts"
    label = "accounts"
    verbose_name = "Comptes et structures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from passemploi.accounts import signals  # noqa: F401
