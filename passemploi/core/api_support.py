"""API pieces every router shares: who is calling, the documented error answers, times with
the structure's offset, a person's summary and offset paging (api-conventions)."""

import zoneinfo

from django.utils import timezone

from passemploi.accounts.enums import Role
from passemploi.accounts.schemas import ErrorOut
from passemploi.core.errors import ServiceError
from passemploi.core.schemas import PageQuery

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **ERRORS}


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


def local_time(moment, young_person):
    """A timestamp with the offset of the young person's structure (ISO 8601 with offset)."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(young_person.structure.time_zone))


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
