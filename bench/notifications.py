"""Benchmark of appointment reminders through real workers. Prints figures; asserts nothing.
Run: .venv/bin/python bench/notifications.py [--count 100000] [--people 1000] [--workers 2]
     [--redis-db 10] [--postgres postgres://postgres@127.0.0.1:5432] [--timeout 3600]
Needs PostgreSQL and Redis on loopback. It creates a throw-away database (bench_notif_<hex>),
migrates it, fills it in bulk (one counselor; --people young people, each with one Web Push
subscription to a local push endpoint; --count appointments tomorrow, one young person each, and
their J-1 reminder, due now), starts `manage.py worker --queue urgent` (--workers processes),
then runs the minute reminder task once: it hands the due reminders to the workers in chunks.
Each reminder becomes an in-app notice and an encrypted Web Push request to the local endpoint.
It prints sends per second and the delay between the reminders' due time and the last push
received, then stops the worker, drops the database and flushes only the chosen Redis db.
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class PushEndpoint:
    """A local stand-in for a push service: answers 201 and counts what it receives."""

    def __init__(self):
        self.count = 0
        self.last_at = None
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with endpoint.lock:
                    endpoint.count += 1
                    endpoint.last_at = time.monotonic()
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"


def daytime_zone() -> str:
    """A time zone where it is now between 09:00 and 19:00: quiet hours would hold the pushes."""
    import zoneinfo
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    for name in (
        "Europe/Paris",
        "America/Cayenne",
        "Pacific/Noumea",
        "Indian/Reunion",
        "America/Martinique",
        "Pacific/Tahiti",
        "Asia/Tokyo",
        "America/Los_Angeles",
    ):
        if 9 <= now.astimezone(zoneinfo.ZoneInfo(name)).hour < 19:
            return name
    return "UTC"


def fill(count: int, people: int, origin: str):
    from django.utils import timezone

    from passemploi.accounts.models import Counselor, Structure, User, YoungPerson
    from passemploi.agenda.models import Appointment, Participation
    from passemploi.notifications.models import Reminder
    from passemploi.push.models import PushSubscription
    from tests.push.conftest import BrowserKeys

    now = timezone.now()
    structure = Structure.objects.create(
        name="Bench", kind="mission_locale", code="BENCH", time_zone=daytime_zone()
    )
    counselor_user = User.objects.create(email="c@bench.test", first_name="C", last_name="B")
    counselor = Counselor.objects.create(user=counselor_user, structure=structure)
    users = User.objects.bulk_create(
        User(email=f"j{n}@bench.test", first_name="J", last_name=str(n)) for n in range(people)
    )
    young = YoungPerson.objects.bulk_create(
        YoungPerson(user=u, structure=structure, counselor=counselor, scheme="CEJ") for u in users
    )
    keys = BrowserKeys()  # one key pair for all: the endpoint does not decrypt
    PushSubscription.objects.bulk_create(
        PushSubscription(user=u, endpoint=f"{origin}/push/{n}", p256dh=keys.p256dh, auth=keys.auth)
        for n, u in enumerate(users)
    )
    starts = now + timedelta(days=1)
    appointments = Appointment.objects.bulk_create(
        (
            Appointment(
                structure=structure,
                counselor=counselor,
                type="ENTRETIEN_INDIVIDUEL_CONSEILLER",
                title="Point",
                starts_at=starts + timedelta(seconds=n),
                local_date=(starts + timedelta(seconds=n)).date(),
                duration_minutes=30,
                modality="phone",
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    Participation.objects.bulk_create(
        (
            Participation(appointment=a, young_person=young[n % people])
            for n, a in enumerate(appointments)
        ),
        batch_size=5000,
    )
    Reminder.objects.bulk_create(
        (
            Reminder(
                kind="appointment_1d",
                young_person=young[n % people],
                appointment=a,
                due_at=now - timedelta(seconds=1),
            )
            for n, a in enumerate(appointments)
        ),
        batch_size=5000,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-db", type=int, default=10)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--timeout", type=int, default=3600)
    parser.add_argument("--log", default="/dev/null", help="the worker's output")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # cleans up as on Ctrl-C

    from passemploi.push.management.commands.generate_vapid_keys import generate_vapid_keys

    name = f"bench_notif_{secrets.token_hex(4)}"
    private, public = generate_vapid_keys()
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"{args.postgres}/{name}",
        REDIS_URL=redis_url,
        HUEY_IMMEDIATE="false",
        DEBUG="false",
        VAPID_PRIVATE_KEY=private,
        VAPID_PUBLIC_KEY=public,
        LOG_LEVEL="WARNING",
    )
    host = urlsplit(args.postgres)
    admin = ["-h", host.hostname, "-p", str(host.port or 5432), "-U", host.username or "postgres"]
    subprocess.run(["createdb", *admin, name], check=True)  # noqa: S603, S607
    worker = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from passemploi.notifications import tasks
        from passemploi.notifications.models import Delivery
        from passemploi.notifications.queues import urgent

        urgent.flush()
        endpoint = PushEndpoint()
        clock = time.monotonic()
        fill(args.count, args.people, endpoint.origin)
        print(f"{args.count} reminders planned in {time.monotonic() - clock:.1f} s", flush=True)
        # With its schedule: the minute reminder task and the outbox sweeper run as in production.
        log = open(args.log, "wb")  # noqa: SIM115
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "worker", "--queue", "urgent", "-w", str(args.workers)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        time.sleep(3)  # the worker's start-up
        due = time.monotonic()
        print(tasks.send_reminders(), flush=True)
        while endpoint.count < args.count and time.monotonic() - due < args.timeout:
            if (endpoint.last_at or due) < time.monotonic() - 120 and endpoint.count:
                break  # nothing for two minutes: the sweeper would have resent anything lost
            time.sleep(5)
            elapsed = time.monotonic() - due
            print(f"  {elapsed:6.0f} s: {endpoint.count} pushes received", flush=True)
        sent = endpoint.count
        last = (endpoint.last_at or due) - due
        print(f"pushes received: {sent} / {args.count}")
        print(f"sends per second: {sent / last:.1f}" if last > 0 else "no send")
        print(f"delay of the last one after its due time: {last:.1f} s")
        states = Delivery.objects.values_list("state").order_by("state")
        print("deliveries:", {s: states.filter(state=s).count() for s in ("sent", "pending")})
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, 15)
            worker.wait(30)
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", *admin, "--force", "--if-exists", name], check=False)  # noqa: S603, S607
        flush = ["redis-cli", "-n", str(args.redis_db), "flushdb"]
        subprocess.run(flush, check=False, capture_output=True)  # noqa: S603, S607


if __name__ == "__main__":
    main()
