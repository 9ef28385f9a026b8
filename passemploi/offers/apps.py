from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "passemploi.offers"
    label = "offers"
    verbose_name = "Offres"
    default_auto_field = "django.db.models.BigAutoField"
