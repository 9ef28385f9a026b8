"""Followed offers under /api/v1/favourites (young people only; others get 403)."""

import uuid

from ninja import Field, Schema, Status
from pydantic import StrictBool

from passemploi.accounts.enums import Role
from passemploi.accounts.schemas import ErrorOut
from passemploi.core.errors import ServiceError
from passemploi.offers import favourites as services
from passemploi.offers.access import get_offer
from passemploi.offers.api import router
from passemploi.offers.enums import FavouriteStatus
from passemploi.offers.schemas import OfferOut
from passemploi.offers.serializers import offer_out

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
FAVOURITE = "/favourites/{uuid:favourite_id}"


class FavouriteIn(Schema):
    offer_id: int = Field(..., examples=[1234])


class FavouriteStatusIn(Schema):
    status: str = Field(..., json_schema_extra={"enum": list(FavouriteStatus.values)})


class FavouriteAnswerIn(Schema):
    answer: str = Field(
        ...,
        description="Réponse à « Avez-vous postulé ? »",
        json_schema_extra={"enum": list(services.ANSWERS)},
    )
    create_action: StrictBool = Field(
        False, description="Avec « yes » : créer l'action « J'ai postulé à l'offre X chez Y »"
    )


class FavouriteOut(Schema):
    id: uuid.UUID
    status: str = Field(..., json_schema_extra={"enum": list(FavouriteStatus.values)})
    status_label: str = Field(..., examples=["Postulée"])
    asks_if_applied: bool = Field(..., description="« Postuler » suivi, question sans réponse")
    applied_at: str | None
    action_id: uuid.UUID | None
    offer: OfferOut


class FavouriteList(Schema):
    items: list[FavouriteOut]
    count: int


class SharingIn(Schema):
    shared: StrictBool = Field(..., description="Le conseiller peut voir les offres suivies")


class SharingOut(Schema):
    shared: bool


class SharedFavouriteList(Schema):
    shared: bool = Field(..., description="Le jeune partage-t-il son suivi des offres ?")
    items: list[FavouriteOut] = Field(..., description="Vide tant qu'il ne le partage pas")
    count: int


def favourite_out(favourite) -> dict:
    return {
        "id": favourite.pk,
        "status": favourite.status,
        "status_label": favourite.get_status_display(),
        "asks_if_applied": favourite.asks_if_applied,
        "applied_at": favourite.applied_at.isoformat() if favourite.applied_at else None,
        "action_id": favourite.action_id,
        "offer": offer_out(favourite.offer),
    }


def _young(request):
    services.require_young_person(request.auth)


@router.get(
    "/favourites",
    response={200: FavouriteList, **ERRORS},
    summary="Lister les offres suivies",
    description="Le « Suivi des offres » du jeune : sauvegardées, postulées, pas intéressé.",
)
def list_favourites(request):
    _young(request)
    items = [favourite_out(f) for f in services.favourites_of(request.auth)]
    return {"items": items, "count": len(items)}


@router.post(
    "/favourites",
    response={200: FavouriteOut, 201: FavouriteOut, **ERRORS},
    summary="Suivre une offre",
    description="Idempotent : suivre une offre déjà suivie renvoie la même (200).",
)
def create_favourite(request, payload: FavouriteIn):
    _young(request)
    favourite, created = services.save_offer(request.auth, get_offer(payload.offer_id))
    return Status(201 if created else 200, favourite_out(favourite))


@router.patch(
    FAVOURITE,
    response={200: FavouriteOut, **ERRORS},
    summary="Changer l'état d'une offre suivie",
    description="sauvegardée → postulée → pas intéressé (dans n'importe quel ordre).",
)
def patch_favourite(request, favourite_id: uuid.UUID, payload: FavouriteStatusIn):
    _young(request)
    favourite = services.get_favourite_for_user(request.auth, favourite_id)
    return favourite_out(services.change_status(request.auth, favourite, payload.status))


@router.delete(
    FAVOURITE,
    response={204: None, **ERRORS},
    summary="Ne plus suivre une offre",
    description="Retire l'offre du suivi.",
)
def delete_favourite(request, favourite_id: uuid.UUID):
    _young(request)
    favourite = services.get_favourite_for_user(request.auth, favourite_id)
    services.remove_favourite(request.auth, favourite)
    return Status(204, None)


@router.post(
    FAVOURITE + "/answer",
    response={200: FavouriteOut, **ERRORS},
    summary="Répondre à « Avez-vous postulé ? »",
    description=(
        "yes → postulée (et, avec create_action, l'action terminée « J'ai postulé à l'offre X "
        "chez Y », catégorie EMPLOI) ; not_yet → plus tard ; not_interested → pas intéressé."
    ),
)
def answer_favourite(request, favourite_id: uuid.UUID, payload: FavouriteAnswerIn):
    _young(request)
    favourite = services.get_favourite_for_user(request.auth, favourite_id)
    favourite = services.answer_applied(request.auth, favourite, payload.answer)
    if payload.answer == services.ANSWER_YES and payload.create_action:
        services.create_applied_action(request.auth, favourite)
    return favourite_out(favourite)


@router.put(
    "/favourites/sharing",
    response={200: SharingOut, **ERRORS},
    summary="Partager son suivi des offres",
    description="Le jeune choisit si ses conseillers voient les offres qu'il suit.",
)
def put_sharing(request, payload: SharingIn):
    return {"shared": services.set_sharing(request.auth, payload.shared)}


@router.get(
    "/young-people/{uuid:young_person_id}/favourites",
    response={200: SharedFavouriteList, **ERRORS},
    summary="Offres suivies par un jeune",
    description=(
        "Pour ses conseillers (et lui-même) : les offres qu'il suit, s'il a choisi de les "
        "partager ; sinon une liste vide avec shared=false."
    ),
)
def young_person_favourites(request, young_person_id: uuid.UUID):
    if request.auth.role not in (Role.YOUNG_PERSON, Role.COUNSELOR):
        raise ServiceError(
            "forbidden", "Réservé aux bénéficiaires et à leurs conseillers.", status=403
        )
    _young_person, shared, items = services.shared_favourites_for(request.auth, young_person_id)
    listed = [favourite_out(f) for f in items]
    return {"shared": shared, "items": listed, "count": len(listed)}
