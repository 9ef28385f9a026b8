"""iCalendar (RFC 5545) for appointments: invitations (METHOD:REQUEST / CANCEL) and feeds."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//Pass Emploi//Agenda//FR"


def uid(appointment) -> str:
    return f"{appointment.id}@passemploi"


def _event(appointment, canceled: bool) -> Event:
    event = Event()
    event.add("uid", uid(appointment))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", appointment.title)
    description = [appointment.get_type_display()]
    if appointment.description:
        description.append(appointment.description)
    if appointment.video_link:
        description.append(f"Visio : {appointment.video_link}")
    event.add("description", "\n".join(description))
    if appointment.address:
        event.add("location", appointment.address)
    event.add("sequence", appointment.sequence)
    event.add("status", "CANCELLED" if canceled else "CONFIRMED")
    event.add("url", f"{settings.SITE_URL}/app/agenda/{appointment.id}/")
    return event


def calendar(appointments, method: str | None = None, name: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for appointment in appointments:
        cal.add_component(_event(appointment, canceled=appointment.canceled_at is not None))
    return cal.to_ical()


def invitation(appointment) -> bytes:
    method = "CANCEL" if appointment.canceled_at else "REQUEST"
    return calendar([appointment], method=method)
