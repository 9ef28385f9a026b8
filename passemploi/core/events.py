"""Domain events for the people concerned: pushed in real time on commit, and the hook the
notifications work will also listen to (push, email, in-app notices)."""

import logging

from asgiref.sync import async_to_sync
from django.db import transaction

logger = logging.getLogger(__name__)

# Called synchronously, inside the caller's transaction, with (user_ids, event): a subscriber that
# writes rows (the notifications outbox) commits or rolls back with the write that raised it.
_subscribers = []


def subscribe(handler) -> None:
    if handler not in _subscribers:
        _subscribers.append(handler)


def publish(user_ids, event: dict) -> None:
    """Tell the subscribers now, and every open socket of these users once the transaction
    commits. `event` holds a `type` ("message.created"...) and ids, never personal content."""
    targets = [str(pk) for pk in dict.fromkeys(user_ids)]
    for handler in _subscribers:
        handler(list(dict.fromkeys(user_ids)), event)

    def send():
        from passemploi.core.consumers import push_to_user

        for user_id in targets:
            try:
                async_to_sync(push_to_user)(user_id, event)
            except Exception:  # noqa: BLE001 - a real-time hiccup must not fail the write
                logger.exception("Real-time event %s not pushed to %s", event.get("type"), user_id)

    transaction.on_commit(send)
