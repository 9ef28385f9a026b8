"""Broadcast lists, multi-recipient messages and the counselor's pinned notice under /api/v1/.

Lists are their owner's only (404 for anyone else); a group message reaches each recipient in
their own conversation, and a retry with the same `client_id` sends nothing twice."""

import uuid

from django.db.models import Prefetch
from ninja import Query, Router, Status

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.accounts.models import YoungPerson
from passemploi.accounts.schemas import ErrorOut
from passemploi.broadcasts import services
from passemploi.broadcasts.access import get_list_for_user, lists_visible_to
from passemploi.broadcasts.models import BroadcastList, GroupMessage, PinnedNotice
from passemploi.broadcasts.schemas import (
    BroadcastListIn,
    BroadcastListOut,
    BroadcastListPage,
    BroadcastListPatchIn,
    GroupMessageIn,
    GroupMessageOut,
    MembersIn,
    NoticeEnvelope,
    NoticeIn,
    PageQuery,
)
from passemploi.core.api_support import caller, counselor_caller

router = Router(tags=["Listes de diffusion et message important"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **ERRORS}
LIST = "/broadcast-lists/{uuid:list_id}"


def _with_members(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "members",
            queryset=YoungPerson.objects.filter(is_archived=False)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "id"),
            to_attr="current_members",
        )
    )


def list_out(broadcast_list: BroadcastList) -> dict:
    members = getattr(broadcast_list, "current_members", None)
    if members is None:
        members = list(services.members_of(broadcast_list).select_related("user"))
    members = [m for m in members if m.counselor_id == broadcast_list.owner_id]
    return {
        "id": broadcast_list.pk,
        "name": broadcast_list.name,
        "member_count": len(members),
        "members": [
            {"id": m.pk, "first_name": m.user.first_name, "last_name": m.user.last_name}
            for m in members
        ],
        "created_at": broadcast_list.created_at,
        "updated_at": broadcast_list.updated_at,
    }


def _fresh(user, list_id) -> dict:
    return list_out(_with_members(lists_visible_to(user)).get(pk=list_id))


# --- broadcast lists -----------------------------------------------------------------------------


@router.get(
    "/broadcast-lists",
    response={200: BroadcastListPage, **ERRORS},
    summary="Lister mes listes de diffusion",
    description="Les listes de diffusion du conseiller, par nom, avec leurs membres actuels.",
)
def list_lists(request, paging: Query[PageQuery]):
    user = counselor_caller(request)
    lists = _with_members(lists_visible_to(user)).order_by("name", "id")
    count = lists.count()
    items = [list_out(item) for item in lists[paging.offset : paging.offset + paging.limit]]
    following = None
    if paging.offset + paging.limit < count:
        query = request.GET.copy()
        query["limit"], query["offset"] = str(paging.limit), str(paging.offset + paging.limit)
        following = f"{request.path}?{query.urlencode()}"
    return {"items": items, "count": count, "next": following}


@router.post(
    "/broadcast-lists",
    response={201: BroadcastListOut, **WRITE_ERRORS},
    summary="Créer une liste de diffusion",
    description=(
        "Crée une liste nommée (nom unique parmi les siennes, sinon 409 `name_taken`) de "
        "bénéficiaires de son portefeuille (404 pour tout autre)."
    ),
)
def create_list(request, payload: BroadcastListIn):
    user = counselor_caller(request)
    created = services.create_list(user, payload.name, payload.young_person_ids)
    return Status(201, _fresh(user, created.pk))


@router.get(
    LIST,
    response={200: BroadcastListOut, **ERRORS},
    summary="Consulter une liste de diffusion",
    description="Une liste du conseiller, avec ses membres encore dans son portefeuille.",
)
def get_list(request, list_id: uuid.UUID):
    user = counselor_caller(request)
    return _fresh(user, get_list_for_user(user, list_id).pk)


@router.patch(
    LIST,
    response={200: BroadcastListOut, **WRITE_ERRORS},
    summary="Renommer une liste de diffusion",
    description="Change le nom d'une liste (unique parmi les siennes, sinon 409 `name_taken`).",
)
def rename_list(request, list_id: uuid.UUID, payload: BroadcastListPatchIn):
    user = counselor_caller(request)
    broadcast_list = get_list_for_user(user, list_id)
    services.update_list(user, broadcast_list, name=payload.name)
    return _fresh(user, broadcast_list.pk)


