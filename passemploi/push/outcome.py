"""What a push service answered for one target, shared by the Web Push and FCM senders."""

import email.utils
import enum
import time
from dataclasses import dataclass

DEFAULT_RETRY_AFTER = 60  # seconds, when a push service asks to retry without saying when


class Result(enum.Enum):
    SENT = "sent"  # accepted by the push service
    GONE = "gone"  # the target no longer exists: delete it
    RETRY = "retry"  # 429, 5xx, timeout, connection error: try again later
    FAILED = "failed"  # refused for good (bad request, bad credentials): do not retry


@dataclass(frozen=True)
class Outcome:
    result: Result
    retry_after: int = 0
    detail: str = ""


def retry_after_seconds(value: str | None) -> int:
    """Parse a Retry-After header: delay in seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    if value.isdigit():
        return max(1, int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER
    return max(1, int(when.timestamp() - time.time()))
