from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "passemploi.agenda"
    label = "agenda"
    verbose_name = "Agenda : rendez-vous et sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from passemploi.actions import counter
        from passemploi.agenda.counter import appointment_hours

        if appointment_hours not in counter.SOURCES:
            counter.SOURCES.append(appointment_hours)
