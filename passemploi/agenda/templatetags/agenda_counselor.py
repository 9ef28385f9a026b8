from django import template

from passemploi.agenda.enums import AppointmentType

register = template.Library()


@register.filter
def type_label(appointment) -> str:
    """The type's name, or for « Autre » the counselor's own words."""
    if appointment.type == AppointmentType.AUTRE and appointment.type_detail:
        return appointment.type_detail
    return appointment.get_type_display()
