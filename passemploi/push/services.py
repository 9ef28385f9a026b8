"""Push delivery: Web Push (VAPID, aes128gcm) and native push (FCM HTTP v1).

Interface for the notifications core (helper C / `passemploi.notifications`):

    from passemploi.push.services import PushRetryLater, send_to_user

    try:
        report = send_to_user(
            user,
            title="Nouveau message",
            body="Nouveau message de votre conseiller",
            url="/app/messages/",
            tag="chat",
            key=f"notification:{notification.pk}",
        )
    except PushRetryLater as exc:
        # re-enqueue the same call (same `key`) in exc.retry_after_seconds seconds
        ...

`send_to_user(user, *, title, body, url, tag=None, key=None) -> PushReport` sends one
message to every Web Push subscription and every device token of `user`.

- Payload: JSON `{title, body, url, tag}`. Never put personal content in it (no message text,
  no name): it crosses third-party push services.
- `key` is the caller's idempotency key for this message (e.g. "notification:<pk>"). When given,
  every target that accepted the message is recorded (model `PushDelivery`, unique on key +
  target), and a later call with the same key skips those targets. So on `PushRetryLater`
  simply call again with the same key: targets already reached are not sent twice. Without a key
  nothing is recorded (fine for one-shot tests, not for tasks).
- Targets answered 404/410 (Web Push) or UNREGISTERED/404 (FCM) are deleted at once and counted
  in `report.removed`.
- If at least one target got 429, 5xx, a timeout or a connection error, the other targets are
  still tried, then `PushRetryLater(retry_after_seconds)` is raised (Retry-After header when the
  service sent one, else 60 s). `exc.report` holds the partial report of that call.
- Other 4xx answers (bad payload...) are not retried: counted in `report.failed`, the target's
  failure counter grows.
- Retrying is the caller's choice: after its own maximum of attempts it records the
  notification's push as failed. PushRetryLater is the only exception meant for the caller; it
  must never crash the worker.
- A target refused for good MAX_FAILURES (10) times in a row is deleted.
- Push disabled (no VAPID keys / no FCM credentials): the matching targets are skipped
  (`report.skipped`), nothing raised.
- Each HTTP request is bounded by `PUSH_TIMEOUT_SECONDS` (10 s by default). Call it from the
  worker, not inside a long transaction: it writes its bookkeeping as it goes.
- `PushReport` counts targets: `sent` (in this call), `already_sent` (reached by an earlier
  call with the same key: on a retry, `sent + already_sent` is what was delivered), `removed`
  (deleted as gone), `skipped` (channel disabled), `failed` (refused for good), `retry`.

`drop_stale_device_tokens(days=60) -> int` deletes device tokens not seen for `days` days
(periodic; also `manage.py drop_stale_device_tokens`). `purge_push_deliveries(days=10) -> int`
deletes old idempotency records; `drop_stale_device_tokens` calls it too, so one nightly schedule
of that function is enough.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from passemploi.core.errors import ServiceError
from passemploi.push import fcm, webpush
from passemploi.push.access import get_device_for_user, get_subscription_for_user
from passemploi.push.models import DeviceToken, Platform, PushDelivery, PushSubscription
from passemploi.push.outcome import Outcome, Result


class PushRetryLater(Exception):
    """A push service asked to come back later (429, 5xx, timeout) for at least one target."""

    def __init__(self, retry_after_seconds: int, report: PushReport | None = None):
        super().__init__(f"push retry in {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds
        self.report = report


@dataclass
class PushReport:
    sent: int = 0
    already_sent: int = 0
    removed: int = 0
    skipped: int = 0
    failed: int = 0
    retry: int = 0


# --- sending -------------------------------------------------------------------------------------

logger = logging.getLogger(__name__)

# A target refused for good this many times in a row is deleted (e.g. VAPID keys were changed).
MAX_FAILURES = 10


def _payload(title: str, body: str, url: str, tag: str | None) -> dict:
    return {"title": title, "body": body, "url": url, "tag": tag or ""}


def _deliver(target_id: str, outcome: Outcome, report: PushReport, key: str | None) -> None:
    if outcome.result is Result.SENT:
        report.sent += 1
        if key:
            PushDelivery.objects.get_or_create(key=key, target=target_id)
    elif outcome.result is Result.GONE:
        report.removed += 1
    elif outcome.result is Result.RETRY:
        report.retry += 1
    else:
        report.failed += 1


def _after_web(subscription: PushSubscription, outcome: Outcome) -> None:
    queryset = PushSubscription.objects.filter(pk=subscription.pk)
    if outcome.result is Result.SENT:
        queryset.update(last_success_at=timezone.now(), failure_count=0)
    elif outcome.result is Result.GONE:
        queryset.delete()
    else:
        queryset.update(failure_count=F("failure_count") + 1)
        if outcome.result is Result.FAILED:
            queryset.filter(failure_count__gte=MAX_FAILURES).delete()


def _after_device(device: DeviceToken, outcome: Outcome) -> None:
    if outcome.result is Result.GONE:
        DeviceToken.objects.filter(pk=device.pk).delete()


_warned_disabled: set[str] = set()


def _warn_disabled(channel: str) -> None:
    if channel not in _warned_disabled:
        _warned_disabled.add(channel)
        logger.warning("%s disabled: not configured (see docs/push.md); targets skipped", channel)


def send_to_user(
    user, *, title: str, body: str, url: str, tag: str | None = None, key: str | None = None
) -> PushReport:
    """Send one message to every Web Push subscription and device token of `user`.

    See the module docstring for the contract (idempotency `key`, PushRetryLater)."""
    payload = _payload(title, body, url, tag)
    report = PushReport()
    done = (
        set(PushDelivery.objects.filter(key=key).values_list("target", flat=True)) if key else set()
    )
    retry_after = 0

    targets = [
        (f"web:{s.pk}", s, webpush, _after_web, "Web Push")
        for s in PushSubscription.objects.filter(user=user).order_by("pk")
    ] + [
        (f"fcm:{d.pk}", d, fcm, _after_device, "FCM")
        for d in DeviceToken.objects.filter(user=user).order_by("pk")
    ]
    for target_id, target, sender, after, channel in targets:
        if target_id in done:
            report.already_sent += 1
            continue
        if not sender.enabled():
            _warn_disabled(channel)
            report.skipped += 1
            continue
        outcome = sender.send(target, payload)
        after(target, outcome)
        _deliver(target_id, outcome, report, key)
        if outcome.result is Result.RETRY:
            retry_after = max(retry_after, outcome.retry_after)
    if report.retry:
        raise PushRetryLater(retry_after, report)
    return report


# --- housekeeping --------------------------------------------------------------------------------

STALE_DEVICE_DAYS = 60
DELIVERY_RECORD_DAYS = 10


def purge_push_deliveries(days: int = DELIVERY_RECORD_DAYS) -> int:
    """Delete idempotency records older than `days` (no retry lasts that long)."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = PushDelivery.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def drop_stale_device_tokens(days: int = STALE_DEVICE_DAYS) -> int:
    """Delete device tokens the app has not registered again for `days` days (FCM advises
    dropping stale tokens), and purge old delivery records. Returns the tokens deleted."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = DeviceToken.objects.filter(last_seen_at__lt=cutoff).delete()
    purge_push_deliveries()
    return deleted


# --- registration (API) --------------------------------------------------------------------------


def _b64url_bytes(value: str) -> bytes | None:
    if not value or not _B64URL.fullmatch(value):
        return None
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (ValueError, binascii.Error):
        return None


_B64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def _validate_subscription(endpoint: str, p256dh: str, auth: str) -> tuple[str, str]:
    parts = urlsplit(endpoint or "")
    if parts.scheme != "https" or not parts.hostname or len(endpoint) > 2048:
        raise ServiceError(
            "invalid_endpoint",
            "L'adresse d'abonnement doit être une URL https valide.",
            "endpoint",
            status=422,
        )
    public_key = _b64url_bytes(p256dh)
    # An uncompressed P-256 point: 0x04 then 32 bytes of x and 32 of y (RFC 8291 §3.1).
    if public_key is None or len(public_key) != 65 or public_key[0] != 4:
        raise ServiceError(
            "invalid_key", "La clé p256dh de l'abonnement est invalide.", "keys.p256dh", status=422
        )
    secret = _b64url_bytes(auth)
    if secret is None or len(secret) != 16:
        raise ServiceError(
            "invalid_key", "Le secret auth de l'abonnement est invalide.", "keys.auth", status=422
        )
    return p256dh.rstrip("="), auth.rstrip("=")


@transaction.atomic
def register_subscription(
    user, *, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> tuple[PushSubscription, bool]:
    """Record (or refresh) a browser's subscription. Idempotent on the endpoint: a browser has
    one endpoint, so when another account signs in on it the subscription moves to that account
    (only the last account signed in on a phone gets its notifications)."""
    p256dh, auth = _validate_subscription(endpoint, p256dh, auth)
    subscription, created = PushSubscription.objects.select_for_update().update_or_create(
        endpoint=endpoint,
        defaults={
            "user": user,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": (user_agent or "")[:255],
            "failure_count": 0,
        },
    )
    return subscription, created


def unregister_subscription(user, endpoint: str) -> None:
    get_subscription_for_user(user, endpoint).delete()


@transaction.atomic
def register_device(user, *, platform: str, token: str) -> tuple[DeviceToken, bool]:
    """Record (or refresh) a device token; the app calls this at each start (`last_seen_at`)."""
    if platform not in Platform.values:
        raise ServiceError(
            "unknown_platform",
            "Plateforme inconnue : indiquez « ios » ou « android ».",
            "platform",
            status=422,
        )
    token = (token or "").strip()
    if not token or len(token) > 512 or any(c.isspace() for c in token):
        raise ServiceError(
            "invalid_token", "Le jeton de l'appareil est invalide.", "token", status=422
        )
    device, created = DeviceToken.objects.select_for_update().update_or_create(
        token=token, defaults={"user": user, "platform": platform, "last_seen_at": timezone.now()}
    )
    return device, created


def unregister_device(user, token: str) -> None:
    get_device_for_user(user, token).delete()
