"""Writes on who attends: registrations to sessions, closing with attendance, calendar feeds.

Same rules as services.py: validate, write in one transaction, log the change, tell the people
concerned on commit.
"""

from django.db import transaction
from django.utils import timezone

from passemploi.accounts.access import young_person_of
from passemploi.accounts.models import User, YoungPerson
from passemploi.agenda.enums import HOLDING_SEAT, Attendance
from passemploi.agenda.models import Appointment, CalendarFeed, Participation, new_feed_token
from passemploi.agenda.services import (
    _err,
    _log,
    _refuse_if_final,
    _require_manager,
    _tell,
)

# --- registrations ------------------------------------------------------------------------------


def _require_access(actor, own, appointment, young_person):
    """A young person acts for themself on what they can see (else 404, as everywhere);
    a counselor must be able to manage the appointment."""
    from passemploi.agenda.access import appointments_visible_to

    if own is None:
        _require_manager(actor, appointment)
    elif (
        own.pk != young_person.pk
        or not appointments_visible_to(actor).filter(pk=appointment.pk).exists()
    ):
        raise _err("not_found", "Cette ressource n'existe pas.", status=404)


def _seats_taken(appointment) -> int:
    return appointment.participations.filter(attendance__in=HOLDING_SEAT).count()


@transaction.atomic
def register(actor: User, appointment: Appointment, young_person: YoungPerson) -> Participation:
    """A young person registers themself, or a counselor registers them. The last seat is
    decided in the database: the session row is locked while seats are counted."""
    own = young_person_of(actor)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _require_access(actor, own, appointment, young_person)
    if not appointment.is_session:
        raise _err("not_a_session", "On ne s'inscrit qu'à une session collective.", status=409)
    _refuse_if_final(appointment)
    now = timezone.now()
    if own is not None:
        if not (appointment.visible and appointment.self_registration):
            raise _err(
                "registration_closed",
                "Cette session n'est pas ouverte aux inscriptions en ligne.",
                status=409,
            )
        deadline = appointment.registration_deadline or appointment.starts_at
        if now > deadline:
            raise _err(
                "registration_closed", "Les inscriptions à cette session sont closes.", status=409
            )
    if young_person.structure_id != appointment.structure_id:
        raise _err(
            "young_person_not_allowed",
            "Ce bénéficiaire n'appartient pas à la structure de la session.",
            "young_people",
        )
    existing = Participation.objects.filter(
        appointment=appointment, young_person=young_person
    ).first()
    if existing is not None and existing.attendance in HOLDING_SEAT:
        return existing
    if _seats_taken(appointment) >= appointment.max_participants:
        raise _err("session_full", "Cette session est complète.", status=409)
    if existing is None:
        existing = Participation(appointment=appointment, young_person=young_person)
    existing.attendance = Attendance.EXPECTED
    existing.registered_at, existing.registered_by = now, actor
    existing.unregistered_at, existing.unregistration_reason = None, ""
    existing.save()
    _log(appointment, actor, "registered", {"participant": ["", str(young_person)]})
    _tell(appointment, [young_person], "registered", "Inscription confirmée")
    return existing


@transaction.atomic
def unregister(actor: User, appointment: Appointment, young_person: YoungPerson, reason: str):
    own = young_person_of(actor)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _require_access(actor, own, appointment, young_person)
    if not appointment.is_session:
        # An individual appointment is not left this way: the counselor is told instead.
        raise _err("not_a_session", "On ne se désinscrit que d'une session collective.", status=409)
    _refuse_if_final(appointment)
    participation = Participation.objects.filter(
        appointment=appointment, young_person=young_person, attendance__in=HOLDING_SEAT
    ).first()
    if participation is None:
        raise _err("not_registered", "Vous n'êtes pas inscrit à cette session.", status=409)
    reason = (reason or "").strip()
    if own is not None:
        if not reason:
            raise _err("reason_required", "Indiquez pourquoi vous vous désinscrivez.", "reason")
        deadline = appointment.unregistration_deadline or appointment.starts_at
        if timezone.now() > deadline:
            raise _err(
                "unregistration_closed",
                "Il est trop tard pour vous désinscrire : prévenez votre conseiller.",
                status=409,
            )
    participation.attendance = Attendance.UNREGISTERED
    participation.unregistered_at = timezone.now()
    participation.unregistration_reason = reason[:255]
    participation.save()
    _log(appointment, actor, "unregistered", {"participant": [str(young_person), ""]})
    # Their calendar drops it (the registration had sent them a REQUEST).
    _tell(appointment, [young_person], "unregistered", "Désinscription confirmée", canceled=True)
    return participation


# --- closing ------------------------------------------------------------------------------------


@transaction.atomic
def close_appointment(actor: User, appointment: Appointment, attendance: dict) -> Appointment:
    """After its start, the counselor marks each expected participant present or absent (or
    excused). {young_person_id: state}; participants left out stay as they were."""
    _require_manager(actor, appointment)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    _refuse_if_final(appointment)
    if appointment.starts_at > timezone.now():
        raise _err("too_early", "Un rendez-vous se clôt après son début.", "starts_at", status=409)
    allowed = {Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED}
    participations = {
        str(p.young_person_id): p
        for p in appointment.participations.filter(attendance__in=HOLDING_SEAT)
    }
    for young_person_id, state in attendance.items():
        participation = participations.get(str(young_person_id))
        if participation is None:
            raise _err(
                "unknown_participant", "Un des bénéficiaires ne participe pas.", "attendance"
            )
        if state not in allowed:
            raise _err("invalid_attendance", "Choisissez présent, absent ou excusé.", "attendance")
    missing = set(participations) - {str(k) for k in attendance}
    if missing:
        raise _err(
            "attendance_required",
            "Indiquez la présence de chaque participant.",
            "attendance",
        )
    for young_person_id, state in attendance.items():
        participation = participations[str(young_person_id)]
        participation.attendance = state
        participation.save(update_fields=["attendance"])
    appointment.closed_at = timezone.now()
    appointment.closed_by = actor
    appointment.save(update_fields=["closed_at", "closed_by", "updated_at"])
    present = sum(1 for s in attendance.values() if s == Attendance.PRESENT)
    _log(appointment, actor, "closed", {"present": ["", str(present)]})
    return appointment


# --- calendar feeds -----------------------------------------------------------------------------


def feed_for(user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def revoke_feed(user: User) -> CalendarFeed:
    """The old URL stops working at once; a new one replaces it."""
    feed = feed_for(user)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
