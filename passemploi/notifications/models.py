"""Notifications: in-app notices, the delivery outbox, preferences, reminders and task runs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from passemploi.notifications.enums import (
    Channel,
    DeliveryState,
    Kind,
    Outcome,
    ReminderKind,
    Topic,
)


class Notification(models.Model):
    """A row of the young person's notification centre (kept 10 days)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("type", max_length=16, choices=Kind.choices)
    topic = models.CharField("thème", max_length=16, choices=Topic.choices)
    title = models.CharField("titre", max_length=120)
    body = models.CharField("texte", max_length=255)
    link = models.CharField("lien", max_length=255, blank=True)
    key = models.CharField(max_length=200, unique=True, editable=False)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """The outbox: one row per notification and channel, written in the transaction of the
    change that caused it, sent by a task after the commit. `key` is unique, so a duplicate
    event or a task run twice sends once."""

    id = models.BigAutoField(primary_key=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    channel = models.CharField("canal", max_length=8, choices=Channel.choices)
    kind = models.CharField("type", max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField("titre", max_length=120)
    body = models.CharField("texte", max_length=255)
    link = models.CharField("lien", max_length=255, blank=True)
    # Extra rendering data (the digest's conversations), never message text.
    context = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        "état", max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    # Pending: not before this instant (quiet hours, backoff, or the lease of a running task).
    next_attempt_at = models.DateTimeField("prochaine tentative", default=timezone.now)
    last_error = models.CharField("dernière erreur", max_length=255, blank=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "envoi"
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.channel} {self.key}"


class NotificationPreferences(models.Model):
    """One switch per topic (young people) and the email digest (counselors)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    offers = models.BooleanField(Topic.OFFERS.label, default=True)
    actions = models.BooleanField(Topic.ACTIONS.label, default=True)
    appointments = models.BooleanField(Topic.APPOINTMENTS.label, default=True)
    weekly = models.BooleanField(Topic.WEEKLY.label, default=True)
    news = models.BooleanField(Topic.NEWS.label, default=True)
    messages = models.BooleanField(Topic.MESSAGES.label, default=True)
    digest = models.BooleanField(Topic.DIGEST.label, default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "préférences de notification"
        verbose_name_plural = "préférences de notification"

    def __str__(self):
        return f"Préférences de {self.user_id}"

    def allows(self, topic: str) -> bool:
        return bool(getattr(self, topic))


class Reminder(models.Model):
    """A reminder planned for one young person: sent by the minute task once `due_at` passes."""

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField("type", max_length=16, choices=ReminderKind.choices)
    young_person = models.ForeignKey(
        "accounts.YoungPerson", on_delete=models.CASCADE, related_name="+"
    )
    appointment = models.ForeignKey(
        "agenda.Appointment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        "actions.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField("à envoyer le")
    # Handed to a worker at (a chunk task); handed out again if still unsent 5 minutes later.
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "rappel"
        indexes = [models.Index(fields=["sent_at", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "young_person", "appointment"],
                condition=models.Q(appointment__isnull=False),
                name="one_appointment_reminder_per_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "action"],
                condition=models.Q(action__isnull=False),
                name="one_action_reminder_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.due_at:%Y-%m-%d %H:%M}"


class TaskRun(models.Model):
    """One run of a periodic task, for support (admin, read-only)."""

    task = models.CharField("tâche", max_length=64, db_index=True)
    started_at = models.DateTimeField("début", default=timezone.now)
    duration = models.FloatField("durée (s)", null=True, blank=True)
    outcome = models.CharField(
        "résultat", max_length=8, choices=Outcome.choices, default=Outcome.RUNNING
    )
    detail = models.CharField("détail", max_length=255, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "exécution de tâche"
        verbose_name_plural = "exécutions de tâches"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.task} {self.started_at:%Y-%m-%d %H:%M}"
