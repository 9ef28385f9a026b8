"""Writes on notifications: the outbox (`notify`), read markers and preferences.

`notify` runs inside the transaction of the change that caused it: the in-app row and one
delivery row per channel commit or roll back with that change, and the send tasks are enqueued
only once it commits. Every row has a unique key, so the same event told twice writes nothing
new and a send task run twice sends once.
"""

import logging
import zoneinfo
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from passemploi.core.errors import ServiceError
from passemploi.notifications.enums import Channel, DeliveryState, Topic
from passemploi.notifications.models import Delivery, Notification, NotificationPreferences

logger = logging.getLogger(__name__)

# No push between these local hours (the push waits until the end); see docs/notifications.md.
QUIET_START = time(21, 0)
QUIET_END = time(8, 0)

YOUNG_TOPICS = (
    Topic.OFFERS,
    Topic.ACTIONS,
    Topic.APPOINTMENTS,
    Topic.WEEKLY,
    Topic.NEWS,
    Topic.MESSAGES,
)
COUNSELOR_TOPICS = (Topic.DIGEST,)


def _err(code, message, field=None, status=400):
    return ServiceError(code, message, field, status=status)


def zone_of(user) -> zoneinfo.ZoneInfo:
    """The time zone of the user's structure (Europe/Paris without one)."""
    for profile in ("young_person", "counselor"):
        if hasattr(user, profile):
            return zoneinfo.ZoneInfo(getattr(user, profile).structure.time_zone)
    return zoneinfo.ZoneInfo("Europe/Paris")


def quiet_until(zone, now: datetime) -> datetime | None:
    """The end of the quiet hours if `now` falls in them where the recipient lives, else None."""
    local = now.astimezone(zone)
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=zone)


def preferences_for(user) -> NotificationPreferences:
    """The user's switches (all on until they change one)."""
    prefs = NotificationPreferences.objects.filter(user=user).first()
    return prefs or NotificationPreferences(user=user)


def notify(
    user,
    *,
    kind: str,
    topic: str,
    title: str,
    body: str,
    link: str = "",
    key: str,
    channels=(Channel.IN_APP, Channel.PUSH),
    urgent: bool = False,
    context: dict | None = None,
    now: datetime | None = None,
    prefs: NotificationPreferences | None = None,
) -> list[str]:
    """Write the notice for every channel the user's preferences allow; return the keys of the
    deliveries to send. `urgent` ignores the quiet hours (same-day appointment changes)."""
    prefs = prefs or preferences_for(user)
    if not prefs.allows(topic):
        return []
    now = now or timezone.now()
    notification = None
    keys = []
    for channel in channels:
        delivery_key = f"{key}:{channel}"
        fields = {
            "recipient": user,
            "channel": channel,
            "kind": kind,
            "title": title[:120],
            "body": body[:255],
            "link": link,
            "context": context or {},
            "next_attempt_at": now,
            "created_at": now,
        }
        if channel == Channel.IN_APP:
            notification, _ = _get_or_create(
                Notification,
                key=key,
                defaults={
                    "recipient": user,
                    "kind": kind,
                    "topic": topic,
                    "title": title[:120],
                    "body": body[:255],
                    "link": link,
                    "created_at": now,
                },
            )
            # The centre row is the delivery itself: nothing left to send.
            fields |= {"state": DeliveryState.SENT, "sent_at": now, "notification": notification}
        else:
            fields["notification"] = notification
            if channel == Channel.PUSH and not urgent:
                fields["next_attempt_at"] = quiet_until(zone_of(user), now) or now
        delivery, created = _get_or_create(Delivery, key=delivery_key, defaults=fields)
        if created and delivery.state == DeliveryState.PENDING:
            keys.append((delivery_key, channel, delivery.next_attempt_at))
    if keys:
        transaction.on_commit(lambda: enqueue(keys))
    return [k for k, _channel, _when in keys]


def _get_or_create(model, key, defaults):
    try:
        with transaction.atomic():
            return model.objects.get_or_create(key=key, defaults=defaults)
    except IntegrityError:  # the same event told twice at once: the other writer won
        return model.objects.get(key=key), False


def enqueue(keys) -> None:
    """Hand deliveries to the queue (after the commit). A failure here loses nothing: the
    sweeper finds pending rows past their time."""
    from passemploi.notifications import tasks

    for key, channel, when in keys:
        try:
            tasks.queue_delivery(key, channel, when)
        except Exception:  # noqa: BLE001 - the write is committed; the sweeper takes over
            logger.exception("Delivery %s not enqueued (the sweeper will)", key)


# --- the notification centre -------------------------------------------------------------------


@transaction.atomic
def mark_read(user, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


@transaction.atomic
def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- preferences --------------------------------------------------------------------------------


def topics_for(user) -> tuple:
    if hasattr(user, "young_person"):
        return YOUNG_TOPICS
    if hasattr(user, "counselor"):
        return COUNSELOR_TOPICS
    return ()


@transaction.atomic
def update_preferences(user, changes: dict) -> NotificationPreferences:
    """Change some switches; a name that is not one of this user's switches is refused."""
    allowed = {str(topic) for topic in topics_for(user)}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise _err(
            "unknown_preference",
            f"Préférence inconnue : {', '.join(unknown)}.",
            unknown[0],
            status=422,
        )
    for name, value in changes.items():
        if not isinstance(value, bool):
            raise _err("invalid_preference", "Choisissez oui ou non.", name, status=422)
    prefs, _ = NotificationPreferences.objects.select_for_update().get_or_create(user=user)
    for name, value in changes.items():
        setattr(prefs, name, value)
    prefs.save()
    return prefs
