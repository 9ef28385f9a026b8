"""Shared pieces of the agenda API: serialization in the structure's time zone, input times,
the young people a request names, calendar responses."""

import zoneinfo

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.utils import timezone

from passemploi.accounts.access import counselor_of, young_person_of
from passemploi.accounts.models import YoungPerson
from passemploi.accounts.schemas import ErrorOut
from passemploi.agenda import ics
from passemploi.agenda.access import can_manage
from passemploi.agenda.enums import HOLDING_SEAT
from passemploi.agenda.models import Appointment, Participation
from passemploi.agenda.views_feed import feed_urls
from passemploi.core.api_support import ERRORS, WRITE_ERRORS
from passemploi.core.errors import ServiceError

__all__ = ["ERRORS", "WRITE_ERRORS", "APPOINTMENT", "SESSION"]

APPOINTMENT = "/appointments/{uuid:appointment_id}"
SESSION = "/sessions/{uuid:session_id}"
READ_ERRORS = {400: ErrorOut, **ERRORS}
ICS = "text/calendar; charset=utf-8"
CALENDAR_RESPONSE = {
    "200": {
        "description": "Un calendrier iCalendar (RFC 5545)",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    }
}


# --- time ----------------------------------------------------------------------------------------


def zone_of(structure) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(structure.time_zone)


def local(moment, structure):
    """A timestamp with the offset of the structure (ISO 8601 with offset), or None."""
    return None if moment is None else timezone.localtime(moment, zone_of(structure))


def aware(moment, structure):
    """A time sent without an offset is the structure's local time."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, zone_of(structure))
    return moment


def timing(fields: dict, structure, starts_at) -> dict:
    """Make the sent times aware; turn `ends_at` into a duration from the (new or kept) start."""
    for name in ("starts_at", "registration_deadline", "unregistration_deadline"):
        if fields.get(name) is not None:
            fields[name] = aware(fields[name], structure)
    ends_at = fields.pop("ends_at", None)
    if ends_at is not None:
        start = fields.get("starts_at") or starts_at
        minutes = int((aware(ends_at, structure) - start).total_seconds() // 60)
        if minutes <= 0:
            raise ServiceError("end_before_start", "La fin doit suivre le début.", "ends_at")
        if fields.get("duration_minutes") not in (None, minutes):
            raise ServiceError(
                "invalid_duration",
                "La fin et la durée ne concordent pas : envoyez l'une ou l'autre.",
                "ends_at",
            )
        fields["duration_minutes"] = minutes
    return fields


# --- who the request names -----------------------------------------------------------------------


def young_people_named(ids) -> list[YoungPerson]:
    """The young people of a request, by id; the services decide whether the caller may name them.
    An unknown id gets the same answer as a young person of another structure."""
    wanted = list(dict.fromkeys(ids))
    found = {yp.pk: yp for yp in YoungPerson.objects.select_related("user").filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise ServiceError(
            "young_person_not_allowed",
            "Un des bénéficiaires choisis n'est pas suivi par votre structure.",
            "young_person_ids",
        )
    return [found[pk] for pk in wanted]


def one_young_person(user, young_person_id) -> YoungPerson:
    """A registration's young person: a young person themself; for a counselor, the one named."""
    own = young_person_of(user)
    if own is not None:
        if young_person_id not in (None, own.pk):
            raise Http404  # nobody else, whoever they are
        return own
    if young_person_id is None:
        raise ServiceError("young_person_required", "Précisez le bénéficiaire.", "young_person_id")
    return young_people_named([young_person_id])[0]


# --- appointments --------------------------------------------------------------------------------


