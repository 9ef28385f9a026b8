"""The agenda's share of the weekly hour counter, seen through actions.counter (hours_for,
hours_of): expected appointments are declared hours, attendance marked present validated ones."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from passemploi.actions import counter
from passemploi.actions.counter import Hours, Week, hours_for, hours_of
from passemploi.agenda import registrations, services
from passemploi.agenda.counter import appointment_hours
from passemploi.agenda.enums import AppointmentType, Attendance
from passemploi.agenda.models import Participation
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    StructureFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REUNION = zoneinfo.ZoneInfo("Indian/Reunion")
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)  # Friday 20 March 2026
# Monday 23 to Sunday 29 March 2026 (summer time starts on that Sunday in Paris).
WEEK = Week(date(2026, 3, 23))
WEDNESDAY = datetime(2026, 3, 25, 14, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def h(declared, validated=0) -> Hours:
    return Hours(Decimal(declared), Decimal(validated))


def attend(young_person, attendance=Attendance.EXPECTED, **appointment):
    """young_person at an appointment of their counselor (Wednesday of WEEK unless told)."""
    appointment.setdefault("starts_at", WEDNESDAY)
    appointment.setdefault("counselor", young_person.counselor)
    return ParticipationFactory(
        appointment=AppointmentFactory(**appointment),
        young_person=young_person,
        attendance=attendance,
    )


def test_the_agenda_is_a_source_of_the_counter_once():
    assert counter.SOURCES.count(appointment_hours) == 1
    assert counter.action_hours in counter.SOURCES


class TestWhatCounts:
    def test_an_expected_atelier_is_declared_not_validated(self, young_person):
        attend(young_person, type=AppointmentType.ATELIER)
        assert hours_of(young_person, WEEK) == h(4, 0)

    def test_present_at_a_closed_session_is_validated(self, counselor, young_person, frozen):
        atelier = services.create_session(
            actor=counselor.user,
            type=AppointmentType.ATELIER,
            title="Atelier CV",
            starts_at=WEDNESDAY,
            duration_minutes=120,
            modality="at_structure",
            max_participants=10,
        )
        absent = YoungPersonFactory(counselor=counselor)
        registrations.register(young_person.user, atelier, young_person)
        registrations.register(absent.user, atelier, absent)
        assert hours_of(young_person, WEEK) == h(4, 0)
        frozen.move_to(WEDNESDAY + timedelta(hours=2))
        registrations.close_appointment(
            counselor.user,
            atelier,
            {young_person.pk: Attendance.PRESENT, absent.pk: Attendance.ABSENT},
        )
        assert hours_of(young_person, WEEK) == h(4, 4)
        assert hours_of(absent, WEEK) == h(0, 0)

    @pytest.mark.parametrize(
        "attendance", [Attendance.ABSENT, Attendance.EXCUSED, Attendance.UNREGISTERED]
    )
    def test_absent_excused_or_unregistered_count_nothing(self, young_person, attendance):
        attend(young_person, attendance, type=AppointmentType.ATELIER)
        assert hours_of(young_person, WEEK) == h(0, 0)

    def test_unregistering_takes_the_hours_back(self, counselor, young_person):
        atelier = AppointmentFactory(counselor=counselor, session=True, starts_at=WEDNESDAY)
        registrations.register(young_person.user, atelier, young_person)
        assert hours_of(young_person, WEEK) == h(4)
        registrations.unregister(young_person.user, atelier, young_person, "Malade")
        assert hours_of(young_person, WEEK) == h(0)

    def test_a_cancelled_appointment_counts_nothing(self, counselor, young_person):
        participation = attend(young_person, type=AppointmentType.ATELIER)
        assert hours_of(young_person, WEEK) == h(4)
        services.cancel_appointment(counselor.user, participation.appointment, "Salle fermée")
        assert hours_of(young_person, WEEK) == h(0)

    def test_cancelled_even_if_marked_present(self, young_person):
        attend(
            young_person,
            Attendance.PRESENT,
            type=AppointmentType.ATELIER,
            canceled_at=NOW,
        )
        assert hours_of(young_person, WEEK) == h(0)

    @pytest.mark.parametrize(
        ("type_", "hours"),
        [
            (AppointmentType.ATELIER, 4),
            (AppointmentType.INFORMATION_COLLECTIVE, 3),
            (AppointmentType.ENTRETIEN_INDIVIDUEL_CONSEILLER, 1),
            (AppointmentType.ACTIVITE_EXTERIEURE, 1),
            (AppointmentType.ENTRETIEN_PARTENAIRE, 1),
            (AppointmentType.VISITE, 1),
            (AppointmentType.PRESTATION, 1),
            (AppointmentType.AUTRE, 1),
        ],
    )
    def test_hours_by_type(self, young_person, type_, hours):
        expected = YoungPersonFactory(counselor=young_person.counselor)
        attend(young_person, Attendance.PRESENT, type=type_)
        attend(expected, type=type_)
        assert hours_of(young_person, WEEK) == h(hours, hours)
        assert hours_of(expected, WEEK) == h(hours, 0)

    def test_appointments_add_up(self, young_person):
        attend(young_person, Attendance.PRESENT, type=AppointmentType.ATELIER)
        attend(young_person, type=AppointmentType.INFORMATION_COLLECTIVE)
        attend(young_person, Attendance.PRESENT, type=AppointmentType.VISITE)
        attend(young_person, Attendance.ABSENT, type=AppointmentType.ATELIER)
        assert hours_of(young_person, WEEK) == h(8, 5)

    def test_only_their_own_participations(self, young_person):
        other = YoungPersonFactory(counselor=young_person.counselor)
        attend(other, Attendance.PRESENT, type=AppointmentType.ATELIER)
        assert hours_of(young_person, WEEK) == h(0)
        assert hours_of(other, WEEK) == h(4, 4)

    def test_actions_and_appointments_add_up(self, young_person):
        monday = WEEK.start
        ActionFactory(young_person=young_person, category="EMPLOI", done=True, due_date=monday)
        ActionFactory(
            young_person=young_person,
            category="FORMATION",
            done=True,
            due_date=monday,
            qualified_hours=Decimal("2.5"),
            qualified_at=NOW,
        )
        attend(young_person, Attendance.PRESENT, type=AppointmentType.ATELIER)
        attend(young_person, type=AppointmentType.INFORMATION_COLLECTIVE)
        # Actions 3 + 2.5 declared, 2.5 validated; appointments 7 declared, 4 validated.
        assert hours_of(young_person, WEEK) == Hours(Decimal("12.5"), Decimal("6.5"))


class TestWeekBoundaries:
    @pytest.mark.parametrize(
        ("starts_at", "week"),
        [
            # Monday 00:15 in Paris is still Sunday in UTC: the local date decides.
            (datetime(2026, 3, 23, 0, 15, tzinfo=PARIS), WEEK),
            (datetime(2026, 3, 22, 23, 30, tzinfo=PARIS), WEEK.shift(-1)),
            # Sunday 23:30 in Paris (summer time since that morning) belongs to that week.
            (datetime(2026, 3, 29, 23, 30, tzinfo=PARIS), WEEK),
            # Monday 00:30 in Paris is 22:30 UTC on Sunday: the next week.
            (datetime(2026, 3, 30, 0, 30, tzinfo=PARIS), WEEK.shift(1)),
        ],
    )
    def test_paris(self, counselor, young_person, starts_at, week):
        services.create_appointment(
            actor=counselor.user,
            young_people=[young_person],
            type=AppointmentType.ATELIER,
            title="Atelier",
            starts_at=starts_at,
            duration_minutes=60,
            modality="at_structure",
        )
        assert hours_of(young_person, week) == h(4)
        for other in (week.shift(-1), week.shift(1)):
            assert hours_of(young_person, other) == h(0)

    @pytest.mark.parametrize(
        ("starts_at", "week"),
        [
            # Monday 01:00 in Réunion: still Sunday 23:00 in Paris and 21:00 UTC.
            (datetime(2026, 3, 30, 1, 0, tzinfo=REUNION), WEEK.shift(1)),
            # Sunday 23:30 in Réunion (19:30 UTC): that week.
            (datetime(2026, 3, 29, 23, 30, tzinfo=REUNION), WEEK),
            (datetime(2026, 3, 22, 20, 30, tzinfo=UTC), WEEK),  # Monday 00:30 in Réunion
        ],
    )
    def test_reunion(self, starts_at, week):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        services.create_appointment(
            actor=counselor.user,
            young_people=[young_person],
            type=AppointmentType.INFORMATION_COLLECTIVE,
            title="Information collective",
            starts_at=starts_at,
            duration_minutes=60,
            modality="at_structure",
        )
        assert hours_of(young_person, week) == h(3)
        for other in (week.shift(-1), week.shift(1)):
            assert hours_of(young_person, other) == h(0)

    def test_the_current_week_is_the_local_one(self, frozen):
        # Sunday 22 March, 21:00 UTC: still Sunday in Paris, already Monday in Réunion.
        frozen.move_to(datetime(2026, 3, 22, 21, 0, tzinfo=UTC))
        overseas = YoungPersonFactory(counselor__structure=StructureFactory(overseas=True))
        metropolitan = YoungPersonFactory()
        for young_person in (overseas, metropolitan):
            attend(
                young_person,
                type=AppointmentType.ATELIER,
                starts_at=datetime(2026, 3, 24, 10, 0, tzinfo=UTC),
            )
        assert hours_of(overseas) == h(4)
        assert hours_of(metropolitan) == h(0)


class TestPortfolio:
    def test_two_hundred_young_people_in_two_queries(self, counselor, django_assert_num_queries):
        people = YoungPersonFactory.create_batch(200, counselor=counselor)
        atelier = AppointmentFactory(
            counselor=counselor, session=True, max_participants=500, starts_at=WEDNESDAY
        )
        info = AppointmentFactory(
            counselor=counselor,
            session=True,
            type=AppointmentType.INFORMATION_COLLECTIVE,
            max_participants=500,
            starts_at=WEDNESDAY + timedelta(days=1),
        )
        states = [Attendance.PRESENT, Attendance.EXPECTED, Attendance.ABSENT, None]
        participations = []
        for index, young_person in enumerate(people):
            state = states[index % 4]
            if state is not None:
                participations.append(
                    Participation(appointment=atelier, young_person=young_person, attendance=state)
                )
            if index % 2 == 0:
                participations.append(Participation(appointment=info, young_person=young_person))
            if index % 5 == 0:
                ActionFactory(
                    young_person=young_person, category="EMPLOI", done=True, due_date=WEEK.start
                )
        Participation.objects.bulk_create(participations)
        ids = [p.pk for p in people]

        with django_assert_num_queries(2):  # one per source: actions, agenda
            totals = hours_for(ids, WEEK)

        assert set(totals) == set(ids)
        for index, young_person in enumerate(people):
            declared = validated = Decimal(0)
            state = states[index % 4]
            if state in (Attendance.PRESENT, Attendance.EXPECTED):
                declared += 4
            if state == Attendance.PRESENT:
                validated += 4
            if index % 2 == 0:
                declared += 3
            if index % 5 == 0:
                declared += 3
            assert totals[young_person.pk] == Hours(declared, validated), index

    def test_query_count_does_not_depend_on_size(self, counselor, django_assert_num_queries):
        people = YoungPersonFactory.create_batch(3, counselor=counselor)
        with django_assert_num_queries(2):
            assert hours_for([people[0].pk], WEEK) == {people[0].pk: Hours()}
        with django_assert_num_queries(2):
            hours_for([p.pk for p in people], WEEK)
