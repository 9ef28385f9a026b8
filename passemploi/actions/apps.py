from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "passemploi.actions"
    label = "actions"
    verbose_name = "Actions et compteur d'heures"
    default_auto_field = "django.db.models.BigAutoField"
