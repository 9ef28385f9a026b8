from django import template

from passemploi.notifications.models import Notification

register = template.Library()


@register.simple_tag
def unread_notifications(user) -> int:
    """The young person's unread count for the header badge (one indexed count)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
