from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "passemploi.news"
    label = "news"
    verbose_name = "Actualités de la structure"
    default_auto_field = "django.db.models.BigAutoField"
