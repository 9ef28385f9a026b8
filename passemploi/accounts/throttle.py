"""Sign-in slow-down per email: after a couple of failures, each new attempt must wait a little
longer (2 s, then 4 s, 8 s...) before django-axes locks the account for AXES_COOLOFF_TIME.

Waiting is asked of the client (a message, or Retry-After in the API), never done by sleeping
in a server worker. State lives in the cache (Redis in production), keyed by a hash of the email.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from passemploi.accounts.models import normalize_email


def _key(email: str) -> str:
    digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()
    return f"login-slowdown:{digest}"


def _delay(failures: int) -> int:
    extra = failures - settings.LOGIN_SLOWDOWN_FREE_FAILURES
    return 0 if extra <= 0 else min(2**extra, settings.LOGIN_SLOWDOWN_MAX_SECONDS)


def retry_after(email: str) -> int:
    """Seconds this email must still wait before its next attempt (0: go ahead)."""
    if not email:
        return 0
    failures, last = cache.get(_key(email), (0, 0.0))
    remaining = last + _delay(failures) - time.time()
    return max(0, math.ceil(remaining))


def record_failure(email: str) -> None:
    if not email:
        return
    failures, _ = cache.get(_key(email), (0, 0.0))
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    cache.set(_key(email), (failures + 1, time.time()), timeout=timeout)


def reset(email: str) -> None:
    cache.delete(_key(email))


def message(seconds: int) -> str:
    unit = "seconde" if seconds == 1 else "secondes"
    return (
        "Plusieurs essais ont échoué : patientez "
        f"{seconds} {unit} avant de réessayer, ou réinitialisez votre mot de passe."
    )
