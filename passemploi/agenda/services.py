"""Writes on the agenda: appointments, sessions, registrations, attendance, calendar feeds.

Every write validates, records the change log, and on commit tells the young people concerned
(real-time event now; the notifications work adds push and in-app notices on the same events)
and emails them an iCalendar invitation (METHOD:REQUEST, or CANCEL), SEQUENCE going up each time.
"""

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from passemploi.accounts.access import counselor_of, young_people_visible_to
from passemploi.accounts.models import User, YoungPerson
from passemploi.agenda import ics
from passemploi.agenda.enums import (
    HOLDING_SEAT,
    SESSION_TYPES,
    AppointmentType,
    Attendance,
    Modality,
)
from passemploi.agenda.models import (
    Appointment,
    AppointmentChange,
    Participation,
)
from passemploi.core.errors import ServiceError
from passemploi.core.events import publish

PAST_LIMIT = timedelta(days=365)
FUTURE_LIMIT = timedelta(days=730)
MAX_DURATION = 12 * 60
MAX_SEATS = 500
FIELDS = (
    "type",
    "type_detail",
    "title",
    "description",
    "comment",
    "starts_at",
    "duration_minutes",
    "modality",
    "address",
    "video_link",
    "organisation",
    "counselor_present",
    "max_participants",
    "visible",
    "self_registration",
    "registration_deadline",
    "unregistration_deadline",
)


def _err(code, message, field=None, status=400):
    return ServiceError(code, message, field, status=status)


def _counselor(actor: User):
    counselor = counselor_of(actor)
    if counselor is None:
        raise _err("not_allowed", "Réservé aux conseillers.", status=403)
    return counselor


def _zone(appointment: Appointment):
    return zoneinfo.ZoneInfo(appointment.structure.time_zone)


def _local_date(appointment: Appointment):
    return appointment.starts_at.astimezone(_zone(appointment)).date()


