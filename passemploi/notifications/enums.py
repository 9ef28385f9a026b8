from django.db import models


class Channel(models.TextChoices):
    IN_APP = "in_app", "Dans l'application"
    PUSH = "push", "Notification push"
    EMAIL = "email", "E-mail"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENT = "sent", "Envoyée"
    FAILED = "failed", "Échec"
    SKIPPED = "skipped", "Ignorée"


class Kind(models.TextChoices):
    MESSAGE = "message", "Nouveau message"
    ACTION = "action", "Nouvelle action"
    APPOINTMENT = "appointment", "Rendez-vous"
    REMINDER = "reminder", "Rappel"
    NUDGE = "nudge", "Rappel de la semaine"
    OFFERS = "offers", "Nouvelles offres"
    NEWS = "news", "Actualité de votre structure"
    DIGEST = "digest", "Récapitulatif des messages"


class Topic(models.TextChoices):
    """The preference switch a notification falls under (issue #7's profile switches)."""

    OFFERS = "offers", "Nouvelles offres sur mes alertes"
    ACTIONS = "actions", "Actions créées par mon conseiller"
    APPOINTMENTS = "appointments", "Rendez-vous et sessions"
    WEEKLY = "weekly", "Rappels de la semaine"
    NEWS = "news", "Actualités de ma structure"
    MESSAGES = "messages", "Nouveaux messages"
    DIGEST = "digest", "E-mail récapitulatif des messages non lus"


class ReminderKind(models.TextChoices):
    APPOINTMENT_7D = "appointment_7d", "Rendez-vous dans 7 jours"
    APPOINTMENT_1D = "appointment_1d", "Rendez-vous demain"
    ACTION_3D = "action_3d", "Action à échéance dans 3 jours"


class Outcome(models.TextChoices):
    RUNNING = "running", "En cours"
    OK = "ok", "Réussie"
    SKIPPED = "skipped", "Ignorée"
    ERROR = "error", "Erreur"
