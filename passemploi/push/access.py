"""The only way to fetch a push target for a user: their own, else 404 (missing or not theirs)."""

from django.http import Http404

from passemploi.push.models import DeviceToken, PushSubscription


def get_subscription_for_user(user, endpoint: str) -> PushSubscription:
    subscription = PushSubscription.objects.filter(user=user, endpoint=endpoint).first()
    if subscription is None:
        raise Http404("No such subscription.")
    return subscription


def get_device_for_user(user, token: str) -> DeviceToken:
    device = DeviceToken.objects.filter(user=user, token=token).first()
    if device is None:
        raise Http404("No such device.")
    return device
