from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "passemploi.geo"
    label = "geo"
    verbose_name = "Géographie (communes)"
    default_auto_field = "django.db.models.BigAutoField"
