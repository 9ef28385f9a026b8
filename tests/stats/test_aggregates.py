"""Weekly aggregates on crafted events (expected numbers written by hand), their equality with a
direct count over the raw events, and small-number suppression."""

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from passemploi.stats import services
from passemploi.stats.enums import ActorKind, EventKind, Measure
from passemploi.stats.models import EngagementEvent, WeeklyStat
from passemploi.stats.public import HIDDEN, hide, share

PARIS = ZoneInfo("Europe/Paris")
W1 = date(2026, 10, 5)  # a Monday
YP = ActorKind.YOUNG_PERSON
CO = ActorKind.COUNSELOR
A, B, C = (uuid.UUID(int=n) for n in (1, 2, 3))
K = uuid.UUID(int=9)


def at(week: int, day: int, hour: int = 10):
    return datetime.combine(W1 + timedelta(weeks=week, days=day), datetime.min.time(), PARIS) + (
        timedelta(hours=hour)
    )


def crafted():
    ml, ft = "MISSION_LOCALE", "FRANCE_TRAVAIL"
    return [
        # A (ML, Île-de-France): two days in week 0, one in weeks 1 and 3.
        (at(0, 0), YP, A, EventKind.SIGN_IN, ml, "11"),
        (at(0, 0, 11), YP, A, EventKind.MESSAGE_SENT, ml, "11"),
        (at(0, 2), YP, A, EventKind.ACTION_CREATED, ml, "11"),
        (at(1, 4), YP, A, EventKind.MESSAGE_SENT, ml, "11"),
        (at(3, 1), YP, A, EventKind.ACTION_DONE, ml, "11"),
        # B (FT, La Réunion): twice on the same day of week 0 (not "engaged").
        (at(0, 3), YP, B, EventKind.OFFER_SAVED, ft, "04"),
        (at(0, 3, 15), YP, B, EventKind.APPOINTMENT_ATTENDED, ft, "04"),
        # C (ML): week 3 only, Sunday 23:30 Paris is still week 3.
        (at(3, 6, 23) + timedelta(minutes=30), YP, C, EventKind.SIGN_IN, ml, "11"),
        # A counselor: messages in weeks 0 and 3.
        (at(0, 1), CO, K, EventKind.MESSAGE_SENT, ml, "11"),
        (at(3, 1), CO, K, EventKind.MESSAGE_SENT, ml, "11"),
    ]


def test_measures_on_crafted_events():
    values = services.compute(crafted(), W1, W1 + timedelta(weeks=3))
    w = [W1 + timedelta(weeks=n) for n in range(4)]

    def v(week, measure, sk="", rg=""):
        return values.get((week, sk, rg, measure), 0)

    assert [v(x, Measure.ACTIVE_YOUNG_PEOPLE) for x in w] == [2, 1, 0, 2]
    assert [v(x, Measure.ENGAGED_YOUNG_PEOPLE) for x in w] == [1, 0, 0, 0]
    assert [v(x, Measure.ACTIVE_COUNSELORS) for x in w] == [1, 0, 0, 1]
    # A is active in weeks 0, 1, 3: three of the last six weeks only in week 3.
    assert [v(x, Measure.REGULAR_YOUNG_PEOPLE) for x in w] == [0, 0, 0, 1]
    assert [v(x, Measure.USING_YOUNG_PEOPLE) for x in w] == [2, 2, 2, 3]
    assert [v(x, Measure.MESSAGES) for x in w] == [2, 1, 0, 1]
    assert [v(x, Measure.TOTAL_YOUNG_PEOPLE) for x in w] == [2, 2, 2, 3]
    assert v(w[0], Measure.OFFERS_FOLLOWED) == 1
    assert v(w[0], Measure.APPOINTMENTS_HELD) == 1
    assert v(w[3], Measure.ACTIONS_DONE) == 1
    # Slices: by structure kind and by region.
    assert v(w[0], Measure.ACTIVE_YOUNG_PEOPLE, sk="MISSION_LOCALE") == 1
    assert v(w[0], Measure.ACTIVE_YOUNG_PEOPLE, sk="FRANCE_TRAVAIL") == 1
    assert v(w[3], Measure.ACTIVE_YOUNG_PEOPLE, rg="11") == 2
    assert v(w[3], Measure.ACTIVE_YOUNG_PEOPLE, rg="04") == 0


def _store(rows):
    EngagementEvent.objects.bulk_create(
        EngagementEvent(
            occurred_at=when, actor_kind=ak, actor_id=aid, kind=kind, structure_kind=sk, region=rg
        )
        for when, ak, aid, kind, sk, rg in rows
    )


def test_aggregates_equal_a_direct_count_over_raw_events(db):
    rows = crafted()
    # More people so that several weeks have real volumes.
    for n in range(40):
        person = uuid.UUID(int=100 + n)
        for week in range(n % 4, 6, 2):
            rows.append(
                (at(week, n % 7), YP, person, EventKind.SIGN_IN, "CONSEIL_DEPARTEMENTAL", "84")
            )
    _store(rows)
    services.aggregate_weeks(now=at(5, 2))
    # Direct: distinct young people per local week, and messages per week, from the table.
    active = defaultdict(set)
    messages = defaultdict(int)
    for event in EngagementEvent.objects.all():
        week = services.monday(event.occurred_at.astimezone(PARIS).date())
        if event.actor_kind == YP:
            active[week].add(event.actor_id)
        messages[week] += event.kind == EventKind.MESSAGE_SENT
    stored = {
        (s.week, s.measure): s.value
        for s in WeeklyStat.objects.filter(structure_kind="", region="")
    }
    for week, people in active.items():
        assert stored[(week, Measure.ACTIVE_YOUNG_PEOPLE)] == len(people)
    for week, count in messages.items():
        assert stored.get((week, Measure.MESSAGES), 0) == count
    # Idempotent: a second run gives the same rows.
    before = set(
        WeeklyStat.objects.values_list("week", "structure_kind", "region", "measure", "value")
    )
    services.aggregate_weeks(now=at(5, 2))
    after = set(
        WeeklyStat.objects.values_list("week", "structure_kind", "region", "measure", "value")
    )
    assert before == after


def test_small_numbers_are_hidden():
    assert hide(0) == HIDDEN
    assert hide(9) == HIDDEN
    assert hide(10) == 10
    assert share(9, 100) == HIDDEN
    assert share(50, 9) == HIDDEN
    assert share(25, 100) == 0.25
    assert share(0, 0) is None
