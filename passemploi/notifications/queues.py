"""The two task queues: `urgent` (real-time notices, reminders, the outbox sweeper) and `batch`
(alerts, nudges, digests, nightly work), so a long batch job never delays a reminder.

Redis when REDIS_URL is set (production: several machines can run workers), else SQLite files
in var/ (one machine, zero configuration); both honour task priorities, so a notice's send never
waits behind the reminder batches that produce it. Tests run tasks inline (HUEY_IMMEDIATE)."""

from django.conf import settings
from django.db import close_old_connections
from huey import PriorityRedisHuey, SqliteHuey

QUEUE_NAMES = ("urgent", "batch")


def make_queue(name: str):
    immediate = getattr(settings, "HUEY_IMMEDIATE", False)
    options = {"name": f"passemploi-{name}", "immediate": immediate, "results": False}
    if settings.REDIS_URL:
        return PriorityRedisHuey(url=settings.REDIS_URL, **options)
    directory = getattr(settings, "HUEY_SQLITE_DIR", None) or settings.VAR_DIR
    return SqliteHuey(filename=str(directory / f"huey-{name}.sqlite3"), **options)


urgent = make_queue("urgent")
batch = make_queue("batch")
QUEUES = {"urgent": urgent, "batch": batch}


def _fresh_connections(task=None, *args):
    # Worker processes live for days: never run a task on a connection the database dropped.
    close_old_connections()


for _queue in QUEUES.values():
    if not _queue.immediate:  # inline (tests): the caller's transaction must stay open
        _queue.pre_execute()(_fresh_connections)
        _queue.post_execute()(_fresh_connections)
