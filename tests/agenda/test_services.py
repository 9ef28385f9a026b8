"""Domain rules of the agenda: appointments, sessions, registrations, closing, calendar feeds.

Invitations are checked as sent (the email outbox, the .ics parsed back with icalendar) and
real-time events as pushed (a test channel subscribed to the user's group on the real layer).
"""

import uuid
import zoneinfo
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from passemploi.agenda import registrations, services
from passemploi.agenda.enums import AppointmentType, Attendance, Modality, State
from passemploi.agenda.models import Appointment, AppointmentChange, CalendarFeed, Participation
from passemploi.core.errors import ServiceError
from tests.factories import (
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    StructureFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REUNION = zoneinfo.ZoneInfo("Indian/Reunion")
# Friday 20 March 2026, 10:00 in Paris.
NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
# The next Friday, 10:00 in Paris (09:00 UTC).
START = datetime(2026, 3, 27, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@contextmanager
def refused(code, status=400, field=None):
    """Expect a ServiceError with this code, HTTP status and (if given) field."""
    with pytest.raises(ServiceError) as info:
        yield info
    assert info.value.code == code, info.value.code
    assert info.value.status == status
    if field is not None:
        assert info.value.field == field


def create(counselor, young_people=(), **fields):
    fields.setdefault("type", AppointmentType.ENTRETIEN_INDIVIDUEL_CONSEILLER)
    fields.setdefault("title", "Point mensuel")
    fields.setdefault("starts_at", START)
    fields.setdefault("duration_minutes", 60)
    fields.setdefault("modality", Modality.AT_STRUCTURE)
    return services.create_appointment(
        actor=counselor.user, young_people=list(young_people), **fields
    )


def session(counselor, young_people=(), **fields):
    fields.setdefault("type", AppointmentType.ATELIER)
    fields.setdefault("title", "Atelier CV")
    fields.setdefault("starts_at", START)
    fields.setdefault("duration_minutes", 120)
    fields.setdefault("modality", Modality.AT_STRUCTURE)
    fields.setdefault("max_participants", 3)
    return services.create_session(actor=counselor.user, young_people=list(young_people), **fields)


def nothing_saved():
    assert not Appointment.objects.exists()
    assert not Participation.objects.exists()
    assert not AppointmentChange.objects.exists()


def sent():
    """[(recipient, METHOD, VEVENT)] of the emails sent, each with exactly one .ics attached."""
    out = []
    for message in mail.outbox:
        (attachment,) = message.attachments
        assert attachment.filename == "rendez-vous.ics"
        cal = Calendar.from_ical(attachment.content)
        method = str(cal["METHOD"])
        assert attachment.mimetype == f"text/calendar; charset=utf-8; method={method}"
        (event,) = cal.walk("VEVENT")
        (recipient,) = message.to
        out.append((recipient, method, event))
    return out


def methods():
    """{recipient: (METHOD, SEQUENCE, STATUS)} of the invitations sent."""
    return {
        recipient: (method, int(event["SEQUENCE"]), str(event["STATUS"]))
        for recipient, method, event in sent()
    }


def log(appointment, event):
    return appointment.changes.get(event=event)


@pytest.fixture
def colleague(structure):
    return CounselorFactory(structure=structure)


@pytest.fixture
def colleague_young(colleague):
    """A young person of the structure in a colleague's portfolio."""
    return YoungPersonFactory(counselor=colleague)


@pytest.fixture
def stranger():
    """A young person of another structure."""
    return YoungPersonFactory()


# --- create_appointment -------------------------------------------------------------------------


class TestCreateAppointment:
    def test_creates_with_its_participants_local_date_and_log(self, counselor, young_person):
        other = YoungPersonFactory(counselor=counselor)
        appointment = create(
            counselor,
            [young_person, other],
            title="  Point mensuel \n",
            description="Bilan du mois",
            address="12 rue de la Paix, Paris",
        )
        appointment.refresh_from_db()
        assert appointment.title == "Point mensuel"
        assert appointment.structure == counselor.structure
        assert appointment.counselor == counselor
        assert appointment.created_by == counselor.user
        assert appointment.starts_at == datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
        assert appointment.local_date == date(2026, 3, 27)
        assert appointment.sequence == 0
        assert appointment.is_session is False
        assert appointment.state() == State.UPCOMING
        participations = appointment.participations.all()
        assert {p.young_person for p in participations} == {young_person, other}
        assert {p.attendance for p in participations} == {Attendance.EXPECTED}
        assert {p.registered_by for p in participations} == {counselor.user}
        (entry,) = appointment.changes.all()
        assert entry.event == "created"
        assert entry.actor == counselor.user
        assert entry.changes == {"title": ["", "Point mensuel"]}

    def test_the_same_young_person_twice_is_one_participant(self, counselor, young_person):
        appointment = create(counselor, [young_person, young_person])
        assert appointment.participations.get().young_person == young_person

    @pytest.mark.parametrize(
        ("fields", "code", "field"),
        [
            ({"type": "RDV"}, "invalid_type", "type"),
            ({"type": "atelier"}, "invalid_type", "type"),
            ({"type": None}, "invalid_type", "type"),
            ({"type": "AUTRE"}, "type_detail_required", "type_detail"),
            ({"type": "AUTRE", "type_detail": "   "}, "type_detail_required", "type_detail"),
            ({"title": ""}, "title_required", "title"),
            ({"title": "   "}, "title_required", "title"),
            ({"title": None}, "title_required", "title"),
            ({"title": "x" * 256}, "title_too_long", "title"),
            ({"starts_at": None}, "starts_at_required", "starts_at"),
            ({"starts_at": datetime(2026, 3, 27, 10, 0)}, "starts_at_required", "starts_at"),  # noqa: DTZ001
            ({"starts_at": date(2026, 3, 27)}, "starts_at_required", "starts_at"),
            ({"starts_at": "2026-03-27T10:00+01:00"}, "starts_at_required", "starts_at"),
            ({"duration_minutes": 0}, "invalid_duration", "duration_minutes"),
            ({"duration_minutes": None}, "invalid_duration", "duration_minutes"),
            ({"duration_minutes": 12 * 60 + 1}, "invalid_duration", "duration_minutes"),
            ({"modality": "visio"}, "invalid_modality", "modality"),
            ({"modality": ""}, "invalid_modality", "modality"),
            ({"modality": "video"}, "video_link_required", "video_link"),
            ({"modality": "video", "video_link": ""}, "video_link_required", "video_link"),
        ],
    )
    def test_bad_input_refused_and_nothing_saved(
        self, counselor, young_person, fields, code, field, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True), refused(code, field=field):
            create(counselor, [young_person], **fields)
        nothing_saved()
        assert mail.outbox == []

    def test_autre_with_its_detail_accepted(self, counselor, young_person):
        appointment = create(counselor, [young_person], type="AUTRE", type_detail=" Forum ")
        assert appointment.type_detail == "Forum"

    def test_title_of_255_characters_accepted(self, counselor, young_person):
        assert len(create(counselor, [young_person], title="x" * 255).title) == 255

    @pytest.mark.parametrize("minutes", [1, 12 * 60])
    def test_durations_at_the_bounds_accepted(self, counselor, young_person, minutes):
        appointment = create(counselor, [young_person], duration_minutes=minutes)
        assert appointment.ends_at == START + timedelta(minutes=minutes)

    def test_visio_with_its_link_accepted(self, counselor, young_person):
        appointment = create(
            counselor, [young_person], modality="video", video_link="https://visio.exemple.fr/a"
        )
        assert appointment.video_link == "https://visio.exemple.fr/a"

    @pytest.mark.parametrize(
        "starts_at",
        [NOW - timedelta(days=365), NOW + timedelta(days=730), NOW, NOW - timedelta(hours=1)],
    )
    def test_start_within_one_year_ago_and_two_years_ahead_accepted(
        self, counselor, young_person, starts_at
    ):
        assert create(counselor, [young_person], starts_at=starts_at).starts_at == starts_at

    @pytest.mark.parametrize(
        "starts_at",
        [
            NOW - timedelta(days=365, seconds=1),
            NOW + timedelta(days=730, seconds=1),
            NOW - timedelta(days=3650),
            NOW + timedelta(days=3650),
        ],
    )
    def test_start_out_of_range_refused(self, counselor, young_person, starts_at):
        with refused("starts_at_out_of_range", field="starts_at"):
            create(counselor, [young_person], starts_at=starts_at)
        nothing_saved()

    def test_no_young_people_refused(self, counselor):
        with refused("young_people_required", field="young_people"):
            create(counselor, [])
        nothing_saved()

    def test_a_colleagues_young_person_refused(self, counselor, young_person, colleague_young):
        with refused("young_person_not_allowed", field="young_people"):
            create(counselor, [young_person, colleague_young])
        nothing_saved()

    def test_a_young_person_of_another_structure_refused(self, counselor, stranger):
        with refused("young_person_not_allowed", field="young_people"):
            create(counselor, [stranger])
        nothing_saved()

    def test_a_supervisor_picks_any_young_person_of_the_structure(
        self, supervisor, young_person, colleague_young, stranger
    ):
        appointment = create(supervisor, [young_person, colleague_young])
        assert appointment.participations.count() == 2
        with refused("young_person_not_allowed"):
            create(supervisor, [stranger])

    def test_a_young_person_cannot_create(self, young_person):
        with refused("not_allowed", status=403):
            create(young_person, [young_person])
        nothing_saved()

    def test_unknown_field_refused(self, counselor, young_person):
        with refused("unknown_field"):
            create(counselor, [young_person], sequence=9)
        nothing_saved()

    @pytest.mark.parametrize(
        ("time_zone", "starts_at", "local"),
        [
            # 00:30 in Paris is still the day before in UTC.
            ("Europe/Paris", datetime(2026, 3, 26, 23, 30, tzinfo=UTC), date(2026, 3, 27)),
            ("Europe/Paris", datetime(2026, 3, 27, 22, 59, tzinfo=UTC), date(2026, 3, 27)),
            # After the summer-time change (29 March): 00:30 in Paris is 22:30 UTC the day before.
            ("Europe/Paris", datetime(2026, 3, 30, 22, 30, tzinfo=UTC), date(2026, 3, 31)),
            # Réunion is UTC+4 all year: 21:00 UTC is already the next day there.
            ("Indian/Reunion", datetime(2026, 3, 26, 21, 0, tzinfo=UTC), date(2026, 3, 27)),
            ("Indian/Reunion", datetime(2026, 3, 26, 19, 59, tzinfo=UTC), date(2026, 3, 26)),
            ("Indian/Reunion", datetime(2026, 3, 27, 1, 0, tzinfo=REUNION), date(2026, 3, 27)),
        ],
    )
    def test_local_date_in_the_structures_time_zone(self, time_zone, starts_at, local):
        counselor = CounselorFactory(structure=StructureFactory(time_zone=time_zone))
        young_person = YoungPersonFactory(counselor=counselor)
        appointment = create(counselor, [young_person], starts_at=starts_at)
        appointment.refresh_from_db()
        assert appointment.local_date == local
        assert appointment.starts_at == starts_at

    def test_on_commit_each_participant_gets_an_invitation_and_an_event(
        self, counselor, young_person, listen, django_capture_on_commit_callbacks
    ):
        other = YoungPersonFactory(counselor=counselor)
        inbox, other_inbox, counselor_inbox = (
            listen(young_person.user),
            listen(other.user),
            listen(counselor.user),
        )
        with django_capture_on_commit_callbacks() as callbacks:
            appointment = create(counselor, [young_person, other])
        # Nothing leaves before the commit.
        assert mail.outbox == []
        assert inbox.events() == []
        for callback in callbacks:
            callback()
        invitations = sent()
        assert sorted(r for r, _, _ in invitations) == sorted(
            [young_person.user.email, other.user.email]
        )
        for recipient, method, event in invitations:
            assert method == "REQUEST"
            assert str(event["UID"]) == f"{appointment.pk}@passemploi"
            assert int(event["SEQUENCE"]) == 0
            assert str(event["STATUS"]) == "CONFIRMED"
            assert event["DTSTART"].dt == datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
            assert str(event["ATTENDEE"]) == f"mailto:{recipient}"
            assert str(event["ORGANIZER"]).startswith("mailto:")
        assert mail.outbox[0].subject == "Nouveau rendez-vous"
        assert "27/03/2026 à 10:00" in mail.outbox[0].body
        expected = {"type": "appointment.created", "appointment_id": str(appointment.pk)}
        assert inbox.events() == [expected]
        assert other_inbox.events() == [expected]
        assert counselor_inbox.events() == []

    def test_the_email_shows_the_structures_local_time(self, django_capture_on_commit_callbacks):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        with django_capture_on_commit_callbacks(execute=True):
            create(counselor, [young_person], starts_at=datetime(2026, 3, 27, 5, 0, tzinfo=UTC))
        assert "27/03/2026 à 09:00" in mail.outbox[0].body


# --- update_appointment -------------------------------------------------------------------------


class TestUpdateAppointment:
    def test_sequence_log_and_invitations(
        self, counselor, young_person, listen, django_capture_on_commit_callbacks
    ):
        appointment = create(counselor, [young_person])
        inbox = listen(young_person.user)
        later = START + timedelta(days=3, hours=1)  # Monday 30 March, after the clock change
        with django_capture_on_commit_callbacks(execute=True):
            updated = services.update_appointment(
                counselor.user, appointment, title="Point d'étape", starts_at=later
            )
        assert updated.sequence == 1
        appointment.refresh_from_db()
        assert appointment.title == "Point d'étape"
        assert appointment.sequence == 1
        assert appointment.starts_at == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
        assert appointment.local_date == date(2026, 3, 30)
        entry = log(appointment, "updated")
        assert entry.actor == counselor.user
        assert entry.changes == {
            "title": ["Point mensuel", "Point d'étape"],
            "starts_at": ["27/03/2026 10:00", "30/03/2026 11:00"],
        }
        assert methods() == {young_person.user.email: ("REQUEST", 1, "CONFIRMED")}
        assert mail.outbox[0].subject == "Rendez-vous modifié"
        (_, _, event) = sent()[0]
        assert event["DTSTART"].dt == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
        assert str(event["SUMMARY"]) == "Point d'étape"
        assert inbox.events() == [
            {"type": "appointment.updated", "appointment_id": str(appointment.pk)}
        ]

    def test_each_update_raises_the_sequence(self, counselor, young_person):
        appointment = create(counselor, [young_person])
        for n, title in enumerate(["Un", "Deux", "Trois"], start=1):
            appointment = services.update_appointment(counselor.user, appointment, title=title)
            assert appointment.sequence == n
        assert appointment.changes.filter(event="updated").count() == 3

    def test_the_log_shows_times_in_the_structures_time_zone(self):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        appointment = create(
            counselor, [young_person], starts_at=datetime(2026, 3, 27, 10, 0, tzinfo=REUNION)
        )
        services.update_appointment(
            counselor.user,
            appointment,
            starts_at=datetime(2026, 3, 27, 14, 30, tzinfo=REUNION),
            registration_deadline=None,
        )
        assert log(appointment, "updated").changes == {
            "starts_at": ["27/03/2026 10:00", "27/03/2026 14:30"]
        }

    def test_nothing_changed_sends_nothing(
        self, counselor, young_person, django_capture_on_commit_callbacks
    ):
        appointment = create(counselor, [young_person])
        with django_capture_on_commit_callbacks(execute=True):
            same = services.update_appointment(
                counselor.user, appointment, title="Point mensuel", young_people=[young_person]
            )
        assert same.sequence == 0
        assert not appointment.changes.filter(event="updated").exists()
        assert mail.outbox == []

    def test_participants_added_and_removed(
        self, counselor, young_person, listen, django_capture_on_commit_callbacks
    ):
        stays, joins = YoungPersonFactory.create_batch(2, counselor=counselor)
        appointment = create(counselor, [young_person, stays])
        leaving_inbox, joining_inbox = listen(young_person.user), listen(joins.user)
        with django_capture_on_commit_callbacks(execute=True):
            services.update_appointment(counselor.user, appointment, young_people=[stays, joins])
        assert {p.young_person for p in appointment.participations.all()} == {stays, joins}
        entry = log(appointment, "updated")
        assert entry.changes == {
            "participants_removed": ["", "1"],
            "participants_added": ["", "1"],
        }
        # Those who stay or join get the new version; the one removed gets a cancellation.
        assert methods() == {
            stays.user.email: ("REQUEST", 1, "CONFIRMED"),
            joins.user.email: ("REQUEST", 1, "CONFIRMED"),
            young_person.user.email: ("CANCEL", 1, "CANCELLED"),
        }
        pk = str(appointment.pk)
        assert joining_inbox.events() == [{"type": "appointment.updated", "appointment_id": pk}]
        assert leaving_inbox.events() == [{"type": "appointment.removed", "appointment_id": pk}]

    def test_removing_everybody_from_an_appointment_refused(self, counselor, young_person):
        appointment = create(counselor, [young_person])
        with refused("young_people_required"):
            services.update_appointment(counselor.user, appointment, young_people=[])
        assert appointment.participations.get().young_person == young_person

    def test_adding_a_young_person_outside_the_portfolio_refused(
        self, counselor, young_person, colleague_young, stranger
    ):
        appointment = create(counselor, [young_person])
        for intruder in (colleague_young, stranger):
            with refused("young_person_not_allowed"):
                services.update_appointment(
                    counselor.user, appointment, young_people=[young_person, intruder]
                )
        assert appointment.participations.count() == 1
        appointment.refresh_from_db()
        assert appointment.sequence == 0

    def test_bad_input_refused_and_nothing_changed(self, counselor, young_person):
        appointment = create(counselor, [young_person])
        with refused("invalid_duration"):
            services.update_appointment(
                counselor.user, appointment, title="Autre", duration_minutes=0
            )
        with refused("starts_at_out_of_range"):
            services.update_appointment(
                counselor.user, appointment, starts_at=NOW + timedelta(days=731)
            )
        with refused("unknown_field"):
            services.update_appointment(counselor.user, appointment, counselor_id=None)
        appointment.refresh_from_db()
        assert (appointment.title, appointment.duration_minutes) == ("Point mensuel", 60)
        assert appointment.starts_at == START
        assert appointment.sequence == 0
        assert not appointment.changes.filter(event="updated").exists()

    def test_refused_once_cancelled(self, counselor, young_person):
        appointment = create(counselor, [young_person])
        services.cancel_appointment(counselor.user, appointment, "Conseiller absent")
        with refused("appointment_canceled", status=409):
            services.update_appointment(counselor.user, appointment, title="Autre")

    def test_refused_once_closed(self, counselor, young_person, frozen):
        appointment = create(counselor, [young_person])
        frozen.move_to(START + timedelta(hours=2))
        registrations.close_appointment(
            counselor.user, appointment, {young_person.pk: Attendance.PRESENT}
        )
        with refused("appointment_closed", status=409):
            services.update_appointment(counselor.user, appointment, title="Autre")

    def test_a_colleague_cannot_edit_an_individual_appointment(
        self, counselor, young_person, colleague, other_structure_counselor
    ):
        appointment = create(counselor, [young_person])
        for user in (colleague.user, other_structure_counselor.user, young_person.user):
            with refused("not_allowed", status=403):
                services.update_appointment(user, appointment, title="Autre")
        appointment.refresh_from_db()
        assert appointment.title == "Point mensuel"

    def test_a_supervisor_edits_an_individual_appointment(
        self, counselor, young_person, supervisor
    ):
        appointment = create(counselor, [young_person])
        services.update_appointment(supervisor.user, appointment, title="Vu par le superviseur")
        assert log(appointment, "updated").actor == supervisor.user

    def test_a_colleague_edits_a_session_of_the_structure(self, counselor, colleague):
        atelier = session(counselor)
        services.update_appointment(colleague.user, atelier, title="Atelier lettre")
        atelier.refresh_from_db()
        assert atelier.title == "Atelier lettre"
        assert atelier.counselor == counselor

    def test_capacity_cannot_drop_below_the_registrants(self, counselor, young_person):
        other = YoungPersonFactory(counselor=counselor)
        atelier = session(counselor, [young_person, other], max_participants=3)
        with refused("invalid_capacity", field="max_participants"):
            services.update_appointment(counselor.user, atelier, max_participants=1)
        services.update_appointment(counselor.user, atelier, max_participants=2)
        atelier.refresh_from_db()
        assert atelier.max_participants == 2

    def test_more_participants_than_seats_refused(self, counselor):
        people = YoungPersonFactory.create_batch(3, counselor=counselor)
        atelier = session(counselor, people[:2], max_participants=2)
        with refused("session_full", field="young_people"):
            services.update_appointment(counselor.user, atelier, young_people=people)
        assert atelier.participations.count() == 2

    def test_an_unregistered_young_person_comes_back_on_the_same_record(
        self, counselor, young_person
    ):
        other = YoungPersonFactory(counselor=counselor)
        atelier = session(counselor, [young_person, other])
        registrations.unregister(young_person.user, atelier, young_person, "Malade")
        first = atelier.participations.get(young_person=young_person)
        # Leaving them out keeps their unregistration (and its reason).
        services.update_appointment(counselor.user, atelier, young_people=[other])
        first.refresh_from_db()
        assert first.attendance == Attendance.UNREGISTERED
        assert first.unregistration_reason == "Malade"
        # Putting them back registers them again.
        services.update_appointment(counselor.user, atelier, young_people=[other, young_person])
        back = atelier.participations.get(young_person=young_person)
        assert back.pk == first.pk
        assert back.attendance == Attendance.EXPECTED
        assert back.unregistered_at is None and back.unregistration_reason == ""
        assert back.registered_by == counselor.user


# --- cancel_appointment -------------------------------------------------------------------------


class TestCancel:
    @pytest.mark.parametrize("reason", ["", "   ", None])
    def test_a_reason_is_required(self, counselor, young_person, reason):
        appointment = create(counselor, [young_person])
        with refused("reason_required", field="reason"):
            services.cancel_appointment(counselor.user, appointment, reason)
        appointment.refresh_from_db()
        assert appointment.canceled_at is None
        assert appointment.sequence == 0

    def test_cancel_sends_a_cancellation(
        self, counselor, young_person, listen, django_capture_on_commit_callbacks
    ):
        gone = YoungPersonFactory(counselor=counselor)
        atelier = session(counselor, [young_person, gone])
        registrations.unregister(counselor.user, atelier, gone, "")
        inbox = listen(young_person.user)
        with django_capture_on_commit_callbacks(execute=True):
            canceled = services.cancel_appointment(counselor.user, atelier, "  Salle fermée ")
        assert canceled.sequence == 1
        atelier.refresh_from_db()
        assert atelier.canceled_at == NOW
        assert atelier.canceled_by == counselor.user
        assert atelier.cancel_reason == "Salle fermée"
        assert atelier.sequence == 1
        assert atelier.state() == State.CANCELED
        assert log(atelier, "canceled").changes == {"cancel_reason": ["", "Salle fermée"]}
        # Only the young person still registered is told.
        assert methods() == {young_person.user.email: ("CANCEL", 1, "CANCELLED")}
        assert mail.outbox[0].subject == "Rendez-vous annulé"
        assert inbox.events() == [
            {"type": "appointment.canceled", "appointment_id": str(atelier.pk)}
        ]

    def test_a_second_cancel_refused(self, counselor, young_person):
        appointment = create(counselor, [young_person])
        services.cancel_appointment(counselor.user, appointment, "Absent")
        with refused("appointment_canceled", status=409):
            services.cancel_appointment(counselor.user, appointment, "Encore")
        appointment.refresh_from_db()
        assert appointment.cancel_reason == "Absent"
        assert appointment.sequence == 1

    def test_only_a_manager_cancels(self, counselor, young_person, colleague):
        appointment = create(counselor, [young_person])
        for user in (colleague.user, young_person.user):
            with refused("not_allowed", status=403):
                services.cancel_appointment(user, appointment, "Non")
        appointment.refresh_from_db()
        assert appointment.canceled_at is None


# --- create_session -----------------------------------------------------------------------------


class TestCreateSession:
    @pytest.mark.parametrize("type_", [AppointmentType.ATELIER, "INFORMATION_COLLECTIVE"])
    def test_creates_a_visible_session_open_to_registration(self, counselor, type_):
        atelier = session(counselor, type=type_)
        atelier.refresh_from_db()
        assert atelier.is_session is True
        assert atelier.visible is True and atelier.self_registration is True
        assert atelier.max_participants == 3
        assert not atelier.participations.exists()
        assert log(atelier, "created").actor == counselor.user

    def test_visibility_and_self_registration_can_be_off(self, counselor):
        atelier = session(counselor, visible=False, self_registration=False)
        assert atelier.visible is False and atelier.self_registration is False

    @pytest.mark.parametrize(
        "type_", ["ENTRETIEN_INDIVIDUEL_CONSEILLER", "VISITE", "PRESTATION", "AUTRE"]
    )
    def test_only_ateliers_and_information_collectives(self, counselor, type_):
        with refused("invalid_session_type", field="type"):
            session(counselor, type=type_, type_detail="Détail")
        nothing_saved()

    @pytest.mark.parametrize("seats", [0, 501, None, -1])
    def test_capacity_between_1_and_500(self, counselor, seats):
        with refused("invalid_capacity", field="max_participants"):
            session(counselor, max_participants=seats)
        nothing_saved()

    @pytest.mark.parametrize("seats", [1, 500])
    def test_capacity_bounds_accepted(self, counselor, seats):
        assert session(counselor, max_participants=seats).max_participants == seats

    @pytest.mark.parametrize("name", ["registration_deadline", "unregistration_deadline"])
    def test_a_deadline_after_the_start_refused(self, counselor, name):
        with refused("deadline_after_start", field=name):
            session(counselor, **{name: START + timedelta(seconds=1)})
        nothing_saved()

    def test_deadlines_up_to_the_start_accepted(self, counselor):
        atelier = session(
            counselor,
            registration_deadline=START,
            unregistration_deadline=START - timedelta(days=1),
        )
        assert atelier.registration_deadline == START

    def test_any_young_person_of_the_structure_may_be_registered(
        self, counselor, young_person, colleague_young, stranger
    ):
        atelier = session(counselor, [young_person, colleague_young])
        assert atelier.participations.count() == 2
        with refused("young_person_not_allowed"):
            session(counselor, [stranger])
        assert Appointment.objects.count() == 1

    def test_more_young_people_than_seats_refused(self, counselor):
        people = YoungPersonFactory.create_batch(3, counselor=counselor)
        with refused("session_full", field="young_people"):
            session(counselor, people, max_participants=2)
        nothing_saved()


# --- register -----------------------------------------------------------------------------------


class TestRegister:
    def test_a_young_person_registers_themself(
        self, counselor, colleague_young, listen, django_capture_on_commit_callbacks
    ):
        atelier = session(counselor)
        inbox = listen(colleague_young.user)
        with django_capture_on_commit_callbacks(execute=True):
            participation = registrations.register(colleague_young.user, atelier, colleague_young)
        participation.refresh_from_db()
        assert participation.attendance == Attendance.EXPECTED
        assert participation.registered_by == colleague_young.user
        assert participation.registered_at == NOW
        assert log(atelier, "registered").actor == colleague_young.user
        assert methods() == {colleague_young.user.email: ("REQUEST", 0, "CONFIRMED")}
        assert mail.outbox[0].subject == "Inscription confirmée"
        assert inbox.events() == [
            {"type": "appointment.registered", "appointment_id": str(atelier.pk)}
        ]

    def test_a_session_not_visible_is_not_found(self, counselor, young_person):
        atelier = session(counselor, visible=False)
        with refused("not_found", status=404):
            registrations.register(young_person.user, atelier, young_person)
        assert not Participation.objects.exists()

    def test_without_self_registration_refused(self, counselor, young_person):
        atelier = session(counselor, self_registration=False)
        with refused("registration_closed", status=409):
            registrations.register(young_person.user, atelier, young_person)
        assert not Participation.objects.exists()

    def test_a_session_of_another_structure_is_not_found(self, stranger, counselor):
        atelier = session(counselor)
        with refused("not_found", status=404):
            registrations.register(stranger.user, atelier, stranger)
        assert not Participation.objects.exists()

    def test_a_young_person_registers_nobody_else(self, counselor, young_person, colleague_young):
        atelier = session(counselor)
        with refused("not_found", status=404):
            registrations.register(young_person.user, atelier, colleague_young)
        assert not Participation.objects.exists()

    def test_the_registration_deadline(self, counselor, young_person, frozen):
        deadline = START - timedelta(days=1)
        atelier = session(counselor, registration_deadline=deadline)
        other = YoungPersonFactory(counselor=counselor)
        frozen.move_to(deadline)
        registrations.register(young_person.user, atelier, young_person)
        frozen.move_to(deadline + timedelta(seconds=1))
        with refused("registration_closed", status=409):
            registrations.register(other.user, atelier, other)
        assert atelier.participations.count() == 1

    def test_without_a_deadline_registration_closes_at_the_start(
        self, counselor, young_person, frozen
    ):
        atelier = session(counselor)
        other = YoungPersonFactory(counselor=counselor)
        frozen.move_to(START)
        registrations.register(young_person.user, atelier, young_person)
        frozen.move_to(START + timedelta(seconds=1))
        with refused("registration_closed", status=409):
            registrations.register(other.user, atelier, other)

    def test_a_counselor_of_the_structure_registers_any_of_its_young_people(
        self, counselor, colleague, young_person, frozen
    ):
        # Not visible, no self-registration, deadline passed: a counselor still can.
        atelier = session(
            counselor,
            visible=False,
            self_registration=False,
            registration_deadline=START - timedelta(days=3),
        )
        frozen.move_to(START - timedelta(days=1))
        participation = registrations.register(colleague.user, atelier, young_person)
        assert participation.registered_by == colleague.user
        assert participation.attendance == Attendance.EXPECTED

    def test_not_a_young_person_of_another_structure(self, counselor, stranger):
        atelier = session(counselor)
        with refused("young_person_not_allowed", field="young_people"):
            registrations.register(counselor.user, atelier, stranger)
        assert not Participation.objects.exists()

    def test_not_by_a_counselor_of_another_structure(
        self, counselor, young_person, other_structure_counselor
    ):
        atelier = session(counselor)
        with refused("not_allowed", status=403):
            registrations.register(other_structure_counselor.user, atelier, young_person)
        assert not Participation.objects.exists()

    def test_full_session_refused(self, counselor, django_capture_on_commit_callbacks):
        first, second, third = YoungPersonFactory.create_batch(3, counselor=counselor)
        atelier = session(counselor, max_participants=2)
        registrations.register(first.user, atelier, first)
        registrations.register(counselor.user, atelier, second)
        with django_capture_on_commit_callbacks(execute=True):
            with refused("session_full", status=409):
                registrations.register(third.user, atelier, third)
            with refused("session_full", status=409):
                registrations.register(counselor.user, atelier, third)
        assert mail.outbox == []
        assert atelier.participations.count() == 2
        assert atelier.changes.filter(event="registered").count() == 2

    def test_a_seat_freed_by_an_unregistration_can_be_taken(self, counselor):
        first, second = YoungPersonFactory.create_batch(2, counselor=counselor)
        atelier = session(counselor, max_participants=1)
        registrations.register(first.user, atelier, first)
        registrations.unregister(first.user, atelier, first, "Empêché")
        registrations.register(second.user, atelier, second)
        assert atelier.participations.get(attendance=Attendance.EXPECTED).young_person == second

    def test_register_again_after_unregistering(self, counselor, young_person, frozen):
        atelier = session(counselor)
        first = registrations.register(young_person.user, atelier, young_person)
        registrations.unregister(young_person.user, atelier, young_person, "Rendez-vous médical")
        frozen.move_to(NOW + timedelta(hours=1))
        again = registrations.register(young_person.user, atelier, young_person)
        assert again.pk == first.pk
        again.refresh_from_db()
        assert again.attendance == Attendance.EXPECTED
        assert again.unregistered_at is None
        assert again.unregistration_reason == ""
        assert again.registered_at == NOW + timedelta(hours=1)
        assert atelier.participations.count() == 1

    def test_registering_twice_is_harmless(
        self, counselor, young_person, django_capture_on_commit_callbacks
    ):
        atelier = session(counselor, max_participants=1)
        with django_capture_on_commit_callbacks(execute=True):
            first = registrations.register(young_person.user, atelier, young_person)
            again = registrations.register(young_person.user, atelier, young_person)
            by_counselor = registrations.register(counselor.user, atelier, young_person)
        assert first.pk == again.pk == by_counselor.pk
        assert atelier.participations.count() == 1
        assert atelier.changes.filter(event="registered").count() == 1
        assert len(mail.outbox) == 1

    def test_only_sessions(self, counselor, young_person):
        appointment = create(counselor, [young_person])
        with refused("not_a_session", status=409):
            registrations.register(
                counselor.user, appointment, YoungPersonFactory(counselor=counselor)
            )
        with refused("not_a_session", status=409):
            registrations.register(young_person.user, appointment, young_person)

    def test_not_once_cancelled_or_closed(self, counselor, young_person, frozen):
        canceled = session(counselor)
        services.cancel_appointment(counselor.user, canceled, "Annulé")
        with refused("appointment_canceled", status=409):
            registrations.register(young_person.user, canceled, young_person)
        closed = session(counselor)
        frozen.move_to(START + timedelta(hours=3))
        registrations.close_appointment(counselor.user, closed, {})
        with refused("appointment_closed", status=409):
            registrations.register(counselor.user, closed, young_person)
        assert not Participation.objects.exists()


# --- unregister ---------------------------------------------------------------------------------


class TestUnregister:
    @pytest.mark.parametrize("reason", ["", "  ", None])
    def test_a_young_person_gives_a_reason(self, counselor, young_person, reason):
        atelier = session(counselor, [young_person])
        with refused("reason_required", field="reason"):
            registrations.unregister(young_person.user, atelier, young_person, reason)
        assert atelier.participations.get().attendance == Attendance.EXPECTED

    def test_a_young_person_unregisters(
        self, counselor, young_person, listen, django_capture_on_commit_callbacks
    ):
        atelier = session(counselor, [young_person])
        inbox = listen(young_person.user)
        with django_capture_on_commit_callbacks(execute=True):
            participation = registrations.unregister(
                young_person.user, atelier, young_person, " Entretien d'embauche "
            )
        participation.refresh_from_db()
        assert participation.attendance == Attendance.UNREGISTERED
        assert participation.unregistration_reason == "Entretien d'embauche"
        assert participation.unregistered_at == NOW
        assert log(atelier, "unregistered").actor == young_person.user
        # Their calendar drops the session; the session itself goes on.
        assert methods() == {young_person.user.email: ("CANCEL", 0, "CANCELLED")}
        atelier.refresh_from_db()
        assert atelier.canceled_at is None
        assert inbox.events() == [
            {"type": "appointment.unregistered", "appointment_id": str(atelier.pk)}
        ]

    def test_the_unregistration_deadline(self, counselor, young_person, frozen):
        deadline = START - timedelta(days=2)
        other = YoungPersonFactory(counselor=counselor)
        atelier = session(counselor, [young_person, other], unregistration_deadline=deadline)
        frozen.move_to(deadline)
        registrations.unregister(young_person.user, atelier, young_person, "Malade")
        frozen.move_to(deadline + timedelta(seconds=1))
        with refused("unregistration_closed", status=409):
            registrations.unregister(other.user, atelier, other, "Malade")
        assert atelier.participations.get(young_person=other).attendance == Attendance.EXPECTED

    def test_without_a_deadline_until_the_start(self, counselor, young_person, frozen):
        atelier = session(counselor, [young_person])
        frozen.move_to(START + timedelta(seconds=1))
        with refused("unregistration_closed", status=409):
            registrations.unregister(young_person.user, atelier, young_person, "Malade")

    def test_a_counselor_unregisters_without_reason_even_late(
        self, counselor, colleague, young_person, frozen
    ):
        atelier = session(
            counselor, [young_person], unregistration_deadline=START - timedelta(days=5)
        )
        frozen.move_to(START - timedelta(days=1))
        participation = registrations.unregister(colleague.user, atelier, young_person, "")
        assert participation.attendance == Attendance.UNREGISTERED
        assert participation.unregistration_reason == ""

    def test_not_registered(self, counselor, young_person):
        atelier = session(counselor)
        with refused("not_registered", status=409):
            registrations.unregister(young_person.user, atelier, young_person, "Malade")
        registrations.register(young_person.user, atelier, young_person)
        registrations.unregister(young_person.user, atelier, young_person, "Malade")
        with refused("not_registered", status=409):
            registrations.unregister(young_person.user, atelier, young_person, "Encore")

    def test_a_young_person_unregisters_nobody_else(self, counselor, young_person, colleague_young):
        atelier = session(counselor, [colleague_young])
        with refused("not_found", status=404):
            registrations.unregister(young_person.user, atelier, colleague_young, "Pour lui")
        assert atelier.participations.get().attendance == Attendance.EXPECTED

    def test_not_from_an_individual_appointment(self, counselor, young_person):
        appointment = create(counselor, [young_person])
        with refused("not_a_session", status=409):
            registrations.unregister(young_person.user, appointment, young_person, "Pas envie")
        assert appointment.participations.get().attendance == Attendance.EXPECTED

    def test_not_by_a_counselor_of_another_structure(
        self, counselor, young_person, other_structure_counselor
    ):
        atelier = session(counselor, [young_person])
        with refused("not_allowed", status=403):
            registrations.unregister(other_structure_counselor.user, atelier, young_person, "")


# --- close_appointment --------------------------------------------------------------------------


class TestClose:
    @pytest.fixture
    def trio(self, counselor):
        return YoungPersonFactory.create_batch(3, counselor=counselor)

    def test_before_the_start_refused(self, counselor, young_person, frozen):
        appointment = create(counselor, [young_person])
        frozen.move_to(START - timedelta(seconds=1))
        with refused("too_early", status=409):
            registrations.close_appointment(
                counselor.user, appointment, {young_person.pk: Attendance.PRESENT}
            )
        appointment.refresh_from_db()
        assert appointment.closed_at is None
        assert appointment.participations.get().attendance == Attendance.EXPECTED

    def test_closes_from_the_start(self, counselor, young_person, frozen):
        appointment = create(counselor, [young_person])
        frozen.move_to(START)
        registrations.close_appointment(
            counselor.user, appointment, {young_person.pk: Attendance.ABSENT}
        )
        appointment.refresh_from_db()
        assert appointment.closed_at == START

    def test_each_state_recorded(self, counselor, trio, frozen):
        atelier = session(counselor, trio)
        frozen.move_to(START + timedelta(hours=3))
        assert atelier.state() == State.TO_CLOSE
        closed = registrations.close_appointment(
            counselor.user,
            atelier,
            {
                trio[0].pk: Attendance.PRESENT,
                str(trio[1].pk): "absent",
                trio[2].pk: Attendance.EXCUSED,
            },
        )
        assert closed.closed_by == counselor.user
        atelier.refresh_from_db()
        assert atelier.closed_at == START + timedelta(hours=3)
        assert atelier.state() == State.CLOSED
        states = {p.young_person_id: p.attendance for p in atelier.participations.all()}
        assert states == {
            trio[0].pk: Attendance.PRESENT,
            trio[1].pk: Attendance.ABSENT,
            trio[2].pk: Attendance.EXCUSED,
        }
        assert log(atelier, "closed").changes == {"present": ["", "1"]}

    def test_every_expected_participant_needs_a_state(self, counselor, trio, frozen):
        atelier = session(counselor, trio)
        frozen.move_to(START + timedelta(hours=3))
        with refused("attendance_required", field="attendance"):
            registrations.close_appointment(
                counselor.user,
                atelier,
                {trio[0].pk: Attendance.PRESENT, trio[1].pk: Attendance.PRESENT},
            )
        atelier.refresh_from_db()
        assert atelier.closed_at is None
        assert {p.attendance for p in atelier.participations.all()} == {Attendance.EXPECTED}

    def test_unknown_participant_refused(self, counselor, young_person, trio, frozen):
        atelier = session(counselor, trio[:2])
        registrations.unregister(counselor.user, atelier, trio[1], "")
        frozen.move_to(START + timedelta(hours=3))
        present = {trio[0].pk: Attendance.PRESENT}
        for intruder in (young_person.pk, uuid.uuid4(), trio[1].pk, "pas-un-id"):
            with refused("unknown_participant", field="attendance"):
                registrations.close_appointment(
                    counselor.user, atelier, {**present, intruder: Attendance.PRESENT}
                )
        # The one who unregistered needs no state.
        registrations.close_appointment(counselor.user, atelier, present)
        assert atelier.participations.get(young_person=trio[1]).attendance == (
            Attendance.UNREGISTERED
        )

    @pytest.mark.parametrize("state", ["expected", "unregistered", "late", ""])
    def test_invalid_state_refused(self, counselor, young_person, frozen, state):
        appointment = create(counselor, [young_person])
        frozen.move_to(START + timedelta(hours=2))
        with refused("invalid_attendance", field="attendance"):
            registrations.close_appointment(counselor.user, appointment, {young_person.pk: state})
        appointment.refresh_from_db()
        assert appointment.closed_at is None

    def test_closing_twice_refused(self, counselor, young_person, frozen):
        appointment = create(counselor, [young_person])
        frozen.move_to(START + timedelta(hours=2))
        registrations.close_appointment(
            counselor.user, appointment, {young_person.pk: Attendance.PRESENT}
        )
        with refused("appointment_closed", status=409):
            registrations.close_appointment(
                counselor.user, appointment, {young_person.pk: Attendance.ABSENT}
            )
        assert appointment.participations.get().attendance == Attendance.PRESENT

    def test_a_cancelled_appointment_is_not_closed(self, counselor, young_person, frozen):
        appointment = create(counselor, [young_person])
        services.cancel_appointment(counselor.user, appointment, "Absent")
        frozen.move_to(START + timedelta(hours=2))
        with refused("appointment_canceled", status=409):
            registrations.close_appointment(
                counselor.user, appointment, {young_person.pk: Attendance.PRESENT}
            )

    def test_who_closes(self, counselor, colleague, supervisor, young_person, frozen):
        appointment = create(counselor, [young_person])
        atelier = session(counselor, [young_person])
        frozen.move_to(START + timedelta(hours=2))
        attendance = {young_person.pk: Attendance.PRESENT}
        for user in (colleague.user, young_person.user):
            with refused("not_allowed", status=403):
                registrations.close_appointment(user, appointment, attendance)
        registrations.close_appointment(supervisor.user, appointment, attendance)
        registrations.close_appointment(colleague.user, atelier, attendance)
        assert log(atelier, "closed").actor == colleague.user

    def test_an_empty_session_closes(self, counselor, frozen):
        atelier = session(counselor)
        frozen.move_to(START + timedelta(hours=2))
        registrations.close_appointment(counselor.user, atelier, {})
        atelier.refresh_from_db()
        assert atelier.state() == State.CLOSED


# --- calendar feeds -----------------------------------------------------------------------------


class TestFeeds:
    def test_feed_for_is_idempotent(self, young_person):
        feed = registrations.feed_for(young_person.user)
        again = registrations.feed_for(young_person.user)
        assert again.pk == feed.pk and again.token == feed.token
        assert len(feed.token) >= 43
        assert CalendarFeed.objects.count() == 1

    def test_each_user_has_their_own_token(self, young_person, counselor):
        assert (
            registrations.feed_for(young_person.user).token
            != registrations.feed_for(counselor.user).token
        )

    def test_revoke_gives_a_new_token(self, counselor, frozen):
        feed = registrations.feed_for(counselor.user)
        frozen.move_to(NOW + timedelta(days=1))
        revoked = registrations.revoke_feed(counselor.user)
        assert revoked.pk == feed.pk
        assert revoked.token != feed.token
        assert revoked.created_at == NOW + timedelta(days=1)
        assert registrations.feed_for(counselor.user).token == revoked.token
        assert not CalendarFeed.objects.filter(token=feed.token).exists()

    def test_revoke_without_a_feed_creates_one(self, young_person):
        feed = registrations.revoke_feed(young_person.user)
        assert CalendarFeed.objects.get(user=young_person.user).token == feed.token


def test_factories_agree_with_the_services(counselor, young_person):
    """AppointmentFactory and ParticipationFactory build what the services would."""
    participation = ParticipationFactory(
        appointment=AppointmentFactory(counselor=counselor, starts_at=START),
        young_person=young_person,
    )
    assert participation.appointment.local_date == date(2026, 3, 27)
    assert participation.attendance == Attendance.EXPECTED
