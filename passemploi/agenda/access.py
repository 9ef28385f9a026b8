"""The only way pages, API and sockets fetch appointments. Missing and forbidden: both 404.

- A young person: the appointments they take part in, and the visible sessions of their structure.
- A counselor: their own appointments, those of their portfolio's young people, and the
  sessions of their structure. A supervisor: everything of their structure.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.agenda.models import Appointment, CalendarFeed, Participation


def appointments_visible_to(user):
    young_person = young_person_of(user)
    if young_person is not None:
        return Appointment.objects.filter(
            Q(participations__young_person=young_person)
            | Q(is_session=True, visible=True, structure_id=young_person.structure_id)
        ).distinct()
    counselor = counselor_of(user)
    if counselor is None:
        return Appointment.objects.none()
    if counselor.is_supervisor:
        return Appointment.objects.filter(structure_id=counselor.structure_id)
    return Appointment.objects.filter(
        Q(counselor=counselor)
        | Q(is_session=True, structure_id=counselor.structure_id)
        | Q(participations__young_person__counselor=counselor)
    ).distinct()


def get_appointment_for_user(user, pk) -> Appointment:
    try:
        return (
            appointments_visible_to(user).select_related("structure", "counselor__user").get(pk=pk)
        )
    except (Appointment.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_manage(user, appointment: Appointment) -> bool:
    """Edit, cancel, register others, close: the organiser, a supervisor of the structure, and
    for sessions any counselor of the structure."""
    counselor = counselor_of(user)
    if counselor is None or counselor.structure_id != appointment.structure_id:
        return False
    return (
        counselor.is_supervisor
        or appointment.counselor_id == counselor.pk
        or appointment.is_session
    )


def participation_of(young_person, appointment) -> Participation | None:
    return Participation.objects.filter(appointment=appointment, young_person=young_person).first()


def get_feed_by_token(token: str) -> CalendarFeed:
    try:
        return CalendarFeed.objects.select_related("user").get(token=token, user__is_active=True)
    except CalendarFeed.DoesNotExist as exc:
        raise Http404 from exc
