"""Alerts (saved searches), the searches a counselor suggests, and offers shared by a counselor.

Criteria are stored as the keyword arguments of ``criteria.build_criteria`` (without sort and
paging), so a stored search is validated again, against today's communes, every time it runs."""

import uuid

from django.db import models
from django.utils import timezone

from passemploi.offers.enums import SuggestionStatus

NAME_MAX = 100


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    young_person = models.ForeignKey(
        "accounts.YoungPerson", on_delete=models.CASCADE, related_name="offer_alerts"
    )
    name = models.CharField("nom", max_length=NAME_MAX)
    criteria = models.JSONField("critères", default=dict)
    summary = models.CharField("résumé", max_length=300, blank=True)
    # Offers published after this instant are "new" at the next run.
    last_run_at = models.DateTimeField("dernière recherche", default=timezone.now)
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "alerte"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["young_person", "client_id"], name="offers_alert_unique_client_id"
            )
        ]

    def __str__(self):
        return self.name


class AlertSuggestion(models.Model):
    """A search a counselor suggests to a young person, who accepts (it becomes an alert) or
    refuses it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    young_person = models.ForeignKey(
        "accounts.YoungPerson", on_delete=models.CASCADE, related_name="alert_suggestions"
    )
    counselor = models.ForeignKey(
        "accounts.Counselor", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField("nom", max_length=NAME_MAX)
    criteria = models.JSONField("critères", default=dict)
    summary = models.CharField("résumé", max_length=300, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "suggestion de recherche"
        verbose_name_plural = "suggestions de recherche"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.status})"


class OfferShare(models.Model):
    """One "Partager" of an offer by a counselor, to several young people at once; each
    recipient gets an offer card in their conversation. Idempotent per (sender, client id)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sender = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey("offers.Offer", on_delete=models.CASCADE, related_name="shares")
    client_id = models.UUIDField()
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "partage d'offre"
        verbose_name_plural = "partages d'offres"
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "client_id"], name="offers_share_unique_client_id"
            )
        ]

    def __str__(self):
        return f"{self.offer_id} × {self.recipient_count}"


class OfferShareRecipient(models.Model):
    share = models.ForeignKey(OfferShare, on_delete=models.CASCADE, related_name="recipients")
    young_person = models.ForeignKey(
        "accounts.YoungPerson", on_delete=models.CASCADE, related_name="shared_offers"
    )
    message = models.ForeignKey(
        "chat.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "destinataire d'un partage"
        constraints = [
            models.UniqueConstraint(
                fields=["share", "young_person"], name="offers_share_one_per_recipient"
            )
        ]

    def __str__(self):
        return f"{self.share_id} → {self.young_person_id}"
