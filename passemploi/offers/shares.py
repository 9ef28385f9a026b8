"""A counselor shares an offer with young people of their portfolio and members of their
broadcast lists: each recipient gets an offer card in their own conversation (one
chat.services.send_message per recipient, the card drawn by offers/chat_cards.py).

Idempotent per client id: each recipient's message carries a client id derived from the share's
(as broadcasts do), the share row is unique per (sender, client id), so a retried share returns
the first one and sends nothing twice."""

import uuid

from django.db import IntegrityError, transaction

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.broadcasts.services import recipient_client_id, resolve_recipients
from passemploi.chat import services as chat_services
from passemploi.core.errors import ServiceError
from passemploi.core.events import publish
from passemploi.offers.models import Offer, OfferShare, OfferShareRecipient

MAX_RECIPIENTS = 500


def offer_shared_id(offer_pk: int) -> uuid.UUID:
    """Chat messages point at shared items by UUID; an offer's integer key maps onto one both
    ways (``uuid.UUID(int=pk)``)."""
    return uuid.UUID(int=int(offer_pk))


def offer_pk_of(shared_id) -> int | None:
    try:
        value = uuid.UUID(str(shared_id)).int
    except (ValueError, TypeError, AttributeError):
        return None
    return value if 0 < value < 2**63 else None


def share_offer(
    actor, offer: Offer, *, client_id, young_person_ids=(), list_ids=(), body: str = ""
) -> tuple[OfferShare, bool]:
    """Returns (share, created). The offer must be open (not expired) to the counselor."""
    if counselor_of(actor) is None:
        raise ServiceError("forbidden", "Réservé aux conseillers.", status=403)
    if client_id is None:
        raise ServiceError("client_id_required", "Identifiant d'envoi manquant.", "client_id")
    existing = OfferShare.objects.filter(sender=actor, client_id=client_id).first()
    if existing is not None:
        return _replayed(existing, offer), False
    recipients = resolve_recipients(counselor_of(actor), young_person_ids, list_ids)
    if not recipients:
        raise ServiceError(
            "no_recipient",
            "Choisissez au moins un bénéficiaire ou une liste.",
            "young_person_ids",
            status=422,
        )
    if len(recipients) > MAX_RECIPIENTS:
        raise ServiceError(
            "too_many_recipients",
            f"Partagez à {MAX_RECIPIENTS} bénéficiaires au plus à la fois.",
            "young_person_ids",
            status=422,
        )
    shared_id = offer_shared_id(offer.pk)
    try:
        with transaction.atomic():
            share = OfferShare.objects.create(
                sender=actor, offer=offer, client_id=client_id, recipient_count=len(recipients)
            )
            rows = []
            for young_person in recipients:
                message, _ = chat_services.send_message(
                    actor,
                    chat_services.conversation_of(young_person),
                    body,
                    shared_type="offer",
                    shared_id=shared_id,
                    client_id=recipient_client_id(client_id, young_person.pk),
                )
                rows.append(
                    OfferShareRecipient(share=share, young_person=young_person, message=message)
                )
            OfferShareRecipient.objects.bulk_create(rows)
            publish(
                [young_person.user_id for young_person in recipients],
                {"type": "offer.shared", "share_id": str(share.pk), "offer_id": offer.pk},
            )
    except IntegrityError:
        existing = OfferShare.objects.filter(sender=actor, client_id=client_id).first()
        if existing is None:
            raise
        return _replayed(existing, offer), False
    return share, True


def _replayed(share: OfferShare, offer: Offer) -> OfferShare:
    if share.offer_id != offer.pk:
        raise ServiceError(
            "client_id_reused",
            "Cet identifiant d'envoi a déjà servi pour une autre offre.",
            "client_id",
            status=409,
        )
    return share


def offers_shared_with(user):
    """The offers counselors shared with the caller (a young person), newest first."""
    young_person = young_person_of(user)
    if young_person is None:
        return OfferShareRecipient.objects.none()
    return (
        OfferShareRecipient.objects.filter(young_person=young_person)
        .select_related("share__offer__commune")
        .order_by("-share__created_at")
    )
