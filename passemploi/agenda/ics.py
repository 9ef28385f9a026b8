"""iCalendar (RFC 5545) for appointments: invitations (METHOD:REQUEST / CANCEL) and feeds.

Times are written in UTC (…Z): a TZID would need a VTIMEZONE component, which we do not send.
Invitations carry the ORGANIZER and ATTENDEE that iTIP (RFC 5546) requires for REQUEST/CANCEL.
"""

from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Pass Emploi//Agenda//FR"


def uid(appointment) -> str:
    return f"{appointment.id}@passemploi"


def _event(appointment, canceled: bool) -> Event:
    event = Event()
    event.add("uid", uid(appointment))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(UTC))
    event.add("dtend", appointment.ends_at.astimezone(UTC))
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


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    return address


def invitation(appointment, attendee=None, canceled: bool | None = None) -> bytes:
    """One appointment as an iTIP message. `attendee`: (email, name) of the recipient.
    `canceled`: a CANCEL for this attendee only (removed, unregistered); by default, CANCEL
    when the appointment itself is cancelled."""
    if canceled is None:
        canceled = appointment.canceled_at is not None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if canceled else "REQUEST")
    event = _event(appointment, canceled=canceled)
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", _address(email, name))
    if attendee is not None:
        address = _address(*attendee)
        address.params["role"] = "REQ-PARTICIPANT"
        address.params["rsvp"] = "FALSE"
        event.add("attendee", address)
    cal.add_component(event)
    return cal.to_ical()
