"""The young person's app: first-run flag, support requests and data exports."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class YouthSettings(models.Model):
    """App-level state of a young person that is not part of their accompaniment file."""

    young_person = models.OneToOneField(
        "accounts.YoungPerson",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="youth_settings",
    )
    # Set when the three first-run screens were finished or skipped: never shown again.
    onboarded_at = models.DateTimeField("découverte de l'application terminée le", null=True)

    class Meta:
        verbose_name = "réglages de l'application"

    def __str__(self):
        return str(self.young_person_id)


class SupportRequest(models.Model):
    """A message sent to support from the help page (kept for follow-up and rate limiting)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    email = models.EmailField("adresse e-mail de réponse")
    subject = models.CharField("sujet", max_length=120)
    body = models.TextField("message")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "demande d'aide"
        verbose_name_plural = "demandes d'aide"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email}: {self.subject}"


class ExportState(models.TextChoices):
    PENDING = "pending", "En préparation"
    READY = "ready", "Prête"
    FAILED = "failed", "Échec"


class DataExport(models.Model):
    """A ZIP of everything the app holds about a young person (GDPR right of access)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    young_person = models.ForeignKey(
        "accounts.YoungPerson", on_delete=models.CASCADE, related_name="data_exports"
    )
    state = models.CharField(
        "état", max_length=8, choices=ExportState.choices, default=ExportState.PENDING
    )
    storage_key = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField("taille (octets)", default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "export de données"
        verbose_name_plural = "exports de données"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.young_person_id} ({self.state})"

    @property
    def is_ready(self) -> bool:
        return self.state == ExportState.READY and self.expires_at > timezone.now()
