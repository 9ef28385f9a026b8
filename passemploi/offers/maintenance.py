"""The daily clean-up of the catalogue."""

from django.utils import timezone

from passemploi.offers.models import Offer

BATCH = 5000


def remove_expired_offers(now=None) -> str:
    """Delete expired offers nobody follows (followed ones stay, shown as "offre expirée").
    Idempotent; in batches so a large import's expiry never holds a long lock."""
    now = now or timezone.now()
    removed = 0
    while True:
        ids = list(
            Offer.objects.filter(expires_at__lte=now, favourites__isnull=True).values_list(
                "id", flat=True
            )[:BATCH]
        )
        if not ids:
            break
        removed += Offer.objects.filter(id__in=ids).delete()[0]
    return f"{removed} offres expirées supprimées" if removed else ""
