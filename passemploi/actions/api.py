"""The actions API: thin operations over actions.services, fetching through actions.access.

Young people and counselors only (403 for other accounts); a missing or forbidden action or
young person answers 404.
"""

import uuid
import zoneinfo
from datetime import date

from django.db.models import Q
from django.utils import timezone
from ninja import Query, Router, Status

from passemploi.accounts.access import counselor_of, get_young_person_for_user, young_person_of
from passemploi.accounts.enums import Role
from passemploi.accounts.schemas import ErrorOut
from passemploi.actions import catalogue, counter, history, services
from passemploi.actions.access import actions_visible_to, can_edit, get_action_for_user
from passemploi.actions.enums import (
    DEFAULT_HOURS,
    ActionCategory,
    ActionStatus,
    QualificationCode,
)
from passemploi.actions.models import Action
from passemploi.actions.schemas import (
    MAX_DATES,
    ActionBatchIn,
    ActionFilters,
    ActionIn,
    ActionListOut,
    ActionOut,
    ActionPage,
    ActionPatchIn,
    BulkQualifyIn,
    CataloguesOut,
    CommentIn,
    CommentOut,
    CommentPage,
    HistoryPage,
    HourCounterOut,
    HourCounterQuery,
    PageQuery,
    QualifyIn,
    StatusIn,
)
from passemploi.core.errors import ServiceError

