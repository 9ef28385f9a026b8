"""Benchmark of the public /stats page and the weekly aggregation. Prints figures; asserts
nothing (not in CI).

Run: DATABASE_URL=postgres://... .venv/bin/python bench/stats.py [--people 5000] [--runs 20]

It creates a throw-away test database, writes a year of engagement events for `--people`
pseudonymous young people (and one counselor for 20 of them) across every structure kind and
region, times `aggregate_weeks()`, then times GET /stats/ (median, p95, queries).
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
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


def fill(people: int) -> int:
    from passemploi.accounts.enums import StructureKind
    from passemploi.stats.enums import ActorKind, EventKind
    from passemploi.stats.models import EngagementEvent
    from passemploi.stats.regions import REGIONS

    rng = random.Random(11)  # noqa: S311 - test data
    departements = [d for _, listed in REGIONS.values() for d in listed.split()]
    kinds = list(StructureKind.values)
    events = []
    now = timezone.now()
    total = 0
    for n in range(people):
        actor_kind = ActorKind.COUNSELOR if n % 21 == 0 else ActorKind.YOUNG_PERSON
        actor, departement, kind = uuid.uuid4(), rng.choice(departements), rng.choice(kinds)
        for week in range(52):
            if rng.random() < 0.4:
                continue
            for _ in range(rng.randint(1, 4)):
                events.append(
                    EngagementEvent(
                        occurred_at=now - timedelta(days=7 * week + rng.randint(0, 6)),
                        actor_kind=actor_kind,
                        actor_id=actor,
                        kind=rng.choice(list(EventKind.values)),
                        structure_kind=kind,
                        departement=departement,
                        region="",
                    )
                )
        if len(events) > 20000:
            total += len(EngagementEvent.objects.bulk_create(events))
            events = []
    total += len(EngagementEvent.objects.bulk_create(events))
    from passemploi.stats.regions import region_of

    for departement in departements:
        EngagementEvent.objects.filter(departement=departement).update(
            region=region_of(departement)
        )
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from passemploi.stats.models import WeeklyStat
        from passemploi.stats.services import aggregate_weeks

        count = fill(args.people)
        start = time.perf_counter()
        aggregate_weeks()
        print(
            f"{count} events, {args.people} people: aggregate_weeks "
            f"{time.perf_counter() - start:.1f} s, {WeeklyStat.objects.count()} weekly rows"
        )
        client = Client()
        client.get("/stats/")
        executed = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get("/stats/")
        samples = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get("/stats/")
            samples.append((time.perf_counter() - start) * 1000)
        samples.sort()
        p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
        print(
            f"GET /stats/ {response.status_code}: median {statistics.median(samples):.1f} ms, "
            f"p95 {p95:.1f} ms, {len(executed)} queries, "
            f"{len(response.content) // 1024} KiB"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
