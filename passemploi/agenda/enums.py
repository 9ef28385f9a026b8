from decimal import Decimal

from django.db import models


class AppointmentType(models.TextChoices):
    ENTRETIEN_INDIVIDUEL_CONSEILLER = "ENTRETIEN_INDIVIDUEL_CONSEILLER", "Entretien individuel"
    ATELIER = "ATELIER", "Atelier"
    INFORMATION_COLLECTIVE = "INFORMATION_COLLECTIVE", "Information collective"
    ACTIVITE_EXTERIEURE = "ACTIVITE_EXTERIEURE", "Activité extérieure"
    ENTRETIEN_PARTENAIRE = "ENTRETIEN_PARTENAIRE", "Entretien par un partenaire"
    VISITE = "VISITE", "Visite"
    PRESTATION = "PRESTATION", "Prestation"
    AUTRE = "AUTRE", "Autre"


# Only these types can be collective sessions of a structure.
SESSION_TYPES = (AppointmentType.ATELIER, AppointmentType.INFORMATION_COLLECTIVE)

# Hours an appointment counts for in the weekly counter.
COUNTER_HOURS = {
    AppointmentType.ATELIER: Decimal(4),
    AppointmentType.INFORMATION_COLLECTIVE: Decimal(3),
}
DEFAULT_COUNTER_HOURS = Decimal(1)


class Modality(models.TextChoices):
    AT_STRUCTURE = "at_structure", "En présentiel à la structure"
    PERMANENCE = "permanence", "En présentiel en permanence"
    PHONE = "phone", "Par téléphone"
    VIDEO = "video", "Par visio"


class Attendance(models.TextChoices):
    EXPECTED = "expected", "Attendu"
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excusé"
    UNREGISTERED = "unregistered", "Désinscrit"


# Participants who still hold a seat / are counted as expected.
HOLDING_SEAT = (Attendance.EXPECTED, Attendance.PRESENT)


class State(models.TextChoices):
    UPCOMING = "upcoming", "À venir"
    TO_CLOSE = "to_close", "À clore"
    CLOSED = "closed", "Clos"
    CANCELED = "canceled", "Annulé"
