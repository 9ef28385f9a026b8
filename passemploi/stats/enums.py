from django.db import models


class ActorKind(models.TextChoices):
    YOUNG_PERSON = "young_person", "Bénéficiaire"
    COUNSELOR = "counselor", "Conseiller"


class EventKind(models.TextChoices):
    """The acts that count as engagement (docs/statistics.md explains each)."""

    SIGN_IN = "sign_in", "Connexion"
    MESSAGE_SENT = "message_sent", "Message envoyé"
    ACTION_CREATED = "action_created", "Action créée"
    ACTION_DONE = "action_done", "Action terminée"
    APPOINTMENT_CREATED = "appointment_created", "Rendez-vous créé"
    APPOINTMENT_ATTENDED = "appointment_attended", "Présence à un rendez-vous"
    OFFER_SAVED = "offer_saved", "Offre suivie"
    OFFER_APPLIED = "offer_applied", "Candidature déclarée"


class Measure(models.TextChoices):
    """Weekly aggregates (WeeklyStat.measure)."""

    ACTIVE_YOUNG_PEOPLE = "active_young_people", "Jeunes actifs dans la semaine"
    ENGAGED_YOUNG_PEOPLE = "engaged_young_people", "Jeunes actifs au moins 2 jours"
    REGULAR_YOUNG_PEOPLE = "regular_young_people", "Jeunes actifs 3 semaines sur 6"
    USING_YOUNG_PEOPLE = "using_young_people", "Jeunes actifs sur 6 semaines"
    ACTIVE_COUNSELORS = "active_counselors", "Conseillers actifs dans la semaine"
    MESSAGES = "messages", "Messages échangés"
    ACTIONS_CREATED = "actions_created", "Actions créées"
    ACTIONS_DONE = "actions_done", "Actions terminées"
    APPOINTMENTS_HELD = "appointments_held", "Rendez-vous honorés"
    OFFERS_FOLLOWED = "offers_followed", "Offres suivies"
    SIGN_INS = "sign_ins", "Connexions"
    TOTAL_YOUNG_PEOPLE = "total_young_people", "Jeunes actifs depuis le début"
    TOTAL_COUNSELORS = "total_counselors", "Conseillers actifs depuis le début"


# Counts of acts per kind of event.
ACT_MEASURES = {
    EventKind.MESSAGE_SENT: Measure.MESSAGES,
    EventKind.ACTION_CREATED: Measure.ACTIONS_CREATED,
    EventKind.ACTION_DONE: Measure.ACTIONS_DONE,
    EventKind.APPOINTMENT_ATTENDED: Measure.APPOINTMENTS_HELD,
    EventKind.OFFER_SAVED: Measure.OFFERS_FOLLOWED,
    EventKind.SIGN_IN: Measure.SIGN_INS,
}
