"""The only way to fetch a notification for a user: their own, else 404."""

from django.http import Http404

from passemploi.notifications.models import Notification


def notifications_of(user):
    return Notification.objects.filter(recipient=user)


def get_notification_for_user(user, pk) -> Notification:
    notification = notifications_of(user).filter(pk=pk).first()
    if notification is None:
        raise Http404("Cette notification n'existe pas.")
    return notification
