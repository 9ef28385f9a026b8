"""Shared pieces of the actions API: who is calling, serialization, paging."""

import zoneinfo
from datetime import date

from django.utils import timezone

from passemploi.accounts.access import counselor_of, get_young_person_for_user, young_person_of
from passemploi.actions import counter
from passemploi.actions.access import can_edit
from passemploi.actions.models import Action
from passemploi.core.api_support import (  # noqa: F401 (used by the actions API)
    ERRORS,
    WRITE_ERRORS,
    caller,
    counselor_caller,
    local_time,
    paginate,
    person_out,
)
from passemploi.core.errors import ServiceError

ACTION = "/actions/{uuid:action_id}"


# --- who is calling ------------------------------------------------------------------------------


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
