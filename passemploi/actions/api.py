"""The actions API: thin operations over actions.services, fetching through actions.access.

Young people and counselors only (403 for other accounts); a missing or forbidden action or
young person answers 404.
"""

import uuid

from django.db.models import Q
from ninja import Query, Router, Status

from passemploi.accounts.access import get_young_person_for_user
from passemploi.accounts.schemas import ErrorOut
from passemploi.actions import counter, history, services
from passemploi.actions.access import actions_visible_to, get_action_for_user
from passemploi.actions.api_support import (
    ACTION,
    ERRORS,
    WRITE_ERRORS,
    action_out,
    caller,
    counselor_caller,
    local_time,
    paginate,
    person_out,
    today_for,
    young_person_for,
)
from passemploi.actions.enums import (
    ActionCategory,
    ActionStatus,
)
from passemploi.actions.models import Action
from passemploi.actions.schemas import (
    MAX_DATES,
    ActionBatchIn,
    ActionFilters,
    ActionForManyIn,
    ActionIn,
    ActionListOut,
    ActionOut,
    ActionPage,
    ActionPatchIn,
    CommentIn,
    CommentOut,
    CommentPage,
    HistoryPage,
    PageQuery,
    StatusIn,
)
from passemploi.core.errors import ServiceError

router = Router(tags=["Actions"])

# --- actions -------------------------------------------------------------------------------------


@router.get(
    "/actions",
    response={200: ActionPage, 400: ErrorOut, **ERRORS},
    summary="Lister les actions",
    description=(
        "Les actions visibles par l'utilisateur : un jeune les siennes, un conseiller celles de "
        "son portefeuille, un superviseur celles de sa structure ; filtrables et paginées "
        "(triées par échéance)."
    ),
)
def list_actions(request, filters: Query[ActionFilters]):
    user = caller(request)
    actions = actions_visible_to(user).select_related("young_person__structure")
    if filters.young_person_id is not None:
        young_person = get_young_person_for_user(user, filters.young_person_id)
        actions = actions.filter(young_person=young_person)
    status, category, late, week = filters.status, filters.category, filters.late, filters.week
    if status is not None:
        if status not in ActionStatus.values:
            raise ServiceError("invalid_status", "Ce statut n'existe pas.", "status")
        actions = actions.filter(status=status)
    if category is not None:
        if category not in ActionCategory.values:
            raise ServiceError(
                "invalid_category", "Choisissez une catégorie dans la liste.", "category"
            )
        actions = actions.filter(category=category)
    if late is not None:
        is_late = Q(due_date__lt=today_for(user)) & ~Q(
            status__in=[ActionStatus.DONE, ActionStatus.CANCELED]
        )
        actions = actions.filter(is_late if late else ~is_late)
    if week is not None:
        span = counter.Week.of(week)
        actions = actions.filter(
            Q(due_date__range=(span.start, span.end)) | Q(end_date__range=(span.start, span.end))
        )
    if filters.qualified is not None:
        actions = actions.filter(qualified_at__isnull=not filters.qualified)
    actions = actions.order_by("due_date", "created_at", "id")
    return paginate(request, actions, filters, lambda action: action_out(user, action))


def _create_fields(user, payload) -> dict:
    return {
        "actor": user,
        "young_person": young_person_for(user, payload.young_person_id),
        "title": payload.title,
        "description": payload.description,
        "category": payload.category,
        "status": payload.status,
        "reminder": payload.reminder,
    }


@router.post(
    "/actions",
    response={200: ActionOut, 201: ActionOut, **WRITE_ERRORS},
    summary="Créer une action",
    description=(
        "Un jeune crée une action pour lui-même, un conseiller pour un bénéficiaire qu'il suit "
        "(`young_person_id`). Renvoie 201, ou 200 avec l'action déjà créée si `client_id` a déjà "
        "servi (nouvel envoi après une coupure réseau)."
    ),
)
def create_action(request, payload: ActionIn):
    user = caller(request)
    action, created = services.create_action(
        due_date=payload.due_date, client_id=payload.client_id, **_create_fields(user, payload)
    )
    return Status(201 if created else 200, action_out(user, action))


@router.post(
    "/actions/batch",
    response={200: ActionListOut, 201: ActionListOut, **WRITE_ERRORS},
    summary="Créer une action sur plusieurs dates",
    description=(
        f"Crée la même action à chacune des dates données ({MAX_DATES} au plus), par exemple "
        "« Faire du sport » trois jours de la semaine. Avec un `client_id` déjà utilisé, renvoie "
        "les actions déjà créées (200)."
    ),
)
def create_actions_on_dates(request, payload: ActionBatchIn):
    user = caller(request)
    fields = _create_fields(user, payload)
    # The service derives one client_id per date: finding the first date's says it is a retry.
    replay = payload.client_id is not None and bool(payload.dates)
    replay = replay and (
        Action.objects.filter(
            created_by=user,
            client_id=services.item_client_id(payload.client_id, min(payload.dates)),
        ).exists()
    )
    actions = services.create_actions_on_dates(
        dates=payload.dates, client_id=payload.client_id, **fields
    )
    items = [action_out(user, action) for action in actions]
    return Status(200 if replay else 201, {"items": items})


