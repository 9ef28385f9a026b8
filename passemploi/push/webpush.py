"""Web Push sender: one encrypted message (RFC 8291, aes128gcm) signed with VAPID (RFC 8292).

pywebpush encrypts the payload and posts it; this module only maps the push service's answer
to an Outcome (status codes per RFC 8030 §5 and the push services' documentation).
"""

import json
import logging
import time
from functools import lru_cache
from urllib.parse import urlsplit

import requests
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPusher

from passemploi.push import http
from passemploi.push.outcome import Outcome, Result, retry_after_seconds

logger = logging.getLogger(__name__)

JWT_LIFETIME = 12 * 3600
# How long a push service keeps a message for an offline browser (seconds).
TTL = 24 * 3600


def enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


@lru_cache(maxsize=4)
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key=private_key)


def vapid_headers(endpoint: str) -> dict[str, str]:
    """The VAPID Authorization header for the endpoint's origin (the JWT's audience)."""
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "sub": settings.VAPID_SUBJECT,
        # At most 24 h (RFC 8292 §2); 12 h leaves room for clock skew.
        "exp": int(time.time()) + JWT_LIFETIME,
    }
    return _vapid(settings.VAPID_PRIVATE_KEY).sign(claims)


def send(subscription, payload: dict) -> Outcome:
    """Send `payload` (a small JSON object, no personal content) to one subscription."""
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {**vapid_headers(subscription.endpoint), "Urgency": "high"}
    try:
        response = WebPusher(info, requests_session=http.session()).send(
            data,
            headers,
            ttl=TTL,
            content_encoding="aes128gcm",
            timeout=settings.PUSH_TIMEOUT_SECONDS,
        )
    except requests.Timeout:
        return Outcome(Result.RETRY, retry_after_seconds(None), "timeout")
    except requests.RequestException as exc:
        return Outcome(Result.RETRY, retry_after_seconds(None), type(exc).__name__)
    status = response.status_code
    if status in (200, 201, 202):
        return Outcome(Result.SENT)
    if status in (404, 410):
        return Outcome(Result.GONE, detail=str(status))
    if status == 429 or status >= 500:
        return Outcome(Result.RETRY, retry_after_seconds(response.headers.get("Retry-After")))
    # 400 (malformed), 401/403 (VAPID refused, e.g. keys changed), 413 (payload too large).
    logger.warning("Web Push refused with status %s", status)
    return Outcome(Result.FAILED, detail=str(status))
