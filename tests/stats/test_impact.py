"""Each impact measure on a crafted structure, with the expected numbers counted by hand."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from passemploi.chat import services as chat
from passemploi.chat.models import Message
from passemploi.portfolio.models import Archive
from passemploi.stats import dashboard, impact
from passemploi.stats.enums import ActorKind, EventKind
from passemploi.stats.impact import Period
from passemploi.stats.models import EngagementEvent
from tests.factories import ActionFactory, StructureFactory, YoungPersonFactory

PARIS = ZoneInfo("Europe/Paris")
SEPTEMBER = Period(date(2026, 9, 1), date(2026, 10, 1))


def moment(day: str, hour: int = 10):
    return datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=PARIS)


def archive(young_person, reason, day):
    Archive.objects.create(
        young_person=young_person,
        reason=reason,
        end_date=date.fromisoformat(day),
        archived_at=moment(day),
    )


def activity(young_person, day):
    EngagementEvent.objects.create(
        occurred_at=moment(day),
        actor_kind=ActorKind.YOUNG_PERSON,
        actor_id=young_person.pk,
        kind=EventKind.SIGN_IN,
        structure_id=young_person.structure_id,
    )


@pytest.fixture
def world(db):
    s = StructureFactory()
    june = date(2026, 6, 1)
    y = {
        n: YoungPersonFactory(structure=s, counselor__structure=s, start_date=june)
        for n in range(1, 7)
    }
    archive(y[1], "dropout", "2026-09-15")  # dropout
    # y2: no activity at all → silent for 30 days → dropout
    activity(y[3], "2026-09-25")  # active
    y[4].start_date = date(2026, 9, 20)  # too recent to be "silent"
    y[4].save()
    y[5].start_date = date(2026, 1, 1)
    y[5].save()
    archive(y[5], "lasting_job", "2026-09-10")  # 252 days
    activity(y[5], "2026-09-05")
    y[6].start_date = date(2026, 3, 1)
    y[6].save()
    archive(y[6], "permanent_contract", "2026-09-20")  # 203 days
    gone = YoungPersonFactory(structure=s, counselor__structure=s, start_date=june)
    archive(gone, "training", "2026-08-01")  # before the period: outside everything
    elsewhere = YoungPersonFactory(start_date=june)
    archive(elsewhere, "short_job", "2026-09-10")
    activity(elsewhere, "2026-09-10")
    return s, y


def test_dropout_and_activity(world):
    s, _ = world
    assert vars(impact.dropout([s.pk], SEPTEMBER)) == {"numerator": 2, "denominator": 6}
    assert vars(impact.active([s.pk], SEPTEMBER)) == {"numerator": 2, "denominator": 6}


def test_exits(world):
    s, _ = world
    assert vars(impact.positive_exits([s.pk], SEPTEMBER)) == {"numerator": 2, "denominator": 3}
    assert impact.days_to_durable_job([s.pk], SEPTEMBER) == (227.5, 2)
    # Support sees every structure: the short job elsewhere adds one positive exit.
    assert vars(impact.positive_exits(None, SEPTEMBER)) == {"numerator": 3, "denominator": 4}


def test_actions_created_by_young_people(world):
    s, y = world
    ActionFactory(young_person=y[3], created_at=moment("2026-09-03"))
    ActionFactory(young_person=y[3], created_at=moment("2026-09-20"))
    ActionFactory(young_person=y[3], by_counselor=True, created_at=moment("2026-09-21"))
    ActionFactory(young_person=y[3], created_at=moment("2026-08-20"))  # before the period
    assert vars(impact.actions_by_young_people([s.pk], SEPTEMBER)) == {
        "numerator": 2,
        "denominator": 3,
    }


def test_exchanges_started_by_young_people(world):
    s, y = world
    conversation = chat.conversation_of(y[3])
    counselor, young = y[3].counselor.user, y[3].user
    times = [
        (counselor, "2026-08-31", 20),  # before the period
        (young, "2026-09-01", 8),  # 12 hours later: a reply, not a new exchange
        (young, "2026-09-02", 10),  # new exchange, by the young person
        (counselor, "2026-09-02", 11),
        (counselor, "2026-09-05", 9),  # new exchange, by the counselor
        (young, "2026-09-05", 10),
    ]
    for sender, day, hour in times:
        message = chat.send_message(sender, conversation, "Bonjour")
        message = message[0] if isinstance(message, tuple) else message
        Message.objects.filter(pk=message.pk).update(created_at=moment(day, hour))
    assert vars(impact.exchanges_started_by_young_people([s.pk], SEPTEMBER)) == {
        "numerator": 1,
        "denominator": 2,
    }


def test_hours_declared_per_week(world):
    s, y = world
    for n in (3, 5):
        y[n].hour_counter_enabled = True
        y[n].save()
    # Last complete weeks inside September: 7, 14 and 21 September → 2 people × 3 weeks.
    ActionFactory(
        young_person=y[3],
        done=True,
        due_date=date(2026, 9, 15),
        qualified_hours=Decimal(8),
        created_at=moment("2026-08-01"),
    )
    ActionFactory(
        young_person=y[5],
        done=True,
        due_date=date(2026, 9, 22),
        qualified_hours=Decimal(4),
        created_at=moment("2026-08-01"),
    )
    assert impact.hours_per_week([s.pk], SEPTEMBER) == (2.0, 6)


def test_dashboard_rows_compare_with_previous_period(world):
    s, _ = world
    rows = {row.code: row for row in dashboard.build([s.pk], SEPTEMBER)}
    assert set(rows) == {
        "dropout",
        "active",
        "own_actions",
        "started_exchanges",
        "hours",
        "durable_job_days",
        "positive_exits",
    }
    assert rows["positive_exits"].current.basis == 3
    assert rows["positive_exits"].current_shown == "< 10"  # under 10 exits
    assert rows["positive_exits"].trend == "Comparaison impossible"
    # Previous period, 2–31 August: y1–y3, y5, y6 (y4 starts later, the other left on 1 August),
    # none of them active in its last 30 days.
    assert (rows["dropout"].previous.basis, rows["dropout"].previous.value) == (5, 1.0)
    assert rows["dropout"].definition
