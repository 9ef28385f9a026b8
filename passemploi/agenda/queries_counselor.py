"""Reads behind the counselor's agenda pages: each a fixed number of queries, whatever the number
of appointments (counts are annotated, organisers joined, names prefetched in one query)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils.formats import date_format

from passemploi.actions.counter import Week
from passemploi.agenda.enums import Attendance
from passemploi.agenda.models import Appointment, Participation

# Participants still on the list (registered, or marked once the appointment was closed).
LISTED = [a for a in Attendance.values if a != Attendance.UNREGISTERED]


def with_counts(appointments):
    """Each appointment with its organiser, `listed_count` (registrants, all but those who
    unregistered), `present_count`, and for individual appointments the participants' names
    (`listed`, one prefetch query for the whole page)."""
    return (
        appointments.select_related("counselor__user")
        .annotate(
            listed_count=Count("participations", filter=Q(participations__attendance__in=LISTED)),
            present_count=Count(
                "participations", filter=Q(participations__attendance=Attendance.PRESENT)
            ),
        )
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(
                    attendance__in=LISTED, appointment__is_session=False
                )
                .select_related("young_person__user")
                .order_by("young_person__user__last_name", "young_person__user__first_name"),
                to_attr="listed",
            )
        )
    )


def mine(counselor):
    """The counselor's own appointments and sessions, and those their young people take part in."""
    theirs = Participation.objects.filter(
        young_person__counselor=counselor, attendance__in=LISTED
    ).values("appointment_id")
    return Appointment.objects.filter(structure_id=counselor.structure_id).filter(
        Q(counselor=counselor) | Q(pk__in=theirs)
    )


def of_structure(counselor):
    """The structure's sessions; everything of the structure for a supervisor."""
    appointments = Appointment.objects.filter(structure_id=counselor.structure_id)
    if counselor.is_supervisor:
        return appointments
    return appointments.filter(is_session=True)


def week_of(appointments, week: Week):
    return with_counts(
        appointments.filter(local_date__range=(week.start, week.end)).order_by("starts_at", "id")
    )


def to_close(counselor, now):
    """Past appointments and sessions not closed nor cancelled: organised by the counselor, or
    for a supervisor by anyone of the structure. Oldest first."""
    if counselor.is_supervisor:
        appointments = Appointment.objects.filter(structure_id=counselor.structure_id)
    else:
        appointments = Appointment.objects.filter(counselor=counselor)
    return with_counts(
        appointments.filter(
            starts_at__lte=now, closed_at__isnull=True, canceled_at__isnull=True
        ).order_by("starts_at", "id")
    )


@dataclass
class Day:
    day: date
    label: str
    is_today: bool
    appointments: list = field(default_factory=list)


def days_of(week: Week, appointments, today: date, now) -> list[Day]:
    """Monday to Sunday, each with its appointments (already sorted by start); each appointment
    gets `current_state` for now."""
    days = [
        Day(day, date_format(day, "l j F").capitalize(), day == today)
        for day in (week.start + timedelta(days=n) for n in range(7))
    ]
    for appointment in appointments:
        appointment.current_state = appointment.state(now)
        days[(appointment.local_date - week.start).days].appointments.append(appointment)
    return days
