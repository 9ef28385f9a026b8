import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from passemploi.accounts.models import YoungPerson
from passemploi.actions.enums import (
    DEFAULT_HOURS,
    ActionCategory,
    ActionStatus,
    CreatorRole,
    QualificationCode,
)

TITLE_MAX = 255


class Action(models.Model):
    """Something a young person plans or did (démarche for France Travail schemes)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField("titre", max_length=TITLE_MAX)
    description = models.TextField("description", blank=True)
    category = models.CharField("catégorie", max_length=32, choices=ActionCategory.choices)
    status = models.CharField(
        "statut", max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    # Calendar dates in the young person's local time: the week an action falls in never
    # depends on the server's time zone.
    due_date = models.DateField("échéance")
    start_date = models.DateField("date de début", null=True, blank=True)
    end_date = models.DateField("date de fin réelle", null=True, blank=True)
    reminder = models.BooleanField("rappel", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    creator_role = models.CharField(max_length=16, choices=CreatorRole.choices)
    qualification_code = models.CharField(
        "code de qualification", max_length=32, choices=QualificationCode.choices, blank=True
    )
    qualified_hours = models.DecimalField(
        "heures qualifiées", max_digits=4, decimal_places=1, null=True, blank=True
    )
    qualification_comment = models.CharField(
        "commentaire de qualification", max_length=255, blank=True
    )
    qualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    qualified_at = models.DateTimeField("qualifiée le", null=True, blank=True)
    # Idempotent creation from flaky phones: a retried request returns the first action.
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "action"
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["young_person", "due_date"]),
            models.Index(fields=["young_person", "end_date"]),
            models.Index(fields=["status", "qualified_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="action_client_id_unique_per_user",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_qualified(self) -> bool:
        return self.qualified_at is not None

    def is_late(self, today) -> bool:
        return self.due_date < today and self.status not in (
            ActionStatus.DONE,
            ActionStatus.CANCELED,
        )

    @property
    def hours(self):
        """Hours this action counts for: qualified hours, else the category's default."""
        if self.qualified_hours is not None:
            return self.qualified_hours
        return DEFAULT_HOURS.get(self.category, 0)


class ActionComment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    body = models.TextField("commentaire")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "commentaire"
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:50]


class ActionHistory(models.Model):
    """Who changed what on an action, when: {field: [old, new]} as displayable strings."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    at = models.DateTimeField(default=timezone.now)
    event = models.CharField(max_length=16)  # created, updated, status, qualified, auto_qualified
    changes = models.JSONField(default=dict)

    class Meta:
        verbose_name = "historique"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.event} {self.at:%Y-%m-%d %H:%M}"
