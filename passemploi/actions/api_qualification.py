"""Actions API: qualification by counselors, the weekly hour counter, reference data."""

import uuid

from ninja import Query

from passemploi.accounts import services as accounts_services
from passemploi.accounts.access import get_young_person_for_user
from passemploi.accounts.schemas import ErrorOut
from passemploi.actions import catalogue, counter, services
from passemploi.actions.access import actions_visible_to, get_action_for_user
from passemploi.actions.api import router
from passemploi.actions.api_support import (
    ACTION,
    ERRORS,
    WRITE_ERRORS,
    action_out,
    caller,
    counselor_caller,
    young_person_for,
)
from passemploi.actions.enums import (
    DEFAULT_HOURS,
    ActionCategory,
    ActionStatus,
    QualificationCode,
)
from passemploi.actions.schemas import (
    ActionListOut,
    ActionOut,
    BulkQualifyIn,
    CataloguesOut,
    HourCounterOut,
    HourCounterQuery,
    HourCounterSettingIn,
    HourCounterSettingOut,
    QualifyIn,
)
from passemploi.core.errors import ServiceError

# --- qualification -------------------------------------------------------------------------------


@router.post(
    ACTION + "/qualify",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Qualifier une action",
    description=(
        "Le conseiller valide une action terminée en situation non professionnelle (code SNP, "
        "heures, dates, commentaire, tous préremplis par défaut). Elle compte alors en heures "
        "validées et ne peut plus changer."
    ),
)
def qualify_action(request, action_id: uuid.UUID, payload: QualifyIn):
    user = counselor_caller(request)
    action = get_action_for_user(user, action_id)
    action = services.qualify_action(user, action, **payload.dict())
    return action_out(user, action)


@router.post(
    "/actions/qualify",
    response={200: ActionListOut, **WRITE_ERRORS},
    summary="Qualifier plusieurs actions",
    description=(
        "Qualifie d'un coup des actions terminées avec leurs valeurs par défaut : toutes ou "
        "aucune (une seule refusée, rien n'est qualifié)."
    ),
)
def qualify_actions(request, payload: BulkQualifyIn):
    user = counselor_caller(request)
    wanted = list(dict.fromkeys(payload.action_ids))
    found = {
        action.pk: action
        for action in actions_visible_to(user)
        .select_related("young_person__structure")
        .filter(pk__in=wanted)
    }
    if len(found) != len(wanted):
        raise ServiceError("not_found", "Cette ressource n'existe pas.", status=404)
    actions = services.qualify_actions(user, [found[pk] for pk in wanted], code=payload.code)
    return {"items": [action_out(user, action) for action in actions]}


# --- hour counter and reference ------------------------------------------------------------------


@router.get(
    "/hour-counter",
    response={200: HourCounterOut, 400: ErrorOut, **ERRORS},
    summary="Compteur d'heures de la semaine",
    description=(
        "Heures déclarées et validées d'un jeune sur une semaine (lundi–dimanche, dans le fuseau "
        "de sa structure), face à l'objectif de 15 heures. Un jeune obtient le sien ; un "
        "conseiller précise `young_person_id`."
    ),
)
def hour_counter(request, query: Query[HourCounterQuery]):
    user = caller(request)
    young_person = young_person_for(user, query.young_person_id)
    span = counter.Week.of(query.week or counter.local_today(young_person))
    hours = counter.hours_of(young_person, span)
    return {
        "young_person_id": young_person.pk,
        "week_start": span.start,
        "week_end": span.end,
        "declared_hours": hours.declared,
        "validated_hours": hours.validated,
        "target_hours": counter.WEEKLY_TARGET,
        "encouragement": hours.encouragement,
        "enabled": young_person.hour_counter_enabled,
    }


@router.get(
    "/action-categories",
    response={200: CataloguesOut, **ERRORS},
    summary="Catégories et catalogues d'actions",
    description=(
        "Les catégories (heures par défaut, suggestions pour le jeune), les statuts, les codes "
        "de qualification et le catalogue d'actions prédéfinies des conseillers."
    ),
)
def action_categories(request):
    caller(request)
    return {
        "categories": [
            {
                "code": category.value,
                "label": category.label,
                "default_hours": DEFAULT_HOURS[category.value],
                "suggestions": [
                    {"title": s.title, "description": s.description, "batch": s.batch}
                    for s in catalogue.SUGGESTIONS.get(category, [])
                ],
            }
            for category in ActionCategory
        ],
        "statuses": [{"value": s.value, "label": s.label} for s in ActionStatus],
        "qualification_codes": [
            {"code": code.value, "label": code.label, "default_hours": DEFAULT_HOURS[code.value]}
            for code in QualificationCode
        ],
        "predefined_actions": [
            {"title": title, "category": category, "category_label": ActionCategory(category).label}
            for title, category in catalogue.PREDEFINED
        ],
    }


@router.put(
    "/young-people/{uuid:young_person_id}/hour-counter",
    response={200: HourCounterSettingOut, **WRITE_ERRORS},
    summary="Activer ou masquer le compteur d'heures d'un jeune",
    description=(
        "Un conseiller montre (ou masque) au jeune son compteur d'heures hebdomadaire. "
        "Le conseiller voit toujours le compteur."
    ),
)
def set_hour_counter(request, young_person_id: uuid.UUID, payload: HourCounterSettingIn):
    user = counselor_caller(request)
    young_person = get_young_person_for_user(user, young_person_id)
    accounts_services.set_hour_counter(user, young_person, payload.enabled)
    return {"young_person_id": young_person.pk, "enabled": young_person.hour_counter_enabled}
