"""Benchmark of the foundation's hot paths. Prints figures; asserts nothing.

Run: .venv/bin/python bench/foundation.py [--young-people N] [--runs N]
(config.settings.test by default; DATABASE_URL picks PostgreSQL).
It creates a throw-away test database (PostgreSQL when DATABASE_URL is set), fills one counselor's
portfolio, then times the portfolio page, the young person's Accueil, the token endpoint and /me.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def timed(label: str, call, runs: int) -> None:
    call()  # warm-up
    samples = []
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    query_count = len(queries.captured_queries)
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(
        f"{label:<38} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms   "
        f"{query_count:3d} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--young-people", type=int, default=200)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from tests.factories import PASSWORD, CounselorFactory, YoungPersonFactory

        counselor = CounselorFactory()
        people = YoungPersonFactory.create_batch(args.young_people, counselor=counselor)
        print(f"database: {connection.vendor}; portfolio of {args.young_people} young people\n")

        counselor_client = Client()
        counselor_client.force_login(counselor.user)
        timed(
            "GET /conseiller/ (page of 50)", lambda: counselor_client.get("/conseiller/"), args.runs
        )
        timed(
            "GET /conseiller/?page=4",
            lambda: counselor_client.get("/conseiller/?page=4"),
            args.runs,
        )
        young_client = Client()
        young_client.force_login(people[0].user)
        timed("GET /app/ (Accueil)", lambda: young_client.get("/app/"), args.runs)

        api = Client()
        email = people[0].user.email

        def token():
            return api.post(
                "/api/v1/auth/token",
                {"email": email, "password": PASSWORD},
                content_type="application/json",
            )

        timed("POST /api/v1/auth/token", token, args.runs)
        access = token().json()["access_token"]
        timed(
            "GET /api/v1/me (bearer)",
            lambda: api.get("/api/v1/me", headers={"authorization": f"Bearer {access}"}),
            args.runs,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
