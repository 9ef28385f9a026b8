from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "passemploi.stats"
    label = "stats"
    verbose_name = "Statistiques et impact"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from passemploi.stats import recording

        recording.connect()
