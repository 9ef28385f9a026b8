"""Access to the young person's app objects: missing and forbidden are both a 404."""

from django.http import Http404

from passemploi.accounts.access import young_person_of
from passemploi.youth.models import DataExport


def get_export_for_user(user, pk) -> DataExport:
    """A data export of the caller themself; nobody else's, not even their counselor's."""
    young_person = young_person_of(user)
    if young_person is None:
        raise Http404("Export introuvable")
    try:
        return DataExport.objects.get(pk=pk, young_person=young_person)
    except (DataExport.DoesNotExist, ValueError, TypeError):
        raise Http404("Export introuvable") from None
