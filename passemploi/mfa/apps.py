from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "passemploi.mfa"
    label = "mfa"
    verbose_name = "Double authentification"