@router.post(
    "/actions/for-young-people",
    response={200: ActionListOut, 201: ActionListOut, **WRITE_ERRORS},
    summary="Créer une action pour plusieurs bénéficiaires",
    description=(
        "Un conseiller donne la même action à plusieurs bénéficiaires qu'il suit, en un envoi : "
        "tout ou rien. Avec un `client_id` déjà utilisé, renvoie les actions déjà créées (200)."
    ),
)
def create_action_for_many(request, payload: ActionForManyIn):
    user = counselor_caller(request)
    young_people = []
    for young_person_id in dict.fromkeys(payload.young_person_ids):
        young_people.append(get_young_person_for_user(user, young_person_id))
    replay = bool(young_people) and payload.client_id is not None
    replay = (
        replay
        and Action.objects.filter(
            created_by=user,
            client_id=services.item_client_id(payload.client_id, young_people[0].pk),
        ).exists()
    )
    actions = services.create_action_for_many(
        actor=user,
        young_people=young_people,
        title=payload.title,
        description=payload.description,
        category=payload.category,
        status=payload.status,
        due_date=payload.due_date,
        reminder=payload.reminder,
        client_id=payload.client_id,
    )
    return Status(200 if replay else 201, {"items": [action_out(user, a) for a in actions]})


@router.get(
    ACTION,
    response={200: ActionOut, **ERRORS},
    summary="Consulter une action",
    description="Une action visible par l'utilisateur, avec sa qualification éventuelle.",
)
def get_action(request, action_id: uuid.UUID):
    user = caller(request)
    return action_out(user, get_action_for_user(user, action_id))


@router.patch(
    ACTION,
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Modifier une action",
    description=(
        "Modifie les champs envoyés (titre, description, catégorie, échéance, date de début, "
        "rappel). Un jeune ne modifie que les actions qu'il a créées ; une action qualifiée ne "
        "se modifie plus (409)."
    ),
)
def update_action(request, action_id: uuid.UUID, payload: ActionPatchIn):
    user = caller(request)
    action = get_action_for_user(user, action_id)
    action = services.update_action(user, action, **payload.dict(exclude_unset=True))
    return action_out(user, action)


@router.delete(
    ACTION,
    response={204: None, 400: ErrorOut, 409: ErrorOut, **ERRORS},
    summary="Supprimer une action",
    description=(
        "Supprime une action non qualifiée. Un jeune ne supprime que les actions qu'il a créées."
    ),
)
def delete_action(request, action_id: uuid.UUID):
    user = caller(request)
    services.delete_action(user, get_action_for_user(user, action_id))
    return Status(204, None)


@router.post(
    ACTION + "/status",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Changer le statut",
    description=(
        "Passe l'action à un autre statut (les dates de début et de fin suivent). Refusé (409) "
        "sur une action qualifiée."
    ),
)
def change_status(request, action_id: uuid.UUID, payload: StatusIn):
    user = caller(request)
    action = get_action_for_user(user, action_id)
    return action_out(user, services.change_status(user, action, payload.status))


@router.post(
    ACTION + "/duplicate",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Dupliquer une action",
    description=(
        "Crée une copie à faire aujourd'hui (titre, catégorie, description, rappel). Un jeune "
        "ne duplique que les actions qu'il a créées."
    ),
)
def duplicate_action(request, action_id: uuid.UUID):
    user = caller(request)
    copy = services.duplicate_action(user, get_action_for_user(user, action_id))
    return Status(201, action_out(user, copy))


# --- comments and history ------------------------------------------------------------------------


def _comment(comment) -> dict:
    young_person = comment.action.young_person
    return {
        "id": comment.id,
        "body": comment.body,
        "author": person_out(comment.author),
        "created_at": local_time(comment.created_at, young_person),
    }


@router.get(
    ACTION + "/comments",
    response={200: CommentPage, **ERRORS},
    summary="Lire les commentaires",
    description="Le fil de commentaires entre le jeune et ses conseillers, du plus ancien au "
    "plus récent.",
)
def list_comments(request, action_id: uuid.UUID, paging: Query[PageQuery]):
    user = caller(request)
    action = get_action_for_user(user, action_id)
    comments = action.comments.select_related("author__young_person", "author__counselor")
    comments = comments.order_by("created_at", "id")

    def serialize(comment):
        comment.action = action
        return _comment(comment)

    return paginate(request, comments, paging, serialize)


@router.post(
    ACTION + "/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    summary="Commenter une action",
    description="Ajoute un commentaire au fil de l'action.",
)
def add_comment(request, action_id: uuid.UUID, payload: CommentIn):
    user = caller(request)
    action = get_action_for_user(user, action_id)
    comment = services.add_comment(user, action, payload.body)
    return Status(201, _comment(comment))


def _history(entry, action) -> dict:
    return {
        "at": local_time(entry.at, action.young_person),
        "event": entry.event,
        "event_label": history.EVENTS.get(entry.event, entry.event),
        "actor": person_out(entry.actor),
        "changes": [
            {"field": name, "field_label": history.FIELDS.get(name, name), "old": old, "new": new}
            for name, (old, new) in entry.changes.items()
        ],
    }


@router.get(
    ACTION + "/history",
    response={200: HistoryPage, **ERRORS},
    summary="Historique d'une action",
    description="Qui a changé quoi et quand (ancienne et nouvelle valeur), du plus ancien au "
    "plus récent.",
)
def action_history(request, action_id: uuid.UUID, paging: Query[PageQuery]):
    user = caller(request)
    action = get_action_for_user(user, action_id)
    entries = action.history.select_related("actor__young_person", "actor__counselor")
    return paginate(request, entries, paging, lambda entry: _history(entry, action))