def _display(value, zone) -> str:
    """Dates in the structure's time zone, as everywhere else."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return timezone.localtime(value, zone).strftime("%d/%m/%Y %H:%M")
    return str(value)


def _log(appointment, actor, event, changes=None):
    AppointmentChange.objects.create(
        appointment=appointment, actor=actor, event=event, changes=changes or {}
    )


# --- validation -------------------------------------------------------------------------------


def _validate(appointment: Appointment, now=None) -> None:
    now = now or timezone.now()
    a = appointment
    if a.type not in AppointmentType.values:
        raise _err("invalid_type", "Choisissez un type de rendez-vous dans la liste.", "type")
    a.type_detail = (a.type_detail or "").strip()
    if a.type == AppointmentType.AUTRE and not a.type_detail:
        raise _err("type_detail_required", "Précisez le type de rendez-vous.", "type_detail")
    a.title = (a.title or "").strip()
    if not a.title:
        raise _err("title_required", "Le titre est obligatoire.", "title")
    if len(a.title) > 255:
        raise _err("title_too_long", "Le titre ne doit pas dépasser 255 caractères.", "title")
    if not isinstance(a.starts_at, datetime) or timezone.is_naive(a.starts_at):
        raise _err(
            "starts_at_required", "La date et l'heure de début sont obligatoires.", "starts_at"
        )
    if not (now - PAST_LIMIT <= a.starts_at <= now + FUTURE_LIMIT):
        raise _err(
            "starts_at_out_of_range",
            "Le rendez-vous doit commencer entre il y a un an et dans deux ans.",
            "starts_at",
        )
    if not a.duration_minutes or not (1 <= a.duration_minutes <= MAX_DURATION):
        raise _err(
            "invalid_duration",
            "La fin doit suivre le début, et la durée ne pas dépasser 12 heures.",
            "duration_minutes",
        )
    if a.modality not in Modality.values:
        raise _err("invalid_modality", "Choisissez une modalité dans la liste.", "modality")
    if a.modality == Modality.VIDEO and not a.video_link:
        raise _err("video_link_required", "Indiquez le lien de la visio.", "video_link")
    if a.is_session:
        if a.type not in SESSION_TYPES:
            raise _err(
                "invalid_session_type",
                "Une session collective est un atelier ou une information collective.",
                "type",
            )
        if not a.max_participants or not (1 <= a.max_participants <= MAX_SEATS):
            raise _err(
                "invalid_capacity",
                f"Indiquez un nombre de places entre 1 et {MAX_SEATS}.",
                "max_participants",
            )
        for name in ("registration_deadline", "unregistration_deadline"):
            deadline = getattr(a, name)
            if deadline is not None and deadline > a.starts_at:
                raise _err(
                    "deadline_after_start",
                    "Une date limite doit précéder le début de la session.",
                    name,
                )


def _check_young_people(actor, appointment, young_people) -> list[YoungPerson]:
    """Individual appointments: the counselor's portfolio (a supervisor: the structure).
    Sessions: any young person of the structure."""
    allowed = young_people_visible_to(actor)
    if appointment.is_session:
        allowed = YoungPerson.objects.filter(structure_id=appointment.structure_id)
    ids = {yp.pk for yp in young_people}
    found = set(allowed.filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise _err(
            "young_person_not_allowed",
            "Un des bénéficiaires choisis n'est pas suivi par votre structure.",
            "young_people",
        )
    return list({yp.pk: yp for yp in young_people}.values())  # each young person once


# --- notifications --------------------------------------------------------------------------


def _tell(appointment: Appointment, young_people, event: str, subject: str, canceled=None) -> None:
    """`canceled`: True sends these people a CANCEL (removed from the appointment, unregistered)
    though the appointment goes on; by default CANCEL only if the appointment is cancelled."""
    people = [yp for yp in young_people]
    if not people:
        return
    if canceled is None:
        canceled = appointment.canceled_at is not None
    method = "CANCEL" if canceled else "REQUEST"
    publish(
        [yp.user_id for yp in people],
        {"type": f"appointment.{event}", "appointment_id": str(appointment.pk)},
    )
    when = timezone.localtime(
        appointment.starts_at, zoneinfo.ZoneInfo(appointment.structure.time_zone)
    )
    body = (
        f"{subject}\n\n{appointment.title}\n"
        f"Le {when:%d/%m/%Y à %H:%M} ({appointment.get_modality_display().lower()}).\n\n"
        f"Retrouvez le détail dans Pass Emploi : {settings.SITE_URL}/app/agenda/{appointment.pk}/\n"
    )
    recipients = {
        yp.user.email: ics.invitation(
            appointment, attendee=(yp.user.email, yp.user.get_full_name()), canceled=canceled
        )
        for yp in people
    }

    def send():
        for email, payload in recipients.items():
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
            message.attach(
                "rendez-vous.ics", payload, f"text/calendar; charset=utf-8; method={method}"
            )
            message.send()

    transaction.on_commit(send)


def _participants(appointment):
    return [
        p.young_person
        for p in appointment.participations.select_related("young_person__user").filter(
            attendance__in=HOLDING_SEAT
        )
    ]


# --- appointments and sessions ------------------------------------------------------------------


@transaction.atomic
def create_appointment(*, actor: User, young_people=(), is_session=False, **fields) -> Appointment:
    counselor = _counselor(actor)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise _err("unknown_field", f"Champ inconnu : {', '.join(sorted(unknown))}.")
    appointment = Appointment(
        structure=counselor.structure,
        counselor=counselor,
        created_by=actor,
        is_session=is_session,
        **fields,
    )
    if is_session:
        appointment.visible = fields.get("visible", True)
        appointment.self_registration = fields.get("self_registration", True)
    _validate(appointment)
    young_people = _check_young_people(actor, appointment, young_people)
    if not is_session and not young_people:
        raise _err("young_people_required", "Choisissez au moins un bénéficiaire.", "young_people")
    if is_session and len(young_people) > appointment.max_participants:
        raise _err("session_full", "Plus de bénéficiaires que de places.", "young_people")
    appointment.local_date = _local_date(appointment)
    appointment.save()
    Participation.objects.bulk_create(
        Participation(appointment=appointment, young_person=yp, registered_by=actor)
        for yp in young_people
    )
    _log(appointment, actor, "created", {"title": ["", appointment.title]})
    _tell(appointment, young_people, "created", "Nouveau rendez-vous")
    return appointment


def create_session(*, actor: User, **fields) -> Appointment:
    return create_appointment(actor=actor, is_session=True, **fields)


def _refuse_if_final(appointment):
    if appointment.canceled_at:
        raise _err("appointment_canceled", "Ce rendez-vous est annulé.", status=409)
    if appointment.closed_at:
        raise _err("appointment_closed", "Ce rendez-vous est clos.", status=409)


def _require_manager(actor, appointment):
    from passemploi.agenda.access import can_manage

    if not can_manage(actor, appointment):
        raise _err("not_allowed", "Vous ne pouvez pas modifier ce rendez-vous.", status=403)


@transaction.atomic
def update_appointment(actor: User, appointment: Appointment, *, young_people=None, **fields):
    _require_manager(actor, appointment)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _refuse_if_final(appointment)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise _err("unknown_field", f"Champ inconnu : {', '.join(sorted(unknown))}.")
    changes = {}
    zone = _zone(appointment)
    for name, value in fields.items():
        old = getattr(appointment, name)
        if old != value:
            changes[name] = [_display(old, zone), _display(value, zone)]
            setattr(appointment, name, value)
    _validate(appointment, now=timezone.now())
    # Participants holding a seat; those who unregistered keep their record (and reason).
    holding = {
        p.young_person_id: p
        for p in appointment.participations.select_related("young_person__user").filter(
            attendance__in=HOLDING_SEAT
        )
    }
    removed_people = []
    seats = len(holding)
    if young_people is not None:
        young_people = _check_young_people(actor, appointment, young_people)
        wanted = {yp.pk for yp in young_people}
        removed = set(holding) - wanted
        added = [yp for yp in young_people if yp.pk not in holding]
        if not appointment.is_session and not wanted:
            raise _err(
                "young_people_required", "Choisissez au moins un bénéficiaire.", "young_people"
            )
        seats = len(wanted)
        if appointment.is_session and seats > appointment.max_participants:
            raise _err("session_full", "Plus de bénéficiaires que de places.", "young_people")
        if removed:
            removed_people = [holding[pk].young_person for pk in removed]
            appointment.participations.filter(young_person_id__in=removed).delete()
            changes["participants_removed"] = ["", str(len(removed))]
        if added:
            # Someone who had unregistered comes back on their own record, as in register().
            returning = appointment.participations.filter(
                young_person_id__in=[yp.pk for yp in added]
            )
            back = set(returning.values_list("young_person_id", flat=True))
            returning.update(
                attendance=Attendance.EXPECTED,
                registered_at=timezone.now(),
                registered_by=actor,
                unregistered_at=None,
                unregistration_reason="",
            )
            Participation.objects.bulk_create(
                Participation(appointment=appointment, young_person=yp, registered_by=actor)
                for yp in added
                if yp.pk not in back
            )
            changes["participants_added"] = ["", str(len(added))]
    if appointment.is_session and seats > appointment.max_participants:
        raise _err(
            "invalid_capacity",
            f"{seats} bénéficiaires sont inscrits : gardez au moins autant de places.",
            "max_participants",
        )
    if not changes:
        return appointment
    appointment.local_date = _local_date(appointment)
    appointment.sequence += 1
    appointment.save()
    _log(appointment, actor, "updated", changes)
    _tell(appointment, _participants(appointment), "updated", "Rendez-vous modifié")
    _tell(appointment, removed_people, "removed", "Rendez-vous annulé", canceled=True)
    return appointment


@transaction.atomic
def cancel_appointment(actor: User, appointment: Appointment, reason: str) -> Appointment:
    _require_manager(actor, appointment)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _refuse_if_final(appointment)
    reason = (reason or "").strip()
    if not reason:
        raise _err("reason_required", "Indiquez le motif de l'annulation.", "reason")
    appointment.canceled_at = timezone.now()
    appointment.canceled_by = actor
    appointment.cancel_reason = reason[:255]
    appointment.sequence += 1
    appointment.save()
    _log(appointment, actor, "canceled", {"cancel_reason": ["", appointment.cancel_reason]})
    _tell(appointment, _participants(appointment), "canceled", "Rendez-vous annulé")
    return appointment
