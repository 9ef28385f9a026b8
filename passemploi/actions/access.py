"""The only way pages, API and sockets fetch actions. Missing and forbidden: both 404."""

from django.core.exceptions import ValidationError
from django.http import Http404

from passemploi.accounts.access import counselor_of, young_people_visible_to, young_person_of
from passemploi.actions.enums import CreatorRole
from passemploi.actions.models import Action


def actions_visible_to(user):
    young_person = young_person_of(user)
    if young_person is not None:
        return Action.objects.filter(young_person=young_person)
    return Action.objects.filter(young_person__in=young_people_visible_to(user))


def get_action_for_user(user, pk) -> Action:
    try:
        return actions_visible_to(user).select_related("young_person__structure").get(pk=pk)
    except (Action.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_edit(user, action: Action) -> bool:
    """Edit, duplicate's source and delete: never once qualified; a young person only what
    they created themself."""
    if action.is_qualified:
        return False
    if young_person_of(user) is not None:
        return action.creator_role == CreatorRole.YOUNG_PERSON and action.created_by_id == user.pk
    return counselor_of(user) is not None
