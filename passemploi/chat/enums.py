from django.db import models


class MessageKind(models.TextChoices):
    TEXT = "text", "Message"
    ATTACHMENT = "attachment", "Message avec pièce jointe"
    SHARED = "shared", "Élément partagé"
    SYSTEM = "system", "Message du système"


class SharedType(models.TextChoices):
    ACTION = "action", "Action"
    APPOINTMENT = "appointment", "Rendez-vous"
    SESSION = "session", "Session"
    OFFER = "offer", "Offre"


class SenderRole(models.TextChoices):
    YOUNG_PERSON = "young_person", "Bénéficiaire"
    COUNSELOR = "counselor", "Conseiller"
    SYSTEM = "system", "Système"
