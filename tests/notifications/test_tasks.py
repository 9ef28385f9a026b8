"""The periodic schedule (every job, its queue and its time), task runs for support, and the
periodic jobs themselves."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from passemploi.notifications import jobs, tasks
from passemploi.notifications.enums import Kind, Outcome
from passemploi.notifications.models import Delivery, Notification, TaskRun
from passemploi.notifications.queues import batch, urgent
from tests.factories import ActionFactory, YoungPersonFactory

PARIS = timezone.get_current_timezone()

EXPECTED = {
    "send_reminders": ("urgent", "* * * * *"),
    "sweep_outbox": ("urgent", "* * * * *"),
    "run_alerts": ("batch", "0 9 * * *"),  # daily 09:00
    "thursday_nudge": ("batch", "0 10 * * 4"),  # Thursday 10:00
    "monday_no_hours_nudge": ("batch", "0 16 * * 1"),  # Monday 16:00
    "counselor_digest": ("batch", "0 8 * * 1-5"),  # weekdays 08:00
    "expire_attachments": ("batch", "0 2 * * *"),  # nightly
    "scan_pending_attachments": ("batch", "*/10 * * * *"),
    "purge_notifications": ("batch", "0 3 * * *"),
    "drop_stale_device_tokens": ("batch", "15 3 * * *"),
    "autoqualify_actions": ("batch", "0 6 * * *"),
    "aggregate_stats": ("batch", "0 1 * * *"),  # before the day's pages are read
    "remove_expired_offers": ("batch", "30 1 * * *"),
    "purge_expired_exports": ("batch", "45 3 * * *"),  # data downloads after 7 days
    "purge_data": ("batch", "0 4 * * *"),  # retention rules
    "compute_dropout_risk": ("batch", "0 5 * * *"),  # ready for the counselors' morning
}


def test_the_schedule_table():
    assert {name: (queue, spec) for name, (queue, spec, _f, _t) in tasks.SCHEDULE.items()} == (
        EXPECTED
    )
    # Registered with their queue, every one time-limited.
    registered = {
        queue_name: {t.__name__: t for t in queue._registry._periodic_tasks}
        for queue_name, queue in (("urgent", urgent), ("batch", batch))
    }
    for name, (queue, _spec, _function, limit) in tasks.SCHEDULE.items():
        assert 0 < registered[queue][name].default_timeout == limit
    assert sum(map(len, registered.values())) == len(EXPECTED)


def fires(name, local: datetime) -> bool:
    """Whether the job fires at this Paris wall-clock time (huey passes naive UTC)."""
    spec = tasks.SCHEDULE[name][1]
    moment = local.astimezone(UTC).replace(tzinfo=None)
    return tasks.local_crontab(spec)(moment)


def test_times_are_read_in_paris_summer_and_winter():
    assert fires("run_alerts", datetime(2026, 1, 15, 9, 0, tzinfo=PARIS))  # UTC+1
    assert fires("run_alerts", datetime(2026, 7, 15, 9, 0, tzinfo=PARIS))  # UTC+2
    assert not fires("run_alerts", datetime(2026, 7, 15, 10, 0, tzinfo=PARIS))
    assert fires("thursday_nudge", datetime(2026, 3, 26, 10, 0, tzinfo=PARIS))  # a Thursday
    assert not fires("thursday_nudge", datetime(2026, 3, 25, 10, 0, tzinfo=PARIS))
    assert fires("monday_no_hours_nudge", datetime(2026, 3, 23, 16, 0, tzinfo=PARIS))
    assert fires("counselor_digest", datetime(2026, 3, 27, 8, 0, tzinfo=PARIS))  # Friday
    assert not fires("counselor_digest", datetime(2026, 3, 28, 8, 0, tzinfo=PARIS))  # Saturday


@pytest.mark.django_db
def test_a_run_is_recorded(monkeypatch):
    run = tasks.run_job("purge_notifications")
    assert (run.task, run.outcome) == ("purge_notifications", Outcome.OK)
    assert run.duration is not None

    def broken():
        raise RuntimeError("base indisponible")

    monkeypatch.setitem(tasks.SCHEDULE, "purge_notifications", ("batch", "0 3 * * *", broken, 1))
    run = tasks.run_job("purge_notifications")
    assert run.outcome == Outcome.ERROR
    assert "base indisponible" in run.error
    # Idle minute jobs leave no row; busy ones do.
    assert tasks.run_job("sweep_outbox") is None


@pytest.mark.django_db
def test_alerts_are_skipped_without_the_offers_feature(monkeypatch):
    import importlib

    real = importlib.import_module

    def without_offers(name, *args):
        if name == "passemploi.offers.services":
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(jobs.importlib, "import_module", without_offers)
    run = tasks.run_job("run_alerts")
    assert run.outcome == Outcome.SKIPPED


@pytest.mark.django_db
def test_optional_features_run_when_present(monkeypatch):
    from passemploi.chat import attachments

    monkeypatch.setattr(attachments, "expire_attachments", lambda: {"expired": 2}, raising=False)
    run = tasks.run_job("expire_attachments")
    assert (run.outcome, run.detail) == (Outcome.OK, "{'expired': 2}")


@pytest.mark.django_db
def test_thursday_nudge_once_per_young_person(sent):
    from passemploi.notifications import services

    active = YoungPersonFactory()
    off = YoungPersonFactory()
    services.update_preferences(off.user, {"weekly": False})
    YoungPersonFactory(user__not_activated=True)
    YoungPersonFactory(is_archived=True)
    with time_machine.travel(datetime(2026, 3, 26, 9, 0, tzinfo=UTC), tick=False):
        assert sent(jobs.thursday_nudge) == "1 jeunes"
        sent(jobs.thursday_nudge)
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (active.user_id, Kind.NUDGE)
    ]
    assert Delivery.objects.count() == 2  # in-app and push, once


@pytest.mark.django_db
def test_monday_nudge_only_for_an_empty_counter(sent):
    idle = YoungPersonFactory(hour_counter_enabled=True)
    busy = YoungPersonFactory(hour_counter_enabled=True)
    YoungPersonFactory(hour_counter_enabled=False)
    ActionFactory(
        young_person=busy, status="done", due_date=date(2026, 3, 17), end_date=date(2026, 3, 17)
    )
    with time_machine.travel(datetime(2026, 3, 23, 15, 0, tzinfo=UTC), tick=False):
        assert sent(jobs.monday_no_hours_nudge) == "1 jeunes"
    assert list(Notification.objects.values_list("recipient", flat=True)) == [idle.user_id]


@pytest.mark.django_db
def test_purge_keeps_ten_days(young_person):
    from passemploi.notifications import services

    now = timezone.now()
    with time_machine.travel(now - timedelta(days=11), tick=False):
        services.notify(
            young_person.user, kind=Kind.NEWS, topic="news", title="Ancienne", body="x", key="old"
        )
    services.notify(
        young_person.user, kind=Kind.NEWS, topic="news", title="Récente", body="x", key="new"
    )
    jobs.purge_notifications()
    assert list(Notification.objects.values_list("title", flat=True)) == ["Récente"]


@pytest.mark.django_db
def test_nightly_autoqualify_is_scheduled_and_runs():
    assert tasks.run_job("autoqualify_actions").outcome == Outcome.OK
    assert TaskRun.objects.filter(task="autoqualify_actions").exists()


@pytest.mark.parametrize(
    "name",
    ["aggregate_stats", "remove_expired_offers", "purge_expired_exports", "purge_data"],
)
def test_the_other_apps_nightly_jobs_run(name, db):
    run = tasks.run_job(name)
    assert run.outcome == Outcome.OK, run.detail
