"""Alerts, suggested searches and shared offers under /api/v1/ (alerts, suggestions, shares)."""

import uuid

from ninja import Query, Status

from passemploi.accounts.schemas import ErrorOut
from passemploi.core.api_support import caller, counselor_caller
from passemploi.offers import services, shares
from passemploi.offers.access import get_offer
from passemploi.offers.api import router
from passemploi.offers.favourites import require_young_person
from passemploi.offers.schemas_alerts import (
    AlertIn,
    AlertList,
    AlertOut,
    AlertRenameIn,
    AlertSuggestionIn,
    AlertSuggestionList,
    AlertSuggestionOut,
    OffersPageQuery,
    SharedOfferList,
    ShareIn,
    ShareOut,
)
from passemploi.offers.serializers import offer_out

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
ALERT = "/alerts/{uuid:alert_id}"
SUGGESTION = "/suggestions/{uuid:suggestion_id}"
API_TO_STORED = {
    "kind": "kinds",
    "contract_type": "contract_types",
    "working_time": "working_times",
    "experience": "experiences",
}


def _values(criteria) -> dict:
    data = criteria.dict()
    values = {API_TO_STORED.get(key, key): value for key, value in data.items()}
    for key in API_TO_STORED.values():
        values[key] = [str(v) for v in values[key]]
    values["domain"] = str(values["domain"] or "")
    return values


def criteria_out(stored: dict, summary: str) -> dict:
    out = {api: stored.get(key, []) for api, key in API_TO_STORED.items()}
    for key in ("commune", "radius_km", "departement", "domain", "rome_code"):
        out[key] = stored.get(key)
    out["q"] = stored.get("q", "")
    out["summary"] = summary
    return out


def alert_out(alert) -> dict:
    return {
        "id": alert.pk,
        "name": alert.name,
        "criteria": criteria_out(alert.criteria, alert.summary),
        "last_run_at": alert.last_run_at,
        "created_at": alert.created_at,
    }


def suggestion_out(suggestion) -> dict:
    return {
        "id": suggestion.pk,
        "young_person_id": suggestion.young_person_id,
        "name": suggestion.name,
        "criteria": criteria_out(suggestion.criteria, suggestion.summary),
        "status": suggestion.status,
        "status_label": suggestion.get_status_display(),
        "alert_id": suggestion.alert_id,
        "created_at": suggestion.created_at,
    }


# --- alerts --------------------------------------------------------------------------------------


@router.get(
    "/alerts",
    response={200: AlertList, **ERRORS},
    summary="Lister mes alertes",
    description="Les recherches sauvegardées du jeune ; chaque matin, les nouvelles offres.",
)
def list_alerts(request):
    require_young_person(request.auth)
    items = [alert_out(a) for a in services.alerts_of(request.auth)]
    return {"items": items, "count": len(items)}


@router.post(
    "/alerts",
    response={200: AlertOut, 201: AlertOut, **ERRORS},
    summary="Créer une alerte",
    description=(
        "Sauvegarde des critères de recherche sous un nom (au moins un critère : sinon 422 "
        "empty_criteria). Idempotent par client_id."
    ),
)
def create_alert(request, payload: AlertIn):
    alert, created = services.create_alert(
        request.auth, payload.name, _values(payload.criteria), client_id=payload.client_id
    )
    return Status(201 if created else 200, alert_out(alert))


@router.patch(
    ALERT,
    response={200: AlertOut, **ERRORS},
    summary="Renommer une alerte",
    description="Change le nom d'une alerte ; ses critères ne changent pas.",
)
def rename_alert(request, alert_id: uuid.UUID, payload: AlertRenameIn):
    require_young_person(request.auth)
    alert = services.get_alert_for_user(request.auth, alert_id)
    return alert_out(services.rename_alert(request.auth, alert, payload.name))


