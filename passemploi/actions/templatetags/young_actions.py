"""French dates for the young person's action pages ("lundi 1er décembre 2026")."""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone

from passemploi.actions.timeline import long_day

register = template.Library()


@register.filter
def jour(value) -> str:
    """A date, or a datetime in the current (structure's) time zone: "Lundi 1er décembre 2026"."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if not isinstance(value, date):
        return ""
    return long_day(value).capitalize()


@register.filter
def moment(value) -> str:
    """A datetime in the current (structure's) time zone: "1er décembre 2026 à 14 h 05"."""
    if not isinstance(value, datetime):
        return ""
    local = timezone.localtime(value)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {formats.date_format(local, 'F Y')} à {local:%H} h {local:%M}"
