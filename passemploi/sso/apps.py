from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "passemploi.sso"
    label = "sso"
    verbose_name = "Connexion fédérée (OpenID Connect)"
    default_auto_field = "django.db.models.BigAutoField"
