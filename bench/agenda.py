"""Benchmark of the agenda pages. Prints figures; asserts nothing.

Run: .venv/bin/python bench/agenda.py [--appointments N] [--runs N]
(config.settings.test by default; DATABASE_URL picks PostgreSQL).
It creates a throw-away test database with one counselor, 50 young people and N appointments of
three participants each over the coming days, then times the counselor's week view, the young
person's Événements and Mon suivi pages.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(label: str, client: Client, path: str, runs: int) -> None:
    client.get(path)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    count = len(queries.captured_queries)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"{label:<40} {status}  median {statistics.median(samples):7.2f} ms   "
        f"p95 {p95:7.2f} ms   {count:3d} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appointments", type=int, default=60)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from tests.factories import (
            AppointmentFactory,
            CounselorFactory,
            ParticipationFactory,
            YoungPersonFactory,
        )

        counselor = CounselorFactory()
        people = YoungPersonFactory.create_batch(50, counselor=counselor)
        for i in range(args.appointments):
            session = i % 4 == 0
            appointment = AppointmentFactory(
                counselor=counselor,
                starts_at=timezone.now() + timedelta(hours=2 + i * 2),
                session=session,
            )
            for young_person in people[i % 45 : i % 45 + 3]:
                ParticipationFactory(appointment=appointment, young_person=young_person)
        print(f"database: {connection.vendor}; {args.appointments} appointments, 50 young people\n")
        desk = Client()
        desk.force_login(counselor.user)
        timed("GET /conseiller/agenda/", desk, "/conseiller/agenda/", args.runs)
        timed(
            "GET /conseiller/agenda/?vue=structure",
            desk,
            "/conseiller/agenda/?vue=structure",
            args.runs,
        )
        phone = Client()
        phone.force_login(people[1].user)
        timed("GET /app/evenements/", phone, "/app/evenements/", args.runs)
        timed("GET /app/suivi/", phone, "/app/suivi/", args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
