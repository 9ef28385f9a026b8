"""What the young person's pages show of the agenda (read-only): Mon suivi's appointments,
Accueil's next appointment, Événements' sessions, and the appointment page's wording.

Times are shown in the appointment's structure time zone (the young person's, which the session
middleware activates); weeks and days are plain ranges of Appointment.local_date.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from passemploi.actions.counter import Week, local_today
from passemploi.agenda.enums import HOLDING_SEAT, Attendance
from passemploi.agenda.models import Appointment, Participation

# A participation the young person still sees (the others were withdrawn by themself).
SHOWN = ~Q(attendance=Attendance.UNREGISTERED)


def by_local_date(young_person, start: date, end: date) -> dict[date, list[Appointment]]:
    """Mon suivi: the young person's appointments and sessions from start to end (local
    dates), cancelled ones included, in one query. Each appointment gets `attendance` (theirs).
    """
    days: dict[date, list[Appointment]] = {}
    participations = (
        Participation.objects.filter(SHOWN, young_person=young_person)
        .filter(appointment__local_date__range=(start, end))
        .select_related("appointment__structure")
        .order_by("appointment__starts_at", "appointment_id")
    )
    for participation in participations:
        appointment = participation.appointment
        appointment.attendance = participation.attendance
        days.setdefault(appointment.local_date, []).append(appointment)
    return days


@dataclass(frozen=True)
class AgendaSummary:
    next: Appointment | None  # the next appointment not cancelled
    this_week: int  # appointments of this week (Monday to Sunday), not cancelled


def agenda_summary(young_person, now: datetime | None = None) -> AgendaSummary:
    """Accueil's "Prochain rendez-vous" and this week's count: two queries."""
    now = now or timezone.now()
    week = Week.of(local_today(young_person))
    mine = Appointment.objects.filter(
        canceled_at__isnull=True,
        participations__young_person=young_person,
        participations__attendance__in=HOLDING_SEAT,
    )
    upcoming = mine.filter(starts_at__gte=now).select_related("structure")
    upcoming = upcoming.order_by("starts_at", "pk").first()
    count = mine.filter(local_date__range=(week.start, week.end)).count()
    return AgendaSummary(upcoming, count)


def sessions_for(young_person, now: datetime | None = None) -> list[Appointment]:
    """Événements, in one query: the upcoming sessions of the young person's structure open to
    them (visible, not cancelled), and the upcoming ones they hold a seat at whatever their
    visibility (a counselor may register them). Each gets `taken` (seats held) and
    `my_attendance` (None when they never registered)."""
    now = now or timezone.now()
    held = Participation.objects.filter(
        young_person=young_person, attendance__in=HOLDING_SEAT
    ).values("appointment_id")
    mine = Participation.objects.filter(appointment=OuterRef("pk"), young_person=young_person)
    return list(
        Appointment.objects.filter(is_session=True, starts_at__gte=now)
        .filter(
            Q(structure_id=young_person.structure_id, visible=True, canceled_at__isnull=True)
            | Q(pk__in=held)
        )
        .select_related("structure")
        .annotate(
            taken=Count("participations", filter=Q(participations__attendance__in=HOLDING_SEAT)),
            my_attendance=Subquery(mine.values("attendance")[:1]),
        )
        .order_by("starts_at", "pk")
    )


def seats_left(appointment, taken: int) -> int:
    return max((appointment.max_participants or 0) - taken, 0)


def is_registered(attendance) -> bool:
    return attendance in HOLDING_SEAT


def registration_open(appointment, now: datetime | None = None) -> bool:
    """Whether a young person may still register themself (the services decide in the end)."""
    now = now or timezone.now()
    deadline = appointment.registration_deadline or appointment.starts_at
    return (
        appointment.is_session
        and appointment.visible
        and appointment.self_registration
        and not appointment.canceled_at
        and not appointment.closed_at
        and now <= deadline
    )


def unregistration_open(appointment, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    deadline = appointment.unregistration_deadline or appointment.starts_at
    return not appointment.canceled_at and not appointment.closed_at and now <= deadline


def zone_of(appointment) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(appointment.structure.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


def local(appointment, moment: datetime) -> datetime:
    """A datetime of the appointment in its structure's time zone."""
    return moment.astimezone(zone_of(appointment))


def duration_label(minutes: int) -> str:
    """ "45 min", "1 h", "1 h 30"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"
