"""Tasks and the periodic schedule. Workers import this module (`manage.py worker`).

SCHEDULE is the one table of periodic jobs: name → (queue, cron in the project's time zone
TIME_ZONE, function, time limit in seconds). tests/notifications/test_tasks.py asserts it.
"""

import logging
import time
import traceback
import zoneinfo
from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from huey import crontab

from passemploi.notifications import delivery, jobs, reminders
from passemploi.notifications.enums import Channel, DeliveryState, Outcome
from passemploi.notifications.models import Delivery, Reminder, TaskRun
from passemploi.notifications.queues import QUEUES, batch, urgent

logger = logging.getLogger(__name__)

SEND_TIME_LIMIT = 60
# Sends go before the jobs that produce them (reminder chunks, nudges): the first notices of a
# 100,000-reminder batch leave at once instead of after the whole batch is written.
SEND_PRIORITY = 10
# Pending rows this long past their time were lost by a queue (a killed worker): send again.
SWEEP_GRACE_SECONDS = 30


def sweep(now=None, limit=5000) -> str:
    now = now or timezone.now()
    late = timedelta(seconds=SWEEP_GRACE_SECONDS)
    rows = list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now - late)
        .order_by("next_attempt_at")
        .values_list("key", "channel")[:limit]
    )
    for key, channel in rows:
        queue_delivery(key, channel)
    return f"{len(rows)} envois relancés" if rows else ""


REMINDER_CHUNK = 200
REMINDER_REQUEUE = timedelta(minutes=5)


def send_reminders(now=None) -> str:
    """Hand the due reminders to the urgent workers in chunks (many workers send in parallel);
    a chunk lost with a killed worker is handed out again 5 minutes later."""
    now = now or timezone.now()
    ids = list(
        Reminder.objects.filter(sent_at__isnull=True, due_at__lte=now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - REMINDER_REQUEUE))
        .order_by("due_at")
        .values_list("pk", flat=True)[:200_000]
    )
    for start in range(0, len(ids), REMINDER_CHUNK):
        chunk = ids[start : start + REMINDER_CHUNK]
        Reminder.objects.filter(pk__in=chunk).update(queued_at=now)
        transaction.on_commit(lambda chunk=chunk: send_reminder_chunk(chunk))
    return f"{len(ids)} rappels" if ids else ""


SCHEDULE = {
    "send_reminders": ("urgent", "* * * * *", send_reminders, 55),
    "sweep_outbox": ("urgent", "* * * * *", sweep, 55),
    "run_alerts": ("batch", "0 9 * * *", jobs.run_alerts, 3600),
    "thursday_nudge": ("batch", "0 10 * * 4", jobs.thursday_nudge, 1800),
    "monday_no_hours_nudge": ("batch", "0 16 * * 1", jobs.monday_no_hours_nudge, 1800),
    "counselor_digest": ("batch", "0 8 * * 1-5", jobs.counselor_digest, 1800),
    "expire_attachments": ("batch", "0 2 * * *", jobs.expire_attachments, 1800),
    # Files left "pending" while clamd was unreachable: scanned again every 10 minutes.
    "scan_pending_attachments": ("batch", "*/10 * * * *", jobs.scan_pending_attachments, 540),
    "purge_notifications": ("batch", "0 3 * * *", jobs.purge_notifications, 1800),
    "drop_stale_device_tokens": ("batch", "15 3 * * *", jobs.drop_stale_device_tokens, 600),
    "autoqualify_actions": ("batch", "0 6 * * *", jobs.autoqualify_actions, 1800),
    "aggregate_stats": ("batch", "0 1 * * *", jobs.aggregate_stats, 3600),
    "remove_expired_offers": ("batch", "30 1 * * *", jobs.remove_expired_offers, 1800),
    "purge_expired_exports": ("batch", "45 3 * * *", jobs.purge_expired_exports, 600),
    "purge_data": ("batch", "0 4 * * *", jobs.purge_data, 3600),
    "compute_dropout_risk": ("batch", "0 5 * * *", jobs.compute_dropout_risk, 3600),
}
# Minute jobs record a TaskRun only when they did something or failed (else 2,880 rows a day).
QUIET_WHEN_IDLE = {"send_reminders", "sweep_outbox"}


def local_crontab(spec: str):
    """A huey crontab read in settings.TIME_ZONE (huey hands it naive UTC datetimes)."""
    minute, hour, day, month, day_of_week = spec.split()
    matches = crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def validate(moment):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return matches(moment.astimezone(zone).replace(tzinfo=None))

    validate.spec = spec
    return validate


def run_job(name: str) -> TaskRun | None:
    """Run one scheduled job, recording its run (task, start, duration, outcome, error)."""
    function = SCHEDULE[name][2]
    started = timezone.now()
    clock = time.monotonic()
    outcome, detail, error = Outcome.OK, "", ""
    try:
        detail = function() or ""
    except jobs.Skipped as exc:
        outcome, detail = Outcome.SKIPPED, str(exc)
    except Exception as exc:  # noqa: BLE001 - recorded for support; the worker goes on
        logger.exception("Periodic task %s failed", name)
        outcome, detail, error = Outcome.ERROR, str(exc)[:255], traceback.format_exc()
    if name in QUIET_WHEN_IDLE and outcome == Outcome.OK and not detail:
        return None
    return TaskRun.objects.create(
        task=name,
        started_at=started,
        duration=round(time.monotonic() - clock, 3),
        outcome=outcome,
        detail=str(detail)[:255],
        error=error,
    )


def _register(name, queue_name, spec, limit):
    def periodic():
        run_job(name)

    periodic.__name__ = name
    QUEUES[queue_name].periodic_task(local_crontab(spec), name=name, timeout=limit)(periodic)


for _name, (_queue, _spec, _function, _limit) in SCHEDULE.items():
    _register(_name, _queue, _spec, _limit)


@urgent.task(
    name="send_reminder_chunk", timeout=SEND_TIME_LIMIT * 5, retries=3, retry_delay=5, priority=0
)
def send_reminder_chunk(ids):
    return reminders.send_due_reminders(ids=ids, limit=len(ids))


# deliver() records every send failure itself; these retries cover the database being briefly
# unreachable (the sweeper would find the row anyway, a minute later).
@urgent.task(
    name="send_urgent", timeout=SEND_TIME_LIMIT, retries=3, retry_delay=5, priority=SEND_PRIORITY
)
def send_urgent(key: str):
    return delivery.deliver(key)


@batch.task(
    name="send_batch", timeout=SEND_TIME_LIMIT, retries=3, retry_delay=5, priority=SEND_PRIORITY
)
def send_batch(key: str):
    return delivery.deliver(key)


def queue_delivery(key: str, channel: str, when=None) -> None:
    """Emails (digests) go to the batch queue; push and in-app notices to the urgent one."""
    task = send_batch if channel == Channel.EMAIL else send_urgent
    if when is not None and when > timezone.now():
        task.schedule((key,), eta=when)
    else:
        task(key)
