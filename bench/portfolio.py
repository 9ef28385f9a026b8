"""Benchmark of the counselor's portfolio page and the dropout early warning. Prints figures;
asserts nothing.

Run: .venv/bin/python bench/portfolio.py [--young-people N] [--runs N]
(config.settings.test by default; DATABASE_URL picks PostgreSQL).
It creates a throw-away test database, fills one counselor's portfolio (actions, messages,
appointments with some missed, stored risk levels), then times the whole page (`GET /conseiller/`
through the test client: middleware, query, template) with and without filters and sorts, the
CSV and XLSX exports and `refresh_risks` for the portfolio.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(label: str, call, runs: int) -> None:
    call()  # warm-up (and the session's first save)
    executed = []
    # An execute wrapper counts every statement (a request start empties the debug query log).
    with connection.execute_wrapper(lambda execute, *args: executed.append(1) or execute(*args)):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    print(
        f"{label:<52} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   "
        f"{len(executed):3d} queries"
    )


def fill(counselor, people) -> None:
    from passemploi.chat import services as chat
    from tests.factories import ActionFactory, AppointmentFactory, ParticipationFactory

    rng = random.Random(7)  # noqa: S311 - test data
    now = timezone.now()
    for young_person in people:
        for _ in range(rng.randint(0, 6)):
            ActionFactory(
                young_person=young_person,
                due_date=timezone.localdate() + timedelta(days=rng.randint(-20, 10)),
            )
        conversation = chat.conversation_of(young_person)
        for _ in range(rng.randint(0, 3)):
            chat.send_message(young_person.user, conversation, "Bonjour")
        chat.send_message(counselor.user, conversation, "Des nouvelles ?")
        if rng.random() < 0.3:
            ParticipationFactory(
                young_person=young_person,
                appointment=AppointmentFactory(
                    counselor=counselor, starts_at=now - timedelta(days=rng.randint(1, 20))
                ),
                attendance="absent",
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--young-people", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from passemploi.accounts.models import YoungPerson
        from passemploi.portfolio.risk import refresh_risks
        from tests.factories import CounselorFactory, YoungPersonFactory

        counselor = CounselorFactory()
        rng = random.Random(3)  # noqa: S311 - test data
        people = [
            YoungPersonFactory(
                counselor=counselor,
                hour_counter_enabled=rng.random() < 0.5,
                user__last_login=timezone.now() - timedelta(days=rng.randint(0, 40)),
            )
            for _ in range(args.young_people)
        ]
        start = time.perf_counter()
        fill(counselor, people)
        print(
            f"database: {connection.vendor}; portfolio of {len(people)} young people "
            f"(filled in {time.perf_counter() - start:.1f} s)\n"
        )
        portfolio = YoungPerson.objects.filter(counselor=counselor)
        timed(
            f"refresh_risks: {len(people)} young people",
            lambda: refresh_risks(portfolio),
            max(args.runs // 4, 3),
        )
        client = Client()
        client.force_login(counselor.user)
        for label, url in [
            ("portfolio page, sorted by name", "/conseiller/"),
            ("portfolio page, sorted by risk", "/conseiller/?tri=risque"),
            ("portfolio page, hours sort + inactive filter", "/conseiller/?tri=heures&inactif=7"),
            ("CSV export (every row)", "/conseiller/export.csv"),
            ("XLSX export (every row)", "/conseiller/export.xlsx"),
        ]:
            timed(label, lambda url=url: client.get(url), args.runs)
        # Every row on one page: the whole portfolio rendered at once.
        from passemploi.portfolio import views

        views.PAGE_SIZE = len(people)
        timed(
            f"portfolio page, all {len(people)} rows on one page",
            lambda: client.get("/conseiller/?tri=activite"),
            args.runs,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
