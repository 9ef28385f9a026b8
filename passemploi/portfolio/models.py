"""History of the portfolio: counselor changes (réaffectations) and archives."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from passemploi.accounts.models import Counselor, YoungPerson
from passemploi.portfolio.enums import (
    POSITIVE_REASONS,
    ArchiveReason,
    ReassignmentKind,
    RiskLevel,
)


class Reassignment(models.Model):
    """One young person moved from one counselor to another (one row per young person)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="reassignments"
    )
    from_counselor = models.ForeignKey(
        Counselor, on_delete=models.PROTECT, related_name="+", verbose_name="ancien conseiller"
    )
    to_counselor = models.ForeignKey(
        Counselor, on_delete=models.PROTECT, related_name="+", verbose_name="nouveau conseiller"
    )
    kind = models.CharField("type", max_length=16, choices=ReassignmentKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Rows written by one request share a batch; a retried request (same client id from the same
    # user) returns that batch instead of moving anyone again.
    batch = models.UUIDField(db_index=True)
    client_id = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = "réaffectation"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_id", "young_person"],
                condition=models.Q(client_id__isnull=False),
                name="reassignment_client_id_unique",
            )
        ]

    def __str__(self):
        return f"{self.young_person_id}: {self.from_counselor_id} → {self.to_counselor_id}"

    @property
    def is_temporary(self) -> bool:
        return self.kind == ReassignmentKind.TEMPORARY


class Archive(models.Model):
    """A young person's accompaniment ended; the record stays (restored_at once unarchived)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="archives")
    reason = models.CharField("motif", max_length=32, choices=ArchiveReason.choices)
    comment = models.CharField("commentaire", max_length=250, blank=True)
    end_date = models.DateField("date de fin de l'accompagnement")
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    archived_at = models.DateTimeField(default=timezone.now)
    client_id = models.UUIDField(null=True, blank=True)
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "archive"
        ordering = ["archived_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["archived_by", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="archive_client_id_unique",
            ),
            # At most one current archive per young person.
            models.UniqueConstraint(
                fields=["young_person"],
                condition=models.Q(restored_at__isnull=True),
                name="archive_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.young_person_id}: {self.get_reason_display()}"

    @property
    def is_positive(self) -> bool:
        return self.reason in POSITIVE_REASONS


class DropoutRisk(models.Model):
    """The last computed dropout early warning of a young person (one row each, replaced by
    `risk.refresh_risks`). Counselors only: never shown to the young person."""

    young_person = models.OneToOneField(
        YoungPerson, on_delete=models.CASCADE, primary_key=True, related_name="dropout_risk"
    )
    level = models.CharField("niveau", max_length=8, choices=RiskLevel.choices)
    score = models.PositiveSmallIntegerField("score")
    # Plain French sentences, most weighty first ("Aucune connexion depuis 18 jours").
    reasons = models.JSONField("raisons", default=list)
    # The raw figures behind the reasons, for the API and for tuning the rules.
    signals = models.JSONField(default=dict)
    computed_at = models.DateTimeField("calculé le")

    class Meta:
        verbose_name = "risque de décrochage"
        indexes = [models.Index(fields=["level", "-score"])]

    def __str__(self):
        return f"{self.young_person_id}: {self.level} ({self.score})"
