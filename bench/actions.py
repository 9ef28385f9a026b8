"""Benchmark of the weekly hour counter. Prints figures; asserts nothing.

Run: .venv/bin/python bench/actions.py [--young-people N] [--actions N] [--runs N]
(config.settings.test by default; DATABASE_URL picks PostgreSQL).
It creates a throw-away test database, fills one counselor's portfolio with actions spread over
six months (bulk_create, mixed statuses, some qualified), then times the counter for the whole
portfolio (hours_for, as the portfolio page does) and for one young person (hours_of).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(label: str, call, runs: int) -> None:
    call()  # warm-up
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    query_count = len(queries.captured_queries)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    print(
        f"{label:<46} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms   "
        f"{query_count:3d} queries"
    )


def fill(young_people, per_person: int, today) -> int:
    from passemploi.actions.enums import DEFAULT_HOURS, ActionCategory, ActionStatus, CreatorRole
    from passemploi.actions.models import Action

    rng = random.Random(42)  # noqa: S311 - test data
    categories = list(ActionCategory.values)
    statuses = [
        (ActionStatus.DONE, 45),
        (ActionStatus.IN_PROGRESS, 20),
        (ActionStatus.NOT_STARTED, 25),
        (ActionStatus.CANCELED, 10),
    ]
    now = timezone.now()
    rows = []
    for young_person in young_people:
        for n in range(per_person):
            due = today + timedelta(days=rng.randint(-170, 14))
            status = rng.choices([s for s, _ in statuses], [w for _, w in statuses])[0]
            category = rng.choice(categories)
            action = Action(
                young_person=young_person,
                title=f"Action {n}",
                category=category,
                status=status,
                due_date=due,
                created_by=young_person.user,
                creator_role=CreatorRole.YOUNG_PERSON,
                created_at=now - timedelta(days=rng.randint(0, 180)),
            )
            if status in (ActionStatus.IN_PROGRESS, ActionStatus.DONE):
                action.start_date = min(due, today)
            if status == ActionStatus.DONE:
                action.end_date = min(due + timedelta(days=rng.randint(0, 3)), today)
                if rng.random() < 0.4:
                    action.qualification_code = category
                    action.qualified_hours = DEFAULT_HOURS[category] + Decimal("0.5")
                    action.qualified_at = now
            rows.append(action)
    Action.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--young-people", type=int, default=200)
    parser.add_argument("--actions", type=int, default=40, help="per young person")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from passemploi.accounts.models import YoungPerson
        from passemploi.actions.counter import Week, hours_for, hours_of, local_today
        from tests.factories import CounselorFactory, YoungPersonFactory

        counselor = CounselorFactory()
        YoungPersonFactory.create_batch(args.young_people, counselor=counselor)
        people = list(
            YoungPerson.objects.filter(counselor=counselor).select_related("user", "structure")
        )
        today = local_today(people[0])
        start = time.perf_counter()
        count = fill(people, args.actions, today)
        elapsed = time.perf_counter() - start
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE actions_action")
        week = Week.of(today)
        ids = [p.pk for p in people]
        totals = hours_for(ids, week)
        counted = sum(1 for h in totals.values() if h.declared)
        print(
            f"database: {connection.vendor}; portfolio of {len(people)} young people, "
            f"{count} actions (bulk_create {elapsed:.1f} s); this week {counted} young people "
            f"have declared hours\n"
        )
        timed(
            f"hours_for: portfolio of {len(ids)}, this week",
            lambda: hours_for(ids, week),
            args.runs,
        )
        timed(
            f"hours_for: portfolio of {len(ids)}, 8 weeks ago",
            lambda: hours_for(ids, week.shift(-8)),
            args.runs,
        )
        timed(
            "hours_for: 12 weeks of the portfolio",
            lambda: [hours_for(ids, week.shift(-n)) for n in range(12)],
            max(args.runs // 5, 5),
        )
        one = people[0]
        timed("hours_of: one young person, given week", lambda: hours_of(one, week), args.runs)
        timed("hours_of: one young person, this week", lambda: hours_of(one), args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
