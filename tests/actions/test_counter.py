"""The weekly hour counter: which actions count, for how many hours, in which week."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from passemploi.actions import services
from passemploi.actions.counter import (
    SOURCES,
    Hours,
    Week,
    encouragement,
    hours_for,
    hours_of,
    local_date,
    local_today,
)
from passemploi.actions.enums import ActionStatus
from tests.factories import ActionFactory, StructureFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

# The week of Monday 12 to Sunday 18 January 2026.
MONDAY = date(2026, 1, 12)
WEEK = Week(MONDAY)


def person_in(time_zone: str):
    return YoungPersonFactory(counselor__structure=StructureFactory(time_zone=time_zone))


def done_at(young_person, moment: datetime, **fields):
    """An action marked done through the service at a real instant (UTC)."""
    fields.setdefault("due_date", moment.date() - timedelta(days=10))
    action = ActionFactory(young_person=young_person, **fields)
    with time_machine.travel(moment, tick=False):
        services.change_status(young_person.user, action, ActionStatus.DONE)
    action.refresh_from_db()
    return action


class TestWeek:
    @pytest.mark.parametrize("offset", range(7))
    def test_every_day_belongs_to_the_week_starting_on_monday(self, offset):
        day = MONDAY + timedelta(days=offset)
        week = Week.of(day)
        assert week == WEEK
        assert week.start == date(2026, 1, 12)
        assert week.end == date(2026, 1, 18)
        assert week.start.weekday() == 0 and week.end.weekday() == 6

    def test_the_next_monday_starts_the_next_week(self):
        assert Week.of(date(2026, 1, 19)) == WEEK.shift(1) == Week(date(2026, 1, 19))
        assert Week.of(date(2026, 1, 11)) == WEEK.shift(-1) == Week(date(2026, 1, 5))

    def test_across_a_year_end(self):
        assert Week.of(date(2026, 1, 1)) == Week(date(2025, 12, 29))
        assert Week.of(date(2026, 1, 1)).end == date(2026, 1, 4)

    def test_local_dates_of_an_instant(self):
        moment = datetime(2026, 1, 11, 22, 30, tzinfo=UTC)
        assert local_date(person_in("Europe/Paris"), moment) == date(2026, 1, 11)
        assert local_date(person_in("Indian/Reunion"), moment) == date(2026, 1, 12)
        assert local_date(person_in("America/Cayenne"), moment) == date(2026, 1, 11)
        assert local_date(person_in("Pacific/Noumea"), moment) == date(2026, 1, 12)


class TestWhatCounts:
    @pytest.mark.parametrize(
        ("fields", "declared"),
        [
            ({"status": "done", "end_date": date(2026, 1, 12)}, 3),  # done on Monday
            ({"status": "done", "end_date": date(2026, 1, 18)}, 3),  # done on Sunday
            ({"status": "done", "end_date": date(2026, 1, 11)}, 0),  # done the Sunday before
            ({"status": "done", "end_date": date(2026, 1, 19)}, 0),  # done the Monday after
            # Done counts by its end date, not its due date.
            ({"status": "done", "due_date": date(2026, 1, 14), "end_date": date(2026, 1, 9)}, 0),
            ({"status": "done", "due_date": date(2026, 1, 2), "end_date": date(2026, 1, 14)}, 3),
            ({"status": "in_progress", "due_date": date(2026, 1, 12)}, 3),
            ({"status": "in_progress", "due_date": date(2026, 1, 18)}, 3),
            ({"status": "in_progress", "due_date": date(2026, 1, 19)}, 0),
            ({"status": "in_progress", "due_date": date(2026, 1, 11)}, 0),
            ({"status": "not_started", "due_date": date(2026, 1, 14)}, 0),
            ({"status": "canceled", "due_date": date(2026, 1, 14)}, 0),
            ({"status": "canceled", "due_date": date(2026, 1, 14), "end_date": MONDAY}, 0),
        ],
    )
    def test_rule(self, young_person, fields, declared):
        fields.setdefault("due_date", date(2026, 1, 14))
        ActionFactory(young_person=young_person, category="EMPLOI", **fields)
        hours = hours_of(young_person, WEEK)
        assert hours == Hours(Decimal(declared), Decimal(0))

    @pytest.mark.parametrize(
        ("category", "hours"),
        [
            ("EMPLOI", 3),
            ("FORMATION", 3),
            ("PROJET_PROFESSIONNEL", 2),
            ("CULTURE_SPORT_LOISIRS", 2),
            ("CITOYENNETE", 2),
            ("LOGEMENT", 2),
            ("SANTE", 2),
        ],
    )
    def test_category_defaults(self, young_person, category, hours):
        ActionFactory(young_person=young_person, category=category, status="done", end_date=MONDAY)
        assert hours_of(young_person, WEEK).declared == Decimal(hours)

    def test_qualified_hours_replace_the_default_and_are_validated(self, young_person, counselor):
        action = ActionFactory(
            young_person=young_person, category="EMPLOI", status="done", end_date=MONDAY
        )
        services.qualify_action(counselor.user, action, hours="4.5")
        assert hours_of(young_person, WEEK) == Hours(Decimal("4.5"), Decimal("4.5"))

    def test_qualified_at_zero_hours_counts_zero(self, young_person, counselor):
        action = ActionFactory(
            young_person=young_person, category="EMPLOI", status="done", end_date=MONDAY
        )
        services.qualify_action(counselor.user, action, hours="0")
        assert hours_of(young_person, WEEK) == Hours(Decimal(0), Decimal(0))

    def test_non_snp_counts_zero(self, young_person, counselor):
        action = ActionFactory(
            young_person=young_person, category="FORMATION", status="done", end_date=MONDAY
        )
        services.qualify_action(counselor.user, action, code="NON_SNP", hours="5")
        assert hours_of(young_person, WEEK) == Hours(Decimal(0), Decimal(0))

    def test_auto_qualified_in_progress_counts_zero(self, young_person):
        ActionFactory(
            young_person=young_person,
            in_progress=True,
            due_date=date(2026, 1, 14),
            created_at=datetime(2025, 8, 1, tzinfo=UTC),
        )
        assert hours_of(young_person, WEEK).declared == Decimal(3)
        services.autoqualify_stale_actions(now=datetime(2026, 1, 14, tzinfo=UTC))
        assert hours_of(young_person, WEEK) == Hours()

    def test_validated_only_for_qualified_done_actions(self, young_person):
        # Not reachable through the services, but the rule is the status, not qualified_at.
        ActionFactory(
            young_person=young_person,
            in_progress=True,
            due_date=date(2026, 1, 14),
            qualification_code="EMPLOI",
            qualified_hours=Decimal(5),
            qualified_at=datetime(2026, 1, 14, tzinfo=UTC),
        )
        assert hours_of(young_person, WEEK) == Hours(Decimal(5), Decimal(0))

    def test_a_whole_week(self, young_person, counselor):
        make = ActionFactory
        make(young_person=young_person, category="EMPLOI", status="done", end_date=MONDAY)
        qualified = make(
            young_person=young_person,
            category="SANTE",
            status="done",
            due_date=date(2026, 1, 18),
            end_date=date(2026, 1, 18),
        )
        non_snp = make(
            young_person=young_person,
            category="FORMATION",
            status="done",
            end_date=date(2026, 1, 13),
        )
        make(young_person=young_person, category="FORMATION", in_progress=True, due_date=MONDAY)
        make(young_person=young_person, category="LOGEMENT", due_date=MONDAY)
        make(young_person=young_person, category="LOGEMENT", status="canceled", due_date=MONDAY)
        make(young_person=young_person, status="done", end_date=date(2026, 1, 19))
        services.qualify_action(counselor.user, qualified, hours="1.5")
        services.qualify_action(counselor.user, non_snp, code="NON_SNP")
        hours = hours_of(young_person, WEEK)
        assert hours == Hours(Decimal("7.5"), Decimal("1.5"))
        assert isinstance(hours.declared, Decimal) and isinstance(hours.validated, Decimal)
        assert hours_of(young_person, WEEK.shift(1)) == Hours(Decimal(3), Decimal(0))
        assert hours_of(young_person, WEEK.shift(-1)) == Hours()

    def test_others_actions_do_not_count(self, young_person):
        other = YoungPersonFactory(counselor=young_person.counselor)
        ActionFactory(young_person=other, status="done", end_date=MONDAY)
        assert hours_of(young_person, WEEK) == Hours()
        assert hours_of(other, WEEK).declared == Decimal(3)


class TestSummerTime:
    """Weeks are Monday 00:00 to Sunday 24:00 in Paris, whatever the UTC offset that day."""

    def _check(self, sunday, sunday_2330_utc, monday_0030_utc):
        young_person = person_in("Europe/Paris")
        on_sunday = done_at(young_person, sunday_2330_utc, category="EMPLOI")
        on_monday = done_at(young_person, monday_0030_utc, category="SANTE")
        assert on_sunday.end_date == sunday
        assert on_monday.end_date == sunday + timedelta(days=1)
        week = Week.of(sunday)
        assert week.end == sunday
        assert hours_of(young_person, week).declared == Decimal(3)
        assert hours_of(young_person, week.shift(1)).declared == Decimal(2)
        # Without a week argument: the week of the young person's local today.
        with time_machine.travel(sunday_2330_utc, tick=False):
            assert local_today(young_person) == sunday
            assert hours_of(young_person).declared == Decimal(3)
        with time_machine.travel(monday_0030_utc, tick=False):
            assert local_today(young_person) == sunday + timedelta(days=1)
            assert hours_of(young_person).declared == Decimal(2)

    def test_change_to_summer_time(self):
        # Sunday 29 March 2026: clocks go from 02:00 CET to 03:00 CEST (UTC+2) that night, so
        # Sunday 23:30 is 21:30 UTC and Monday 00:30 is 22:30 UTC, still Sunday in UTC.
        self._check(
            date(2026, 3, 29),
            datetime(2026, 3, 29, 21, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 22, 30, tzinfo=UTC),
        )

    def test_change_back_to_winter_time(self):
        # Sunday 25 October 2026: back to CET (UTC+1) at 03:00 CEST, so Sunday 23:30 is
        # 22:30 UTC and Monday 00:30 is 23:30 UTC.
        self._check(
            date(2026, 10, 25),
            datetime(2026, 10, 25, 22, 30, tzinfo=UTC),
            datetime(2026, 10, 25, 23, 30, tzinfo=UTC),
        )

    def test_the_short_and_long_days_belong_to_their_week(self):
        young_person = person_in("Europe/Paris")
        # 02:30 on 29 March does not exist in Paris; 00:30 UTC is 01:30 CET.
        done_at(young_person, datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
        # 02:30 happens twice on 25 October; 01:30 UTC is the second one (CET).
        done_at(young_person, datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
        assert hours_of(young_person, Week.of(date(2026, 3, 29))).declared == Decimal(3)
        assert hours_of(young_person, Week.of(date(2026, 10, 25))).declared == Decimal(3)


class TestOverseas:
    def test_reunion_is_already_monday(self):
        # Sunday 11 January 2026, 21:00 UTC: Monday 12, 01:00 in La Réunion (UTC+4).
        young_person = person_in("Indian/Reunion")
        moment = datetime(2026, 1, 11, 21, 0, tzinfo=UTC)
        action = done_at(young_person, moment)
        assert action.end_date == date(2026, 1, 12)
        assert hours_of(young_person, WEEK).declared == Decimal(3)
        assert hours_of(young_person, WEEK.shift(-1)) == Hours()
        with time_machine.travel(moment, tick=False):
            assert hours_of(young_person).declared == Decimal(3)

    def test_cayenne_is_still_sunday(self):
        # Monday 12 January 2026, 01:30 UTC: Sunday 11, 22:30 in Cayenne (UTC-3).
        young_person = person_in("America/Cayenne")
        moment = datetime(2026, 1, 12, 1, 30, tzinfo=UTC)
        action = done_at(young_person, moment)
        assert action.end_date == date(2026, 1, 11)
        assert hours_of(young_person, WEEK.shift(-1)).declared == Decimal(3)
        assert hours_of(young_person, WEEK) == Hours()
        with time_machine.travel(moment, tick=False):
            assert local_today(young_person) == date(2026, 1, 11)
            assert hours_of(young_person).declared == Decimal(3)

    def test_same_instant_different_weeks(self):
        moment = datetime(2026, 1, 11, 22, 30, tzinfo=UTC)
        paris, reunion = person_in("Europe/Paris"), person_in("Indian/Reunion")
        done_at(paris, moment)
        done_at(reunion, moment)
        totals = hours_for([paris.pk, reunion.pk], WEEK.shift(-1))
        assert totals[paris.pk].declared == Decimal(3)
        assert totals[reunion.pk] == Hours()


class TestPortfolio:
    def test_two_hundred_young_people_in_one_query_per_source(
        self, counselor, django_assert_num_queries
    ):
        people = YoungPersonFactory.create_batch(200, counselor=counselor)
        active = people[::2]
        for index, young_person in enumerate(active):
            ActionFactory(
                young_person=young_person, category="EMPLOI", status="done", end_date=MONDAY
            )
            if index % 3 == 0:
                ActionFactory(young_person=young_person, in_progress=True, due_date=MONDAY)
        ids = [p.pk for p in people]
        with django_assert_num_queries(len(SOURCES)):
            totals = hours_for(ids, WEEK)
        assert set(totals) == set(ids)
        for index, young_person in enumerate(active):
            expected = Decimal(6) if index % 3 == 0 else Decimal(3)
            assert totals[young_person.pk] == Hours(expected, Decimal(0))
        for young_person in people[1::2]:
            assert totals[young_person.pk] == Hours(Decimal(0), Decimal(0))

    def test_query_count_does_not_depend_on_size(self, counselor, django_assert_num_queries):
        people = YoungPersonFactory.create_batch(3, counselor=counselor)
        with django_assert_num_queries(len(SOURCES)):
            assert hours_for([people[0].pk], WEEK) == {people[0].pk: Hours()}
        with django_assert_num_queries(len(SOURCES)):
            hours_for([p.pk for p in people], WEEK)

    def test_nobody(self, django_assert_max_num_queries):
        with django_assert_max_num_queries(1):
            assert hours_for([], WEEK) == {}


class TestEncouragement:
    @pytest.mark.parametrize(
        ("hours", "start"),
        [
            ("0", "C'est parti"),
            ("4.5", "C'est parti"),
            ("5", "Beau début"),
            ("9.5", "Beau début"),
            ("10", "Très bien"),
            ("14.5", "Très bien"),
            ("15", "Bravo"),
            ("15.0", "Bravo"),
            ("15.5", "Excellent"),
            ("40", "Excellent"),
        ],
    )
    def test_tiers(self, hours, start):
        assert encouragement(Decimal(hours)).startswith(start)
        assert Hours(declared=Decimal(hours)).encouragement.startswith(start)

    def test_the_tier_follows_declared_not_validated_hours(self):
        assert Hours(Decimal(16), Decimal(0)).encouragement.startswith("Excellent")

    def test_hours_add_up(self):
        total = Hours(Decimal(3), Decimal(1)) + Hours(Decimal("1.5"), Decimal("0.5"))
        assert total == Hours(Decimal("4.5"), Decimal("1.5"))
