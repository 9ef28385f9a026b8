"""The offers catalogue: jobs, work-study contracts, immersions and civic-service missions.

Full-text search is not a model field: PostgreSQL carries a generated ``search_vector`` column
and SQLite an FTS5 table kept in step by triggers, both created by migration 0002 (see
``offers/search.py`` and docs/offers.md)."""

import uuid

from django.db import models
from django.utils import timezone

from passemploi.offers.enums import (
    CivicDomain,
    ContactMode,
    ContractType,
    Experience,
    FavouriteStatus,
    OfferKind,
    WorkingTime,
)


class Offer(models.Model):
    kind = models.CharField("type", max_length=20, choices=OfferKind.choices)
    source = models.CharField(max_length=30, help_text="francetravail, immersion, generated…")
    source_id = models.CharField(max_length=64)
    title = models.CharField("intitulé", max_length=200)
    company = models.CharField("entreprise", max_length=200, blank=True)
    description = models.TextField(blank=True)
    contract_type = models.CharField(
        "type de contrat", max_length=24, choices=ContractType.choices, blank=True
    )
    working_time = models.CharField(
        "durée du travail", max_length=12, choices=WorkingTime.choices, blank=True
    )
    duration = models.CharField("durée", max_length=100, blank=True)
    salary = models.CharField("salaire", max_length=200, blank=True)
    experience = models.CharField(
        "expérience", max_length=20, choices=Experience.choices, default=Experience.BEGINNER
    )
    qualifications = models.TextField(blank=True)
    rome_code = models.CharField("code ROME", max_length=5, blank=True, db_index=True)
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="offers"
    )
    place_label = models.CharField("lieu", max_length=150, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    departement = models.CharField(max_length=3, blank=True)
    published_at = models.DateTimeField("publiée le")
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    apply_url = models.URLField("lien pour postuler", max_length=500, blank=True)
    # Immersion (PMSMP)
    establishment = models.CharField("établissement", max_length=200, blank=True)
    sector = models.CharField("secteur", max_length=200, blank=True)
    contact_mode = models.CharField(
        "mode de contact", max_length=12, choices=ContactMode.choices, blank=True
    )
    # Civic service
    domain = models.CharField("domaine", max_length=24, choices=CivicDomain.choices, blank=True)
    start_date = models.DateField("début", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "offre"
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="offers_unique_source_id")
        ]
        indexes = [
            # The bounding box of a radius search: a range on latitude, then longitude.
            models.Index(fields=["latitude", "longitude"], name="offers_lat_lon"),
            models.Index(fields=["-published_at", "-id"], name="offers_published"),
            models.Index(fields=["departement", "-published_at"], name="offers_departement"),
            models.Index(fields=["kind", "-published_at"], name="offers_kind"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_beginner_friendly(self) -> bool:
        return self.experience == Experience.BEGINNER

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class Favourite(models.Model):
    """An offer a young person follows ("Suivi des offres"): saved, applied, not interested."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    young_person = models.ForeignKey(
        "accounts.YoungPerson", on_delete=models.CASCADE, related_name="favourites"
    )
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="favourites")
    status = models.CharField(
        "état", max_length=16, choices=FavouriteStatus.choices, default=FavouriteStatus.SAVED
    )
    # Set when "Postuler" was followed and the "Avez-vous postulé ?" question not answered yet.
    apply_clicked_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    action = models.ForeignKey(
        "actions.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "offre suivie"
        verbose_name_plural = "offres suivies"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["young_person", "offer"], name="offers_one_favourite_per_offer"
            )
        ]

    def __str__(self):
        return f"{self.young_person_id} → {self.offer_id} ({self.status})"

    @property
    def asks_if_applied(self) -> bool:
        return self.apply_clicked_at is not None and self.status == FavouriteStatus.SAVED


class FavouritesSharing(models.Model):
    """The young person's choice to let their counselors see their followed offers (off by
    default: what one applies to is theirs to share)."""

    young_person = models.OneToOneField(
        "accounts.YoungPerson",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="favourites_sharing",
    )
    shared = models.BooleanField("partagé avec le conseiller", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "partage du suivi des offres"

    def __str__(self):
        return f"{self.young_person_id}: {'partagé' if self.shared else 'non partagé'}"


from passemploi.offers.models_alerts import (  # noqa: E402 - registered with the app's models
    Alert,
    AlertSuggestion,
    OfferShare,
    OfferShareRecipient,
)

__all__ = [
    "Alert",
    "AlertSuggestion",
    "Favourite",
    "FavouritesSharing",
    "Offer",
    "OfferShare",
    "OfferShareRecipient",
]
