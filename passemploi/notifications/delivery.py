"""Sending one outbox row: claim it, send it through its channel, record the outcome.

The claim is a short transaction: the row stays `pending` but its `next_attempt_at` moves one
lease ahead, so a duplicate task finds nothing to do and a worker killed mid-send leaves a row
that the sweeper hands out again once the lease has passed. Failures are retried with backoff,
then recorded as `failed`; nothing here raises into the worker.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from passemploi.notifications.enums import Channel, DeliveryState, Kind
from passemploi.notifications.models import Delivery
from passemploi.notifications.services import quiet_until, zone_of

logger = logging.getLogger(__name__)

# Seconds before attempt n+1 (after n failures); past the last, the row is `failed`.
BACKOFF = (30, 120, 600, 1800, 3600)


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", 120))


class NothingToSend(Exception):
    """The channel has no target for this user (no device): recorded as skipped."""


def claim(key: str, now) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            # Only this row (not the user's, which notices being written for the same person
            # hold a key-share lock on), and without blocking inserts that reference it.
            Delivery.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .select_related("recipient")
            .filter(key=key, state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + lease()
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return delivery


def deliver(key: str) -> str:
    """Send one delivery if it is due; returns the state it ends in ("" when not ours)."""
    now = timezone.now()
    delivery = claim(key, now)
    if delivery is None:
        return ""
    error = ""
    retry_after = None
    try:
        SENDERS[delivery.channel](delivery)
        state = DeliveryState.SENT
    except NothingToSend as exc:
        state, error = DeliveryState.SKIPPED, str(exc)
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then recorded
        logger.warning("Delivery %s attempt %s failed: %r", key, delivery.attempts, exc)
        error = f"{type(exc).__name__}: {exc}"[:255]
        retry_after = getattr(exc, "retry_after_seconds", None)
        state = DeliveryState.FAILED if delivery.attempts > len(BACKOFF) else DeliveryState.PENDING
    done = timezone.now()
    fields = {"state": state, "last_error": error}
    if state == DeliveryState.SENT:
        fields["sent_at"] = done
    if state == DeliveryState.PENDING:
        delay = max(BACKOFF[delivery.attempts - 1], retry_after or 0)
        when = done + timedelta(seconds=delay)
        if delivery.channel == Channel.PUSH:
            when = quiet_until(zone_of(delivery.recipient), when) or when
        fields["next_attempt_at"] = when
    # Only if no other worker took the row over meanwhile (an expired lease).
    Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(**fields)
    if state == DeliveryState.PENDING:
        from passemploi.notifications import tasks

        transaction.on_commit(
            lambda: tasks.queue_delivery(key, delivery.channel, fields["next_attempt_at"])
        )
    return state


def send_push(delivery: Delivery) -> None:
    try:
        from passemploi.push.services import send_to_user
    except ImportError as exc:  # the push app is not there: nothing can be sent
        raise NothingToSend("push indisponible") from exc
    report = send_to_user(
        delivery.recipient,
        title=delivery.title,
        body=delivery.body,
        url=_absolute(delivery.link),
        tag=delivery.kind,
        key=f"delivery:{delivery.pk}",
    )
    if not getattr(report, "sent", 0):
        raise NothingToSend("aucun appareil abonné")


def _absolute(link: str) -> str:
    return f"{settings.SITE_URL}{link}" if link.startswith("/") else link


# The kinds sent by email (text and HTML versions).
EMAIL_TEMPLATES = {
    Kind.DIGEST: ("notifications/email/digest.txt", "notifications/email/digest.html"),
}


def send_email(delivery: Delivery) -> None:
    context = {
        "title": delivery.title,
        "body": delivery.body,
        "link": _absolute(delivery.link),
        "recipient": delivery.recipient,
        "site_url": settings.SITE_URL,
        **delivery.context,
    }
    text_template, html_template = EMAIL_TEMPLATES[delivery.kind]
    text = render_to_string(text_template, context)
    html = render_to_string(html_template, context)
    message = EmailMultiAlternatives(
        delivery.title, text, settings.DEFAULT_FROM_EMAIL, [delivery.recipient.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_in_app(delivery: Delivery) -> None:
    """The centre row was written with the delivery: nothing to send."""


SENDERS = {Channel.PUSH: send_push, Channel.EMAIL: send_email, Channel.IN_APP: send_in_app}
