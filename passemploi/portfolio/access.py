"""Access to a young person's file (dossier). Missing and forbidden: both 404."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404

from passemploi.accounts.access import counselor_of
from passemploi.accounts.models import YoungPerson


@dataclass(frozen=True)
class FileAccess:
    young_person: YoungPerson
    # The referent (definitive or temporary) writes; colleagues of the structure only read.
    can_write: bool
    # The referent and supervisors open the actions and the conversation; colleagues do not.
    can_open_tabs: bool


def get_file_for_counselor(user, pk) -> FileAccess:
    """Any counselor of the young person's structure reads the file; only the referent writes."""
    counselor = counselor_of(user)
    if counselor is None:
        raise Http404
    try:
        young_person = YoungPerson.objects.select_related("user", "counselor__user").get(
            pk=pk, structure_id=counselor.structure_id
        )
    except (YoungPerson.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc
    referent = young_person.counselor_id == counselor.pk
    return FileAccess(
        young_person=young_person,
        can_write=referent and not young_person.is_archived,
        can_open_tabs=referent or counselor.is_supervisor,
    )
