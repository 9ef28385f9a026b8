"""Reading offers: the catalogue is open to every signed-in account while an offer is not
expired; after that, only to the young people who follow it (shown as "offre expirée")."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from passemploi.accounts.access import young_person_of
from passemploi.offers.models import Offer


def get_offer(pk, user=None) -> Offer:
    now = timezone.now()
    visible = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    young_person = young_person_of(user) if user is not None else None
    if young_person is not None:
        visible |= Q(favourites__young_person=young_person)
    offer = Offer.objects.select_related("commune").filter(visible, pk=pk).first()
    if offer is None:
        raise Http404("Offre introuvable")
    return offer
