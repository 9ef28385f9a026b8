"""Write the audit log. `record` never raises into the caller's flow for a bad detail value, and
never stores content: callers pass ids, kinds and short labels only."""

import logging

from django.utils import timezone

from passemploi.audit.models import RETENTION, AuditEvent

logger = logging.getLogger(__name__)

MAX_DETAIL = 200


def client_ip(request) -> str | None:
    """The client address as the server saw it (behind a proxy, run uvicorn with
    --proxy-headers and --forwarded-allow-ips so this is the real client)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _clip(value):
    if isinstance(value, str):
        return value[:MAX_DETAIL]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)[:MAX_DETAIL]


def record(kind: str, *, actor=None, actor_label: str = "", request=None, target=None, **details):
    """Append one event. `target` is a model instance (its class name and pk are kept)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        kind=kind,
        actor_id=actor.pk if actor is not None else None,
        actor_label=(actor.email if actor is not None else actor_label)[:254],
        target_type=type(target).__name__.lower() if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:200],
        details={key: _clip(value) for key, value in details.items()},
    )


def purge_expired(now=None) -> int:
    """Delete the rows older than the retention period (one year); returns how many."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
