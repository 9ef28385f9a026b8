"""French times of appointments, in their structure's time zone ("10 h 00", "1 h 30")."""

from django import template

from passemploi.actions.timeline import long_day
from passemploi.agenda.young import duration_label, local

register = template.Library()


@register.filter
def heure(appointment) -> str:
    """The appointment's start time: "10 h 00"."""
    start = local(appointment, appointment.starts_at)
    return f"{start:%H} h {start:%M}"


@register.filter
def heure_fin(appointment) -> str:
    end = local(appointment, appointment.ends_at)
    return f"{end:%H} h {end:%M}"


@register.filter
def jour_rdv(appointment) -> str:
    """The appointment's local day: "Lundi 30 mars 2026"."""
    return long_day(local(appointment, appointment.starts_at).date()).capitalize()


@register.filter
def duree(minutes) -> str:
    try:
        return duration_label(int(minutes))
    except (TypeError, ValueError):
        return ""
