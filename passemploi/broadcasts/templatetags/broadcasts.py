from django import template

from passemploi.broadcasts.services import active_notice_for

register = template.Library()


@register.simple_tag
def active_notice(young_person):
    """The young person's counselor's notice shown today, or None."""
    if young_person is None:
        return None
    notice = active_notice_for(young_person)
    if notice is not None:
        notice.counselor = young_person.counselor
    return notice