def _seats_taken():
    taken = (
        Participation.objects.filter(appointment=OuterRef("pk"), attendance__in=HOLDING_SEAT)
        .order_by()
        .values("appointment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def _listed(user):
    """The participations an appointment shows the user: all for a counselor, their own else."""
    participations = Participation.objects.select_related("young_person__user")
    own = young_person_of(user)
    if own is not None:
        participations = participations.filter(young_person=own)
    participations = participations.order_by(
        "young_person__user__last_name", "young_person__user__first_name", "pk"
    )
    return Prefetch("participations", queryset=participations, to_attr="listed")


def detailed(user, appointments):
    """What appointment_out reads, in a fixed number of queries whatever the page's size."""
    return (
        appointments.select_related("structure", "counselor__user")
        .annotate(seats_taken=_seats_taken())
        .prefetch_related(_listed(user))
    )


def reload(user, appointment) -> Appointment:
    return detailed(user, Appointment.objects.filter(pk=appointment.pk)).get()


def participant_out(participation, structure) -> dict:
    return {
        "young_person_id": participation.young_person_id,
        "name": participation.young_person.user.get_full_name(),
        "attendance": participation.attendance,
        "attendance_label": participation.get_attendance_display(),
        "registered_at": local(participation.registered_at, structure),
        "unregistered_at": local(participation.unregistered_at, structure),
        "unregistration_reason": participation.unregistration_reason,
    }


def seats_left(appointment, taken: int) -> int | None:
    if not appointment.is_session or appointment.max_participants is None:
        return None
    return max(appointment.max_participants - taken, 0)


def appointment_out(user, appointment: Appointment) -> dict:
    """An appointment as the user may see it (read through `detailed`, else `reload` it)."""
    if not hasattr(appointment, "listed"):
        appointment = reload(user, appointment)
    structure = appointment.structure
    own = young_person_of(user)
    registered = None
    if own is not None:
        registered = any(p.attendance in HOLDING_SEAT for p in appointment.listed)
    canceled = None
    if appointment.canceled_at:
        canceled = {
            "at": local(appointment.canceled_at, structure),
            "reason": appointment.cancel_reason,
        }
    state = appointment.state()
    organiser = appointment.counselor
    return {
        "id": appointment.id,
        "type": appointment.type,
        "type_label": appointment.get_type_display(),
        "type_detail": appointment.type_detail,
        "title": appointment.title,
        "description": appointment.description,
        "comment": appointment.comment,
        "starts_at": local(appointment.starts_at, structure),
        "ends_at": local(appointment.ends_at, structure),
        "duration_minutes": appointment.duration_minutes,
        "modality": appointment.modality,
        "modality_label": appointment.get_modality_display(),
        "address": appointment.address,
        "video_link": appointment.video_link,
        "organisation": appointment.organisation,
        "counselor_present": appointment.counselor_present,
        "counselor": {
            "id": organiser.pk,
            "first_name": organiser.user.first_name,
            "last_name": organiser.user.last_name,
        },
        "is_session": appointment.is_session,
        "max_participants": appointment.max_participants,
        "seats_left": seats_left(appointment, appointment.seats_taken),
        "visible": appointment.visible,
        "self_registration": appointment.self_registration,
        "registration_deadline": local(appointment.registration_deadline, structure),
        "unregistration_deadline": local(appointment.unregistration_deadline, structure),
        "state": state.value,
        "state_label": state.label,
        "canceled": canceled,
        "closed_at": local(appointment.closed_at, structure),
        "registered": registered,
        "can_manage": can_manage(user, appointment),
        "participants": [participant_out(p, structure) for p in appointment.listed],
        "sequence": appointment.sequence,
    }


# --- calendar ------------------------------------------------------------------------------------


def calendar_response(appointments, *, filename=None, name=None, method=None) -> HttpResponse:
    response = HttpResponse(ics.calendar(appointments, method=method, name=name), content_type=ICS)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def feed_out(user, feed) -> dict:
    own = young_person_of(user)
    structure = own.structure if own is not None else counselor_of(user).structure
    url, webcal_url = feed_urls(feed)
    return {"url": url, "webcal_url": webcal_url, "created_at": local(feed.created_at, structure)}
