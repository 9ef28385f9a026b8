"""Shared pieces of the actions API: who is calling, serialization, paging."""

import zoneinfo
from datetime import date

from django.utils import timezone

from passemploi.accounts.access import counselor_of, get_young_person_for_user, young_person_of
from passemploi.accounts.enums import Role
from passemploi.accounts.schemas import ErrorOut
from passemploi.actions import counter
from passemploi.actions.access import can_edit
from passemploi.actions.models import Action
from passemploi.actions.schemas import (
    PageQuery,
)
from passemploi.core.errors import ServiceError

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **ERRORS}
ACTION = "/actions/{uuid:action_id}"


# --- who is calling ------------------------------------------------------------------------------


def caller(request):
    """The caller, a young person or a counselor; any other account is refused."""
    user = request.auth
    if user.role not in (Role.YOUNG_PERSON, Role.COUNSELOR):
        raise ServiceError(
            "forbidden", "Réservé aux bénéficiaires et à leurs conseillers.", status=403
        )
    return user


def counselor_caller(request):
    user = request.auth
    if user.role != Role.COUNSELOR:
        raise ServiceError("forbidden", "Réservé aux conseillers.", status=403)
    return user


def young_person_for(user, young_person_id):
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


def today_for(user) -> date:
    """The caller's local date: the young person's, or the counselor's structure's."""
    own = young_person_of(user)
    if own is not None:
        return counter.local_today(own)
    zone = zoneinfo.ZoneInfo(counselor_of(user).structure.time_zone)
    return timezone.now().astimezone(zone).date()


# --- serialization -------------------------------------------------------------------------------


def local_time(moment, young_person):
    """A timestamp with the offset of the young person's structure (ISO 8601 with offset)."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(young_person.structure.time_zone))


def action_out(user, action: Action) -> dict:
    young_person = action.young_person
    qualification = None
    if action.is_qualified:
        qualification = {
            "code": action.qualification_code,
            "code_label": action.get_qualification_code_display(),
            "hours": action.qualified_hours,
            "comment": action.qualification_comment,
            "qualified_at": local_time(action.qualified_at, young_person),
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
        "created_at": local_time(action.created_at, young_person),
        "updated_at": local_time(action.updated_at, young_person),
        "qualification": qualification,
        "can_edit": can_edit(user, action),
    }


def person_out(user):
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


def paginate(request, queryset, paging: PageQuery, serialize) -> dict:
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
