"""Who sees which structures on the impact dashboard: a supervisor their own structure,
support (staff) every structure or the one chosen. Other roles are refused (403); a structure
that is not theirs, or does not exist, is a 404."""

import uuid

from django.http import Http404

from passemploi.accounts.enums import Role
from passemploi.accounts.models import Structure
from passemploi.core.errors import ServiceError


def impact_structures(user, structure_id=None) -> tuple[list | None, Structure | None]:
    """(structure ids to count, or None for all; the structure shown, or None for all)."""
    if user.is_staff:
        if not structure_id:
            return None, None
        try:
            structure = Structure.objects.get(pk=uuid.UUID(str(structure_id)))
        except (ValueError, Structure.DoesNotExist) as exc:
            raise Http404 from exc
        return [structure.pk], structure
    if user.role == Role.COUNSELOR and user.counselor.is_supervisor:
        structure = user.counselor.structure
        if structure_id and str(structure_id) != str(structure.pk):
            raise Http404
        return [structure.pk], structure
    raise ServiceError("forbidden", "Réservé aux superviseurs et au support.", status=403)
