"""Followed offers ("Suivi des offres"): the writes, and the "Avez-vous postulé ?" flow."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from passemploi.accounts.access import get_young_person_for_user, young_person_of
from passemploi.actions.counter import local_today
from passemploi.actions.enums import ActionCategory, ActionStatus
from passemploi.actions.services import create_action
from passemploi.core.errors import ServiceError
from passemploi.offers.enums import FavouriteStatus
from passemploi.offers.models import Favourite, FavouritesSharing, Offer

# Answers to "Avez-vous postulé ?"
ANSWER_YES = "yes"
ANSWER_NOT_YET = "not_yet"
ANSWER_NOT_INTERESTED = "not_interested"
ANSWERS = (ANSWER_YES, ANSWER_NOT_YET, ANSWER_NOT_INTERESTED)


def require_young_person(user):
    young_person = young_person_of(user)
    if young_person is None:
        raise ServiceError("forbidden", "Réservé aux bénéficiaires.", status=403)
    return young_person


def favourites_of(user):
    """The caller's followed offers (young people only; counselors: see the issue's sharing)."""
    young_person = young_person_of(user)
    if young_person is None:
        return Favourite.objects.none()
    return Favourite.objects.filter(young_person=young_person).select_related("offer__commune")


def get_favourite_for_user(user, pk) -> Favourite:
    """One followed offer of the caller; another person's or a missing one is a 404."""
    try:
        return favourites_of(user).get(pk=pk)
    except (Favourite.DoesNotExist, ValueError, TypeError):
        raise Http404("Offre suivie introuvable") from None


def favourite_for_offer(user, offer: Offer) -> Favourite | None:
    young_person = young_person_of(user)
    if young_person is None:
        return None
    return Favourite.objects.filter(young_person=young_person, offer=offer).first()


def save_offer(user, offer: Offer) -> tuple[Favourite, bool]:
    """Follow an offer; following it again returns the existing one (idempotent)."""
    young_person = require_young_person(user)
    existing = Favourite.objects.filter(young_person=young_person, offer=offer).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Favourite.objects.create(young_person=young_person, offer=offer), True
    except IntegrityError:  # a concurrent retry won the race
        return Favourite.objects.get(young_person=young_person, offer=offer), False


def remove_favourite(user, favourite: Favourite) -> None:
    require_young_person(user)
    favourite.delete()


def change_status(user, favourite: Favourite, status: str) -> Favourite:
    require_young_person(user)
    if status not in FavouriteStatus.values:
        raise ServiceError("invalid_status", "Cet état n'existe pas.", "status", status=422)
    favourite.status = status
    favourite.apply_clicked_at = None
    if status == FavouriteStatus.APPLIED and favourite.applied_at is None:
        favourite.applied_at = timezone.now()
    favourite.save(update_fields=["status", "apply_clicked_at", "applied_at", "updated_at"])
    return favourite


def record_apply_click(user, offer: Offer) -> Favourite | None:
    """ "Postuler" was followed: save the offer if needed and ask on return."""
    if young_person_of(user) is None:
        return None  # a counselor looking at the offer
    favourite, _ = save_offer(user, offer)
    if favourite.status == FavouriteStatus.SAVED:
        favourite.apply_clicked_at = timezone.now()
        favourite.save(update_fields=["apply_clicked_at", "updated_at"])
    return favourite


def applied_action_title(offer: Offer) -> str:
    company = offer.company or offer.establishment or "l'employeur"
    return f"J'ai postulé à l'offre {offer.title} chez {company}"[:200]


def answer_applied(user, favourite: Favourite, answer: str) -> Favourite:
    """The answer to "Avez-vous postulé ?": yes → applied; not yet → ask later; no longer
    interested → not interested."""
    if answer not in ANSWERS:
        raise ServiceError("invalid_answer", "Réponse invalide.", "answer", status=422)
    if answer == ANSWER_YES:
        return change_status(user, favourite, FavouriteStatus.APPLIED)
    if answer == ANSWER_NOT_INTERESTED:
        return change_status(user, favourite, FavouriteStatus.NOT_INTERESTED)
    require_young_person(user)
    favourite.apply_clicked_at = None
    favourite.save(update_fields=["apply_clicked_at", "updated_at"])
    return favourite


def create_applied_action(user, favourite: Favourite):
    """The done action "J'ai postulé à l'offre X chez Y" (EMPLOI), once per followed offer."""
    young_person = require_young_person(user)
    if favourite.status != FavouriteStatus.APPLIED:
        raise ServiceError("not_applied", "Indiquez d'abord que vous avez postulé.", status=409)
    if favourite.action_id is not None:
        return favourite.action
    action, _ = create_action(
        actor=user,
        young_person=young_person,
        title=applied_action_title(favourite.offer),
        category=ActionCategory.EMPLOI,
        due_date=local_today(young_person),
        status=ActionStatus.DONE,
        description=favourite.offer.apply_url,
    )
    favourite.action = action
    favourite.save(update_fields=["action", "updated_at"])
    return action


def is_shared(young_person) -> bool:
    return FavouritesSharing.objects.filter(young_person=young_person, shared=True).exists()


def set_sharing(user, shared: bool) -> bool:
    """The young person's switch "Mon conseiller peut voir les offres que je suis"."""
    young_person = require_young_person(user)
    FavouritesSharing.objects.update_or_create(
        young_person=young_person, defaults={"shared": bool(shared)}
    )
    return bool(shared)


def shared_favourites_for(user, young_person_id):
    """(young person, shared?, their followed offers) for one of the caller's young people:
    the offers only when the young person shares them. A young person outside the caller's
    reach is a 404."""
    young_person = get_young_person_for_user(user, young_person_id)
    shared = is_shared(young_person)
    items = Favourite.objects.none()
    if shared or young_person_of(user) == young_person:
        items = Favourite.objects.filter(young_person=young_person).select_related("offer__commune")
    return young_person, shared, items