@router.delete(
    ALERT,
    response={204: None, **ERRORS},
    summary="Supprimer une alerte",
    description="Plus aucune notification pour cette recherche.",
)
def delete_alert(request, alert_id: uuid.UUID):
    require_young_person(request.auth)
    services.delete_alert(request.auth, services.get_alert_for_user(request.auth, alert_id))
    return Status(204, None)


# --- suggestions ---------------------------------------------------------------------------------


@router.get(
    "/suggestions",
    response={200: AlertSuggestionList, **ERRORS},
    summary="Lister les recherches suggérées",
    description="Pour un jeune, celles que son conseiller lui a suggérées ; pour un conseiller, "
    "celles qu'il a faites.",
)
def list_suggestions(request, page: Query[OffersPageQuery]):
    user = caller(request)
    suggestions = services.suggestions_visible_to(user)
    items = [suggestion_out(s) for s in suggestions[page.offset : page.offset + page.limit]]
    return {"items": items, "count": suggestions.count()}


@router.post(
    "/suggestions",
    response={201: AlertSuggestionOut, **ERRORS},
    summary="Suggérer une recherche",
    description="Le conseiller suggère une recherche à un jeune, qui l'accepte ou la refuse.",
)
def create_suggestion(request, payload: AlertSuggestionIn):
    user = counselor_caller(request)
    suggestion = services.suggest_search(
        user, payload.young_person_id, payload.name, _values(payload.criteria)
    )
    return Status(201, suggestion_out(suggestion))


def _answer(request, suggestion_id, accept: bool):
    require_young_person(request.auth)
    suggestion = services.get_suggestion_for_young_person(request.auth, suggestion_id)
    return suggestion_out(services.answer_suggestion(request.auth, suggestion, accept))


@router.post(
    SUGGESTION + "/accept",
    response={200: AlertSuggestionOut, **ERRORS},
    summary="Accepter une recherche suggérée",
    description="La recherche devient une alerte du jeune.",
)
def accept_suggestion(request, suggestion_id: uuid.UUID):
    return _answer(request, suggestion_id, True)


@router.post(
    SUGGESTION + "/refuse",
    response={200: AlertSuggestionOut, **ERRORS},
    summary="Refuser une recherche suggérée",
    description="La suggestion est refusée ; aucune alerte n'est créée.",
)
def refuse_suggestion(request, suggestion_id: uuid.UUID):
    return _answer(request, suggestion_id, False)


# --- shares --------------------------------------------------------------------------------------


@router.post(
    "/shares",
    response={200: ShareOut, 201: ShareOut, **ERRORS},
    summary="Partager une offre",
    description=(
        "Le conseiller partage une offre à des jeunes de son portefeuille et aux membres de ses "
        "listes de diffusion : une carte « offre » arrive dans chaque conversation. Idempotent "
        "par client_id."
    ),
)
def create_share(request, payload: ShareIn):
    user = counselor_caller(request)
    share, created = shares.share_offer(
        user,
        get_offer(payload.offer_id, user),
        client_id=payload.client_id,
        young_person_ids=payload.young_person_ids,
        list_ids=payload.list_ids,
        body=payload.body,
    )
    out = {
        "id": share.pk,
        "offer_id": share.offer_id,
        "recipient_count": share.recipient_count,
        "created_at": share.created_at,
    }
    return Status(201 if created else 200, out)


@router.get(
    "/shares",
    response={200: SharedOfferList, **ERRORS},
    summary="Offres partagées par mon conseiller",
    description="Pour un jeune : les offres que ses conseillers lui ont partagées.",
)
def list_shares(request, page: Query[OffersPageQuery]):
    require_young_person(request.auth)
    received = shares.offers_shared_with(request.auth)
    items = [
        {"share_id": r.share_id, "shared_at": r.share.created_at, "offer": offer_out(r.share.offer)}
        for r in received[page.offset : page.offset + page.limit]
    ]
    return {"items": items, "count": received.count()}
