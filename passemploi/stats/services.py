"""Weekly aggregates of the engagement events: `aggregate_weeks()` rebuilds them (the nightly
job and `manage.py build_stats` call it), so the public page never scans the raw events.

A week runs Monday to Sunday in Europe/Paris. Each measure is stored for every slice: all
structures, each structure kind, each region."""

import zoneinfo
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from passemploi.stats.enums import ACT_MEASURES, ActorKind, Measure
from passemploi.stats.models import EngagementEvent, WeeklyStat

ZONE = zoneinfo.ZoneInfo("Europe/Paris")
# Engagement: active on at least ENGAGED_DAYS different days of the week; regularity: active
# in at least REGULAR_WEEKS of the last WINDOW_WEEKS weeks.
ENGAGED_DAYS = 2
REGULAR_WEEKS = 3
WINDOW_WEEKS = 6


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(week: date) -> tuple[datetime, datetime]:
    start = datetime.combine(week, time.min, tzinfo=ZONE)
    return start, datetime.combine(week + timedelta(days=7), time.min, tzinfo=ZONE)


def current_week(now=None) -> date:
    return monday(timezone.localtime(now or timezone.now(), ZONE).date())


def _slices(structure_kind: str, region: str):
    return (("", ""), (structure_kind, ""), ("", region))


def compute(events, first_week: date, last_week: date) -> dict:
    """{(week, structure_kind, region, measure): value} from an iterable of
    (occurred_at, actor_kind, actor_id, kind, structure_kind, region). Pure Python: the tests
    compare it with a hand count, and `aggregate_weeks` feeds it from the database."""
    acts = defaultdict(int)
    # person → week → days active, per slice
    days = defaultdict(lambda: defaultdict(set))
    first_seen = {}
    for occurred_at, actor_kind, actor_id, kind, structure_kind, region in events:
        local = timezone.localtime(occurred_at, ZONE).date()
        week = monday(local)
        person = (actor_kind, actor_id)
        first_seen[person] = min(first_seen.get(person, week), week)
        for sk, rg in _slices(structure_kind, region):
            days[(sk, rg, person)][week].add(local)
            if kind in ACT_MEASURES and week >= first_week:
                acts[(week, sk, rg, ACT_MEASURES[kind])] += 1
    values = defaultdict(int, acts)
    weeks = []
    week = first_week
    while week <= last_week:
        weeks.append(week)
        week += timedelta(days=7)
    for (sk, rg, person), by_week in days.items():
        young = person[0] == ActorKind.YOUNG_PERSON
        active_weeks = set(by_week)
        for week in weeks:
            window = {week - timedelta(days=7 * i) for i in range(WINDOW_WEEKS)}
            seen = len(active_weeks & window)
            if week in active_weeks:
                if young:
                    values[(week, sk, rg, Measure.ACTIVE_YOUNG_PEOPLE)] += 1
                    if len(by_week[week]) >= ENGAGED_DAYS:
                        values[(week, sk, rg, Measure.ENGAGED_YOUNG_PEOPLE)] += 1
                else:
                    values[(week, sk, rg, Measure.ACTIVE_COUNSELORS)] += 1
            if young and seen:
                values[(week, sk, rg, Measure.USING_YOUNG_PEOPLE)] += 1
                if seen >= REGULAR_WEEKS:
                    values[(week, sk, rg, Measure.REGULAR_YOUNG_PEOPLE)] += 1
            if min(active_weeks) <= week:
                total = Measure.TOTAL_YOUNG_PEOPLE if young else Measure.TOTAL_COUNSELORS
                values[(week, sk, rg, total)] += 1
    return dict(values)


def aggregate_weeks(weeks: int | None = None, now=None) -> int:
    """Rebuild the weekly aggregates of the last `weeks` weeks (all weeks since the first event
    by default), up to the current week. Idempotent. Returns the number of rows written."""
    last_week = current_week(now)
    first_event = EngagementEvent.objects.order_by("occurred_at").first()
    if first_event is None:
        WeeklyStat.objects.all().delete()
        return 0
    first_week = monday(timezone.localtime(first_event.occurred_at, ZONE).date())
    if weeks is not None:
        first_week = max(first_week, last_week - timedelta(days=7 * (weeks - 1)))
    _, end = week_bounds(last_week)
    # All events up to the end: the "since the start" and 6-week measures look back.
    rows = EngagementEvent.objects.filter(occurred_at__lt=end).values_list(
        "occurred_at", "actor_kind", "actor_id", "kind", "structure_kind", "region"
    )
    values = compute(rows.iterator(chunk_size=5000), first_week, last_week)
    stats = [
        WeeklyStat(week=w, structure_kind=sk, region=rg, measure=m, value=v)
        for (w, sk, rg, m), v in values.items()
        if first_week <= w <= last_week
    ]
    with transaction.atomic():
        WeeklyStat.objects.filter(week__gte=first_week).delete()
        WeeklyStat.objects.bulk_create(stats, batch_size=2000)
    return len(stats)