@router.put(
    LIST + "/members",
    response={200: BroadcastListOut, **WRITE_ERRORS},
    summary="Remplacer les membres d'une liste",
    description=(
        "Les membres deviennent exactement les bénéficiaires donnés, tous de son portefeuille "
        "(404 sinon, sans rien changer)."
    ),
)
def set_members(request, list_id: uuid.UUID, payload: MembersIn):
    user = counselor_caller(request)
    broadcast_list = get_list_for_user(user, list_id)
    services.update_list(user, broadcast_list, young_person_ids=payload.young_person_ids)
    return _fresh(user, broadcast_list.pk)


@router.delete(
    LIST,
    response={204: None, **ERRORS},
    summary="Supprimer une liste de diffusion",
    description="Supprime la liste ; les messages déjà envoyés restent dans les conversations.",
)
def delete_list(request, list_id: uuid.UUID):
    user = counselor_caller(request)
    services.delete_list(user, get_list_for_user(user, list_id))
    return Status(204, None)


# --- group messages ------------------------------------------------------------------------------


def group_out(group: GroupMessage) -> dict:
    recipients = group.recipients.order_by("id").values_list("young_person_id", "message_id")
    return {
        "id": group.pk,
        "client_id": group.client_id,
        "recipient_count": group.recipient_count,
        "recipients": [
            {"young_person_id": young_person_id, "message_id": message_id}
            for young_person_id, message_id in recipients
        ],
        "created_at": group.created_at,
    }


@router.post(
    "/group-messages",
    response={200: GroupMessageOut, 201: GroupMessageOut, **WRITE_ERRORS},
    summary="Envoyer un message à plusieurs bénéficiaires",
    description=(
        "Envoie le même message, dans sa propre conversation, à chaque bénéficiaire choisi et à "
        "chaque membre des listes choisies (une fois chacun, portefeuille actuel seulement). "
        "Renvoie 201, ou 200 avec le premier envoi si `client_id` a déjà servi."
    ),
)
def send_group_message(request, payload: GroupMessageIn):
    user = counselor_caller(request)
    group, created = services.send_group_message(
        user,
        client_id=payload.client_id,
        body=payload.body,
        young_person_ids=payload.young_person_ids,
        list_ids=payload.list_ids,
        attachment_id=payload.attachment_id,
    )
    return Status(201 if created else 200, group_out(group))


# --- pinned notice -------------------------------------------------------------------------------


def notice_out(notice: PinnedNotice | None, today=None) -> dict:
    if notice is None:
        return {"notice": None}
    counselor = notice.counselor
    if today is None:
        today = services.local_today(counselor.structure.time_zone)
    return {
        "notice": {
            "text": notice.text,
            "starts_on": notice.starts_on,
            "ends_on": notice.ends_on,
            "active": notice.is_active(today),
            "counselor_name": counselor.user.get_full_name(),
        }
    }


@router.get(
    "/pinned-notice",
    response={200: NoticeEnvelope, **ERRORS},
    summary="Consulter le message important",
    description=(
        "Un jeune : le message important de son conseiller s'il est affiché aujourd'hui. Un "
        "conseiller : le sien, avec ses dates."
    ),
)
def get_notice(request):
    user = caller(request)
    young_person = young_person_of(user)
    if young_person is not None:
        return notice_out(services.active_notice_for(young_person))
    notice = (
        PinnedNotice.objects.filter(counselor=counselor_of(user))
        .select_related("counselor__user", "counselor__structure")
        .first()
    )
    return notice_out(notice)


@router.put(
    "/pinned-notice",
    response={200: NoticeEnvelope, **WRITE_ERRORS},
    summary="Poser le message important",
    description=(
        "Crée ou remplace le message important du conseiller, affiché en tête de la conversation "
        "de chacun de ses bénéficiaires du début à la fin incluses."
    ),
)
def put_notice(request, payload: NoticeIn):
    user = counselor_caller(request)
    notice = services.set_notice(user, payload.text, payload.starts_on, payload.ends_on)
    return notice_out(notice)


@router.delete(
    "/pinned-notice",
    response={204: None, **ERRORS},
    summary="Retirer le message important",
    description="Retire le message important du conseiller (sans effet s'il n'y en a pas).",
)
def delete_notice(request):
    user = counselor_caller(request)
    services.remove_notice(user)
    return Status(204, None)