router = Router(tags=["Actions"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **ERRORS}
ACTION = "/actions/{uuid:action_id}"


# --- who is calling ------------------------------------------------------------------------------


def _member(request):
    """The caller, a young person or a counselor; any other account is refused."""
    user = request.auth
    if user.role not in (Role.YOUNG_PERSON, Role.COUNSELOR):
        raise ServiceError(
            "forbidden", "Réservé aux bénéficiaires et à leurs conseillers.", status=403
        )
    return user


def _counselor(request):
    user = request.auth
    if user.role != Role.COUNSELOR:
        raise ServiceError("forbidden", "Réservé aux conseillers.", status=403)
    return user


def _young_person_for(user, young_person_id):
    """The young person an operation is about: a young person themself (their own id or none);
    for a counselor, a young person they follow, required."""
    own = young_person_of(user)
    if own is not None:
        if young_person_id is not None and young_person_id != own.pk:
            return get_young_person_for_user(user, young_person_id)  # 404
        return own
    if young_person_id is None:
        raise ServiceError("young_person_required", "Précisez le bénéficiaire.", "young_person_id")
    return get_young_person_for_user(user, young_person_id)


def _today(user) -> date:
    """The caller's local date: the young person's, or the counselor's structure's."""
    own = young_person_of(user)
    if own is not None:
        return counter.local_today(own)
    zone = zoneinfo.ZoneInfo(counselor_of(user).structure.time_zone)
    return timezone.now().astimezone(zone).date()


# --- serialization -------------------------------------------------------------------------------


def _local(moment, young_person):
    """A timestamp with the offset of the young person's structure (ISO 8601 with offset)."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(young_person.structure.time_zone))


def _action(user, action: Action) -> dict:
    young_person = action.young_person
    qualification = None
    if action.is_qualified:
        qualification = {
            "code": action.qualification_code,
            "code_label": action.get_qualification_code_display(),
            "hours": action.qualified_hours,
            "comment": action.qualification_comment,
            "qualified_at": _local(action.qualified_at, young_person),
        }
    return {
        "id": action.id,
        "young_person_id": action.young_person_id,
        "title": action.title,
        "description": action.description,
        "category": action.category,
        "category_label": action.get_category_display(),
        "status": action.status,
        "status_label": action.get_status_display(),
        "due_date": action.due_date,
        "start_date": action.start_date,
        "end_date": action.end_date,
        "late": action.is_late(counter.local_today(young_person)),
        "reminder": action.reminder,
        "creator_role": action.creator_role,
        "creator_role_label": action.get_creator_role_display(),
        "created_at": _local(action.created_at, young_person),
        "updated_at": _local(action.updated_at, young_person),
        "qualification": qualification,
        "can_edit": can_edit(user, action),
    }


def _person(user):
    if user is None:
        return None
    role = user.role
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": role.value,
        "role_label": role.label,
    }


def _page(request, queryset, paging: PageQuery, serialize) -> dict:
    limit, offset = paging.limit, paging.offset
    count = queryset.count()
    items = [serialize(obj) for obj in queryset[offset : offset + limit]]
    following = None
    if offset + limit < count:
        query = request.GET.copy()
        query["limit"] = str(limit)
        query["offset"] = str(offset + limit)
        following = f"{request.path}?{query.urlencode()}"
    return {"items": items, "count": count, "next": following}


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
    user = _member(request)
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
        is_late = Q(due_date__lt=_today(user)) & ~Q(
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
    return _page(request, actions, filters, lambda action: _action(user, action))


def _create_fields(user, payload) -> dict:
    return {
        "actor": user,
        "young_person": _young_person_for(user, payload.young_person_id),
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
    user = _member(request)
    action, created = services.create_action(
        due_date=payload.due_date, client_id=payload.client_id, **_create_fields(user, payload)
    )
    return Status(201 if created else 200, _action(user, action))


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
    user = _member(request)
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
    items = [_action(user, action) for action in actions]
    return Status(200 if replay else 201, {"items": items})


@router.get(
    ACTION,
    response={200: ActionOut, **ERRORS},
    summary="Consulter une action",
    description="Une action visible par l'utilisateur, avec sa qualification éventuelle.",
)
def get_action(request, action_id: uuid.UUID):
    user = _member(request)
    return _action(user, get_action_for_user(user, action_id))


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
    user = _member(request)
    action = get_action_for_user(user, action_id)
    action = services.update_action(user, action, **payload.dict(exclude_unset=True))
    return _action(user, action)


@router.delete(
    ACTION,
    response={204: None, 400: ErrorOut, 409: ErrorOut, **ERRORS},
    summary="Supprimer une action",
    description=(
        "Supprime une action non qualifiée. Un jeune ne supprime que les actions qu'il a créées."
    ),
)
def delete_action(request, action_id: uuid.UUID):
    user = _member(request)
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
    user = _member(request)
    action = get_action_for_user(user, action_id)
    return _action(user, services.change_status(user, action, payload.status))


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
    user = _member(request)
    copy = services.duplicate_action(user, get_action_for_user(user, action_id))
    return Status(201, _action(user, copy))


# --- comments and history ------------------------------------------------------------------------


def _comment(comment) -> dict:
    young_person = comment.action.young_person
    return {
        "id": comment.id,
        "body": comment.body,
        "author": _person(comment.author),
        "created_at": _local(comment.created_at, young_person),
    }


@router.get(
    ACTION + "/comments",
    response={200: CommentPage, **ERRORS},
    summary="Lire les commentaires",
    description="Le fil de commentaires entre le jeune et ses conseillers, du plus ancien au "
    "plus récent.",
)
def list_comments(request, action_id: uuid.UUID, paging: Query[PageQuery]):
    user = _member(request)
    action = get_action_for_user(user, action_id)
    comments = action.comments.select_related("author__young_person", "author__counselor")
    comments = comments.order_by("created_at", "id")

    def serialize(comment):
        comment.action = action
        return _comment(comment)

    return _page(request, comments, paging, serialize)


@router.post(
    ACTION + "/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    summary="Commenter une action",
    description="Ajoute un commentaire au fil de l'action.",
)
def add_comment(request, action_id: uuid.UUID, payload: CommentIn):
    user = _member(request)
    action = get_action_for_user(user, action_id)
    comment = services.add_comment(user, action, payload.body)
    return Status(201, _comment(comment))


def _history(entry, action) -> dict:
    return {
        "at": _local(entry.at, action.young_person),
        "event": entry.event,
        "event_label": history.EVENTS.get(entry.event, entry.event),
        "actor": _person(entry.actor),
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
    user = _member(request)
    action = get_action_for_user(user, action_id)
    entries = action.history.select_related("actor__young_person", "actor__counselor")
    return _page(request, entries, paging, lambda entry: _history(entry, action))


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
    user = _counselor(request)
    action = get_action_for_user(user, action_id)
    action = services.qualify_action(user, action, **payload.dict())
    return _action(user, action)


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
    user = _counselor(request)
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
    return {"items": [_action(user, action) for action in actions]}


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
    user = _member(request)
    young_person = _young_person_for(user, query.young_person_id)
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
    _member(request)
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
