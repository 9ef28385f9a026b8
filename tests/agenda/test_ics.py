"""iCalendar output, parsed back by a calendar library (icalendar): methods, UID and SEQUENCE,
UTC instants across the summer-time changes, status, location and description, escaping."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from passemploi.agenda import ics, services
from passemploi.agenda.enums import Modality
from tests.factories import (
    AppointmentFactory,
    CounselorFactory,
    StructureFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 27, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def create(counselor, young_person, **fields):
    fields.setdefault("type", "ENTRETIEN_INDIVIDUEL_CONSEILLER")
    fields.setdefault("title", "Point mensuel")
    fields.setdefault("starts_at", START)
    fields.setdefault("duration_minutes", 60)
    fields.setdefault("modality", Modality.AT_STRUCTURE)
    return services.create_appointment(actor=counselor.user, young_people=[young_person], **fields)


def parse(payload: bytes):
    """(calendar, its only VEVENT)."""
    cal = Calendar.from_ical(payload)
    (event,) = cal.walk("VEVENT")
    return cal, event


def lines(payload: bytes) -> list[bytes]:
    assert payload.endswith(b"\r\n")
    return payload.split(b"\r\n")[:-1]


def assert_utc(prop, expected: datetime):
    assert prop.dt == expected
    assert prop.dt.utcoffset() == timedelta(0)
    assert "TZID" not in prop.params


class TestInvitation:
    def test_a_request_parsed_back(self, counselor, young_person):
        appointment = create(
            counselor, young_person, description="Bilan du mois", address="Mission Locale"
        )
        payload = ics.invitation(appointment)
        cal, event = parse(payload)
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"]) == ics.PRODID
        assert str(cal["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == f"{appointment.pk}@passemploi" == ics.uid(appointment)
        assert int(event["SEQUENCE"]) == 0
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["SUMMARY"]) == "Point mensuel"
        assert str(event["URL"]) == f"http://testserver/app/agenda/{appointment.pk}/"
        assert_utc(event["DTSTAMP"], NOW)
        assert_utc(event["DTSTART"], datetime(2026, 3, 27, 9, 0, tzinfo=UTC))
        assert_utc(event["DTEND"], datetime(2026, 3, 27, 10, 0, tzinfo=UTC))
        assert b"DTSTART:20260327T090000Z" in lines(payload)
        assert b"DTEND:20260327T100000Z" in lines(payload)
        # No TZID anywhere: it would need a VTIMEZONE, which is not sent.
        assert b"TZID" not in payload
        assert not cal.walk("VTIMEZONE")

    def test_organizer_and_attendee_for_itip(self, counselor, young_person):
        appointment = create(counselor, young_person)
        _, event = parse(ics.invitation(appointment, attendee=("lea@exemple.fr", "Léa Martin")))
        assert str(event["ORGANIZER"]) == "mailto:ne-pas-repondre@passemploi.fr"
        assert event["ORGANIZER"].params["CN"] == "Pass Emploi"
        assert str(event["ATTENDEE"]) == "mailto:lea@exemple.fr"
        assert event["ATTENDEE"].params["CN"] == "Léa Martin"
        assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"

    @pytest.mark.parametrize(
        ("local", "utc"),
        [
            # Winter time, UTC+1: the Friday before the change.
            (datetime(2026, 3, 27, 10, 0, tzinfo=PARIS), datetime(2026, 3, 27, 9, 0, tzinfo=UTC)),
            # Summer time from Sunday 29 March: UTC+2.
            (datetime(2026, 3, 30, 10, 0, tzinfo=PARIS), datetime(2026, 3, 30, 8, 0, tzinfo=UTC)),
            # Back to winter time on Sunday 25 October: UTC+1 again.
            (datetime(2026, 10, 26, 10, 0, tzinfo=PARIS), datetime(2026, 10, 26, 9, 0, tzinfo=UTC)),
            (datetime(2026, 10, 23, 10, 0, tzinfo=PARIS), datetime(2026, 10, 23, 8, 0, tzinfo=UTC)),
        ],
    )
    def test_utc_instants_across_summer_time(self, counselor, young_person, local, utc):
        appointment = create(counselor, young_person, starts_at=local, duration_minutes=90)
        stored = type(appointment).objects.get(pk=appointment.pk)
        # As written right after creation (the local time given) and as read from the database.
        for instance in (appointment, stored):
            payload = ics.invitation(instance)
            _, event = parse(payload)
            assert_utc(event["DTSTART"], utc)
            assert_utc(event["DTEND"], utc + timedelta(minutes=90))
            assert event["DTSTART"].dt == instance.starts_at
            assert event["DTEND"].dt == instance.ends_at
            assert f"DTSTART:{utc:%Y%m%dT%H%M%S}Z".encode() in lines(payload)

    def test_an_appointment_over_the_clock_change_lasts_its_real_duration(
        self, counselor, young_person
    ):
        # 01:30 on 29 March in Paris, two hours: the clocks jump from 02:00 to 03:00 meanwhile.
        appointment = create(
            counselor,
            young_person,
            starts_at=datetime(2026, 3, 29, 1, 30, tzinfo=PARIS),
            duration_minutes=120,
        )
        _, event = parse(ics.invitation(appointment))
        assert_utc(event["DTSTART"], datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
        assert_utc(event["DTEND"], datetime(2026, 3, 29, 2, 30, tzinfo=UTC))
        assert event["DTEND"].dt.astimezone(PARIS).hour == 4  # 04:30 on the wall clock

    def test_an_overseas_appointment(self):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        reunion = zoneinfo.ZoneInfo("Indian/Reunion")
        appointment = create(
            counselor, young_person, starts_at=datetime(2026, 3, 30, 10, 0, tzinfo=reunion)
        )
        _, event = parse(ics.invitation(appointment))
        assert_utc(event["DTSTART"], datetime(2026, 3, 30, 6, 0, tzinfo=UTC))

    def test_uid_stable_and_sequence_increasing(self, counselor, young_person):
        appointment = create(counselor, young_person)
        seen = []
        for title in ("Un", "Deux", "Trois"):
            appointment = services.update_appointment(counselor.user, appointment, title=title)
            _, event = parse(ics.invitation(appointment))
            seen.append((str(event["UID"]), int(event["SEQUENCE"]), str(event["SUMMARY"])))
        uid = f"{appointment.pk}@passemploi"
        assert seen == [(uid, 1, "Un"), (uid, 2, "Deux"), (uid, 3, "Trois")]

    def test_a_moved_appointment_keeps_its_uid(self, counselor, young_person):
        appointment = create(counselor, young_person)
        _, before = parse(ics.invitation(appointment))
        moved = services.update_appointment(
            counselor.user, appointment, starts_at=datetime(2026, 3, 30, 10, 0, tzinfo=PARIS)
        )
        _, after = parse(ics.invitation(moved))
        assert after["UID"] == before["UID"]
        assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
        assert_utc(after["DTSTART"], datetime(2026, 3, 30, 8, 0, tzinfo=UTC))

    def test_cancelled(self, counselor, young_person):
        appointment = create(counselor, young_person)
        canceled = services.cancel_appointment(counselor.user, appointment, "Conseiller absent")
        cal, event = parse(ics.invitation(canceled))
        assert str(cal["METHOD"]) == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 1
        assert str(event["UID"]) == f"{appointment.pk}@passemploi"

    def test_a_cancellation_for_one_attendee(self, counselor, young_person):
        appointment = create(counselor, young_person)
        cal, event = parse(ics.invitation(appointment, canceled=True))
        assert str(cal["METHOD"]) == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"

    def test_location_and_description_with_the_visio_link(self, counselor, young_person):
        appointment = create(
            counselor,
            young_person,
            type="ATELIER",
            description="Apportez votre CV.",
            modality=Modality.VIDEO,
            video_link="https://visio.exemple.fr/salle-42?code=1234",
            address="Mission Locale, 12 rue de la Paix, 75002 Paris",
        )
        _, event = parse(ics.invitation(appointment))
        assert str(event["LOCATION"]) == "Mission Locale, 12 rue de la Paix, 75002 Paris"
        assert str(event["DESCRIPTION"]) == (
            "Atelier\nApportez votre CV.\nVisio : https://visio.exemple.fr/salle-42?code=1234"
        )

    def test_no_location_without_an_address(self, counselor, young_person):
        _, event = parse(ics.invitation(create(counselor, young_person)))
        assert "LOCATION" not in event
        assert str(event["DESCRIPTION"]) == "Entretien individuel"

    @pytest.mark.parametrize(
        ("title", "escaped"),
        [
            ("CV, lettre; entretien", rb"SUMMARY:CV\, lettre\; entretien"),
            ("Ligne 1\nLigne 2", rb"SUMMARY:Ligne 1\nLigne 2"),
            ("Barre \\ oblique", rb"SUMMARY:Barre \\ oblique"),
            ("Café : « accueil »", "SUMMARY:Café : « accueil »".encode()),
        ],
    )
    def test_text_is_escaped(self, title, escaped):
        appointment = AppointmentFactory(title=title, starts_at=START)
        payload = ics.invitation(appointment)
        assert escaped in lines(payload)
        _, event = parse(payload)
        assert str(event["SUMMARY"]) == title

    def test_commas_in_location_and_description_escaped(self):
        appointment = AppointmentFactory(
            starts_at=START, address="3, place X; bât. B", description="a, b; c\nd"
        )
        payload = ics.invitation(appointment)
        assert r"LOCATION:3\, place X\; bât. B".encode() in lines(payload)
        _, event = parse(payload)
        assert str(event["LOCATION"]) == "3, place X; bât. B"
        assert str(event["DESCRIPTION"]) == "Entretien individuel\na, b; c\nd"

    def test_long_lines_folded_at_75_octets(self):
        appointment = AppointmentFactory(title="Atelier « é » " * 15, starts_at=START)
        payload = ics.invitation(appointment)
        assert all(len(line) <= 75 for line in lines(payload))
        _, event = parse(payload)
        assert str(event["SUMMARY"]) == "Atelier « é » " * 15


class TestFeedCalendar:
    def test_several_appointments_without_method(self, counselor, young_person):
        first = create(counselor, young_person, title="Premier")
        second = create(
            counselor,
            young_person,
            title="Second",
            starts_at=datetime(2026, 10, 26, 10, 0, tzinfo=PARIS),
        )
        services.cancel_appointment(counselor.user, second, "Reporté")
        second.refresh_from_db()
        payload = ics.calendar([first, second], name="Pass Emploi — Léa")
        cal = Calendar.from_ical(payload)
        assert "METHOD" not in cal
        assert str(cal["X-WR-CALNAME"]) == "Pass Emploi — Léa"
        events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
        assert set(events) == {"Premier", "Second"}
        assert str(events["Premier"]["STATUS"]) == "CONFIRMED"
        assert str(events["Second"]["STATUS"]) == "CANCELLED"
        assert_utc(events["Premier"]["DTSTART"], datetime(2026, 3, 27, 9, 0, tzinfo=UTC))
        assert_utc(events["Second"]["DTSTART"], datetime(2026, 10, 26, 9, 0, tzinfo=UTC))
        assert {str(e["UID"]) for e in events.values()} == {ics.uid(first), ics.uid(second)}

    def test_an_empty_calendar_is_valid(self):
        cal = Calendar.from_ical(ics.calendar([], method="PUBLISH"))
        assert str(cal["METHOD"]) == "PUBLISH"
        assert cal.walk("VEVENT") == []
