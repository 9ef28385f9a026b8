"""Cards of offers shared in the chat (see passemploi/chat/shared.py): title, company and
place, and the offer page of the viewer's side."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from passemploi.accounts.access import young_person_of
from passemploi.chat.shared import Card, register
from passemploi.offers.models import Offer
from passemploi.offers.shares import offer_pk_of


def resolve_offers(viewer, ids, role) -> dict:
    """One query: offers not expired, or expired but followed by the viewing young person."""
    by_pk = {}
    for shared_id in ids:
        pk = offer_pk_of(shared_id)
        if pk is not None:
            by_pk[pk] = shared_id
    if not by_pk:
        return {}
    visible = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    young_person = young_person_of(viewer)
    if young_person is not None:
        visible |= Q(favourites__young_person=young_person)
    name = "offers_young:detail" if role == "young_person" else "offers_counselor:detail"
    cards = {}
    for offer in Offer.objects.filter(visible, pk__in=list(by_pk)).distinct():
        where = " · ".join(
            p for p in (offer.company or offer.establishment, offer.place_label) if p
        )
        cards[by_pk[offer.pk]] = Card(
            type="offer",
            id=by_pk[offer.pk],
            title=offer.title,
            detail=f"Offre · {offer.get_kind_display()}" + (f" · {where}" if where else ""),
            url=reverse(name, args=[offer.pk]),
        )
    return cards


register("offer", resolve_offers)
