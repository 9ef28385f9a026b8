"""Engagement events (append-only, no content, no names) and their weekly aggregates."""

from django.db import models
from django.utils import timezone

from passemploi.accounts.enums import StructureKind
from passemploi.stats.enums import ActorKind, EventKind, Measure


class EngagementEvent(models.Model):
    """One meaningful act of a young person or a counselor. Identifiers only (no foreign key, so
    that deleting an account never rewrites the statistics), never a text or a name."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_id = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    object_type = models.CharField(max_length=24, blank=True)
    object_id = models.UUIDField(null=True, blank=True)
    structure_id = models.UUIDField(null=True, blank=True, db_index=True)
    structure_kind = models.CharField(max_length=32, choices=StructureKind.choices, blank=True)
    departement = models.CharField(max_length=3, blank=True)
    region = models.CharField(max_length=3, blank=True)

    class Meta:
        verbose_name = "événement d'engagement"
        verbose_name_plural = "événements d'engagement"
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"{self.kind} {self.actor_kind} {self.occurred_at:%Y-%m-%d}"


class WeeklyStat(models.Model):
    """One measure for one week (Monday, Europe/Paris) and one slice: structure kind and region
    ("" means all). Rebuilt by `aggregate_weeks`, read by the public page."""

    week = models.DateField()
    structure_kind = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=3, blank=True)
    measure = models.CharField(max_length=32, choices=Measure.choices)
    value = models.PositiveIntegerField()

    class Meta:
        verbose_name = "statistique hebdomadaire"
        constraints = [
            models.UniqueConstraint(
                fields=["week", "structure_kind", "region", "measure"], name="one_stat_per_slice"
            )
        ]
        indexes = [models.Index(fields=["measure", "week"])]

    def __str__(self):
        return f"{self.week} {self.structure_kind or '*'} {self.region or '*'} {self.measure}"
