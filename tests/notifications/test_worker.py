"""A real worker process killed (SIGKILL) in the middle of a send loses nothing: the outbox row
is handed out again once its lease has passed, and the email goes out exactly once."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from passemploi.notifications import services, tasks
from passemploi.notifications.enums import Channel, DeliveryState, Kind, Topic
from passemploi.notifications.models import Delivery
from passemploi.notifications.queues import QUEUES
from tests.factories import CounselorFactory

ROOT = Path(settings.BASE_DIR)
LEASE = 3


def wait_for(condition, seconds=40, what=""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Toujours pas après {seconds} s : {what}")


@pytest.fixture
def real_queues():
    """The test process enqueues into the real queues the worker reads (not inline)."""
    for queue in QUEUES.values():
        queue.immediate = False
        queue.flush()
    yield
    for queue in QUEUES.values():
        queue.flush()
        queue.immediate = True


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(folder: Path, log) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "tests.notifications.slow_email.EmailBackend",
        "SLOW_EMAIL_DIR": str(folder),
        "NOTIFICATIONS_LEASE_SECONDS": str(LEASE),
        "HUEY_IMMEDIATE": "false",
    }
    command = [sys.executable, "manage.py", "worker", "--queue", "batch", "-w", "1"]
    return subprocess.Popen(  # noqa: S603
        [*command, "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed whole, children included
    )


def kill(worker: subprocess.Popen, sig=signal.SIGKILL) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(20)


@pytest.mark.skipif(
    not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="needs PostgreSQL and Redis shared with a worker process (as CI runs)",
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(tmp_path, real_queues):
    counselor = CounselorFactory()
    sent_files = lambda: sorted(tmp_path.glob("sent-*.eml"))  # noqa: E731
    (tmp_path / "hang").touch()
    log = (tmp_path / "worker.log").open("wb")
    worker = start_worker(tmp_path, log)
    try:
        services.notify(  # autocommit: enqueued into the real batch queue at once
            counselor.user,
            kind=Kind.DIGEST,
            topic=Topic.DIGEST,
            title="Récapitulatif",
            body="Des bénéficiaires vous ont écrit.",
            link="/conseiller/messagerie/",
            key="digest:crash-test",
            channels=(Channel.EMAIL,),
            context={"conversations": []},
        )
        wait_for((tmp_path / "sending").exists, what="le worker n'a pas commencé l'envoi")
        row = Delivery.objects.get()
        assert (row.state, row.attempts) == (DeliveryState.PENDING, 1)
        kill(worker)  # the machine dies mid-send: no cleanup at all
        (tmp_path / "hang").unlink()
        assert sent_files() == []
        # The queue's message went with the worker: only the outbox remembers.
        assert QUEUES["batch"].pending_count() == 0

        worker = start_worker(tmp_path, log)
        time.sleep(LEASE + 0.5)
        # The sweeper's next minute (it waits SWEEP_GRACE_SECONDS past the row's time).
        later = timezone.now() + timedelta(seconds=tasks.SWEEP_GRACE_SECONDS + 1)
        assert tasks.sweep(now=later) == "1 envois relancés"
        wait_for(lambda: len(sent_files()) == 1, what="l'e-mail n'est pas reparti")
        # Handed out again (a second sweep, a duplicate message): still one email.
        tasks.queue_delivery(row.key, Channel.EMAIL)
        tasks.sweep(now=later + timedelta(minutes=5))
        wait_for(lambda: QUEUES["batch"].pending_count() == 0, what="file non vidée")
        time.sleep(1)
        assert len(sent_files()) == 1
        row.refresh_from_db()
        assert (row.state, row.attempts) == (DeliveryState.SENT, 2)
    finally:
        kill(worker, signal.SIGTERM)
        log.close()
