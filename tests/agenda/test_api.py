"""The agenda API: appointments, sessions and registrations, closing, the change log, the agenda
of a date range, the .ics file and the calendar subscription. Every JSON answer is checked against
the published OpenAPI document (the `call` fixture of the actions API tests)."""

# The fixtures imported from other test modules are parameters of the tests below.
# ruff: noqa: F811

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from passemploi.accounts import tokens
from passemploi.agenda.models import Appointment, AppointmentChange, Participation
from tests.accounts.test_api import openapi  # noqa: F401
from tests.actions.test_api import adviser, call, refused, yp  # noqa: F401
from tests.factories import (
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    StructureFactory,
    UserFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

# A Wednesday, 11:00 in Paris (winter time, +01:00); summer time begins on Sunday 29 March.
NOW = datetime(2026, 3, 25, 10, 0, tzinfo=UTC)
# Thursday 2 April 2026, 09:30 in Paris, summer time (+02:00).
NEXT_WEEK = datetime(2026, 4, 2, 7, 30, tzinfo=UTC)

APPOINTMENTS = "/api/v1/appointments"
APPOINTMENT = "/api/v1/appointments/{appointment_id}"
CANCEL = APPOINTMENT + "/cancel"
CLOSE = APPOINTMENT + "/close"
CHANGES = APPOINTMENT + "/changes"
ICS = APPOINTMENT + "/calendar"
SESSIONS = "/api/v1/sessions"
REGISTRATIONS = "/api/v1/sessions/{session_id}/registrations"
UNREGISTER = REGISTRATIONS + "/cancel"
CALENDAR = "/api/v1/calendar"
FEED = "/api/v1/calendar/feed"
REVOKE = "/api/v1/calendar/feed/revoke"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def new_appointment(*young_people, **fields):
    return {
        "young_person_ids": [person.pk for person in young_people],
        "type": "ENTRETIEN_INDIVIDUEL_CONSEILLER",
        "title": "Point sur la recherche d'emploi",
        "starts_at": "2026-04-02T09:30:00+02:00",
        "duration_minutes": 45,
        "modality": "at_structure",
        "address": "12 rue des Lilas, 75019 Paris",
        **fields,
    }


def new_session(**fields):
    return {
        "type": "ATELIER",
        "title": "Atelier CV",
        "starts_at": "2026-04-02T09:30:00+02:00",
        "duration_minutes": 120,
        "modality": "at_structure",
        "max_participants": 2,
        **fields,
    }


def appointment_with(counselor, *young_people, **fields):
    appointment = AppointmentFactory(counselor=counselor, **fields)
    for person in young_people:
        ParticipationFactory(appointment=appointment, young_person=person)
    return appointment


def session_of(counselor, *young_people, **fields):
    return appointment_with(counselor, *young_people, session=True, **fields)


def ics_get(user, appointment_id):
    token = tokens.issue_token_pair(user)["access_token"]
    return Client().get(
        ICS.format(appointment_id=appointment_id), headers={"Authorization": f"Bearer {token}"}
    )


# --- documentation ------------------------------------------------------------------------------


def test_every_agenda_operation_is_documented_with_an_example(openapi):
    operations = [
        (f"{method.upper()} {path}", operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
        if operation["tags"] == ["Agenda"]
    ]
    assert len(operations) == 16
    schemas = openapi["components"]["schemas"]

    def has_example(content):
        ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
        return bool(schemas[ref.rsplit("/", 1)[-1]].get("examples")) if ref else False

    for where, operation in operations:
        assert operation["summary"] and operation["description"], where
        responses = operation["responses"]
        for status in ("401", "403", "404", "422"):
            assert status in responses, f"{where} does not document {status}"
        if operation.get("requestBody"):
            for status in ("400", "409"):
                assert status in responses, f"{where} does not document {status}"
        if where.endswith("/calendar") and "{" in where:
            assert "text/calendar" in responses["200"]["content"], where
            continue
        success = [r for s, r in responses.items() if s.startswith("2") and "content" in r]
        body = operation.get("requestBody", {}).get("content")
        assert any(has_example(r["content"]) for r in success) or (body and has_example(body)), (
            f"{where} has no example"
        )


# --- create --------------------------------------------------------------------------------------


class TestCreate:
    def test_counselor_creates_an_appointment_for_two_young_people(
        self, call, adviser, young_person, django_capture_on_commit_callbacks
    ):
        other = YoungPersonFactory(counselor=young_person.counselor)
        payload = new_appointment(young_person, other, client_id=str(uuid.uuid4()))
        with django_capture_on_commit_callbacks(execute=True):
            status, body = call(adviser, "post", APPOINTMENTS, payload)
        assert status == 201, body
        assert body["starts_at"] == "2026-04-02T09:30:00+02:00"
        assert body["ends_at"] == "2026-04-02T10:15:00+02:00"
        assert (body["type_label"], body["modality_label"]) == (
            "Entretien individuel",
            "En présentiel à la structure",
        )
        assert (body["state"], body["state_label"], body["canceled"]) == (
            "upcoming",
            "À venir",
            None,
        )
        assert (body["is_session"], body["seats_left"], body["registered"]) == (False, None, None)
        assert body["can_manage"] is True
        assert sorted(p["young_person_id"] for p in body["participants"]) == sorted(
            [str(young_person.pk), str(other.pk)]
        )
        assert {p["attendance"] for p in body["participants"]} == {"expected"}
        assert body["counselor"]["id"] == str(young_person.counselor.pk)
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [young_person.user.email, other.user.email]
        )
        assert Appointment.objects.get().client_id == uuid.UUID(payload["client_id"])

    def test_a_retry_with_the_same_client_id_returns_the_first_appointment(
        self, call, adviser, young_person
    ):
        payload = new_appointment(young_person, client_id=str(uuid.uuid4()))
        status, first = call(adviser, "post", APPOINTMENTS, payload)
        assert status == 201
        status, again = call(adviser, "post", APPOINTMENTS, payload)
        assert (status, again["id"]) == (200, first["id"])
        status, other = call(adviser, "post", APPOINTMENTS, new_appointment(young_person))
        assert status == 201 and other["id"] != first["id"]
        assert Appointment.objects.count() == 2

    def test_a_time_without_offset_is_the_structures_and_ends_at_gives_the_duration(
        self, call, adviser, young_person
    ):
        payload = new_appointment(
            young_person, starts_at="2026-04-02T09:30", ends_at="2026-04-02T11:00"
        )
        del payload["duration_minutes"]
        status, body = call(adviser, "post", APPOINTMENTS, payload)
        assert status == 201, body
        assert (body["starts_at"], body["duration_minutes"]) == ("2026-04-02T09:30:00+02:00", 90)
        assert Appointment.objects.get().starts_at == NEXT_WEEK

    def test_times_carry_the_offset_of_the_structure(self, call):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        payload = new_appointment(young_person, starts_at="2026-04-02T09:30")
        status, body = call(counselor.user, "post", APPOINTMENTS, payload)
        assert (status, body["starts_at"]) == (201, "2026-04-02T09:30:00+04:00")

    @pytest.mark.parametrize(
        ("fields", "code", "field"),
        [
            ({"ends_at": "2026-04-02T09:00:00+02:00"}, "end_before_start", "ends_at"),
            ({"ends_at": "2026-04-02T09:30:00+02:00"}, "end_before_start", "ends_at"),
            ({"ends_at": "2026-04-02T11:00:00+02:00"}, "invalid_duration", "ends_at"),
            ({"duration_minutes": 0}, "invalid_duration", "duration_minutes"),
            ({"duration_minutes": -30}, "invalid_duration", "duration_minutes"),
            ({"duration_minutes": 13 * 60}, "invalid_duration", "duration_minutes"),
            ({"duration_minutes": None}, "invalid_duration", "duration_minutes"),
            ({"starts_at": "2028-04-02T09:30:00+02:00"}, "starts_at_out_of_range", "starts_at"),
            ({"starts_at": "2025-03-01T09:30:00+01:00"}, "starts_at_out_of_range", "starts_at"),
            ({"type": "GOUTER"}, "invalid_type", "type"),
            ({"type": "AUTRE"}, "type_detail_required", "type_detail"),
            ({"type": "AUTRE", "type_detail": "   "}, "type_detail_required", "type_detail"),
            ({"title": "  "}, "title_required", "title"),
            ({"modality": "pigeon"}, "invalid_modality", "modality"),
            ({"modality": "video"}, "video_link_required", "video_link"),
            ({"young_person_ids": []}, "young_people_required", "young_people"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(
        self, call, adviser, young_person, fields, code, field
    ):
        result = call(adviser, "post", APPOINTMENTS, new_appointment(young_person, **fields))
        refused(result, 400, code, field)
        assert not Appointment.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"video_link": "pas une adresse"}, "video_link"),
            ({"address": "x" * 256}, "address"),
            ({"starts_at": "demain matin"}, "starts_at"),
            ({"young_person_ids": ["abc"]}, "young_person_ids.0"),
        ],
    )
    def test_malformed_input_is_a_validation_error(
        self, call, adviser, young_person, fields, field
    ):
        result = call(adviser, "post", APPOINTMENTS, new_appointment(young_person, **fields))
        body = refused(result, 422, "validation_error")
        assert field in body["fields"], body
        assert not Appointment.objects.exists()

    def test_other_with_a_detail_and_a_visio(self, call, adviser, young_person):
        fields = {
            "type": "AUTRE",
            "type_detail": "Forum de l'emploi",
            "modality": "video",
            "video_link": "https://visio.exemple.fr/salle/1",
        }
        status, body = call(adviser, "post", APPOINTMENTS, new_appointment(young_person, **fields))
        assert status == 201, body
        assert (body["type_label"], body["type_detail"]) == ("Autre", "Forum de l'emploi")

    def test_young_people_must_be_followed(self, call, adviser, young_person, structure):
        elsewhere = YoungPersonFactory()
        colleagues = YoungPersonFactory(counselor=CounselorFactory(structure=structure))
        for stranger in (elsewhere, colleagues):
            result = call(adviser, "post", APPOINTMENTS, new_appointment(young_person, stranger))
            refused(result, 400, "young_person_not_allowed")
        payload = new_appointment(young_person)
        payload["young_person_ids"].append(str(uuid.uuid4()))
        refused(call(adviser, "post", APPOINTMENTS, payload), 400, "young_person_not_allowed")
        assert not Appointment.objects.exists()

    def test_young_people_and_other_accounts_cannot_create(self, call, yp, young_person):
        refused(call(yp, "post", APPOINTMENTS, new_appointment(young_person)), 403, "forbidden")
        staff = UserFactory(is_staff=True)
        refused(call(staff, "post", APPOINTMENTS, new_appointment(young_person)), 403, "forbidden")
        refused(call(None, "get", APPOINTMENTS), 401, "not_authenticated")


# --- read ----------------------------------------------------------------------------------------


class TestRead:
    def test_counselor_sees_every_participant_young_person_only_themself(
        self, call, adviser, yp, young_person, counselor
    ):
        other = YoungPersonFactory(counselor=counselor)
        appointment = appointment_with(counselor, young_person, other, comment="Apportez un CV")
        status, body = call(adviser, "get", APPOINTMENT, appointment_id=appointment.pk)
        assert status == 200
        assert len(body["participants"]) == 2
        status, body = call(yp, "get", APPOINTMENT, appointment_id=appointment.pk)
        assert status == 200
        assert body["comment"] == "Apportez un CV"
        assert [p["young_person_id"] for p in body["participants"]] == [str(young_person.pk)]
        assert (body["registered"], body["can_manage"]) == (True, False)
        assert body["participants"][0]["attendance_label"] == "Attendu"

    def test_outsiders_get_404(self, call, counselor, young_person, structure):
        appointment = appointment_with(counselor, young_person)
        outsiders = [
            YoungPersonFactory(counselor=counselor).user,  # same counselor, not invited
            CounselorFactory(structure=structure).user,  # a colleague
            CounselorFactory().user,  # another structure
            CounselorFactory(supervisor=True).user,  # another structure's supervisor
        ]
        for user in outsiders:
            refused(call(user, "get", APPOINTMENT, appointment_id=appointment.pk), 404, "not_found")
            assert ics_get(user, appointment.pk).status_code == 404
        for user in outsiders[1:]:
            refused(call(user, "get", CHANGES, appointment_id=appointment.pk), 404, "not_found")
        missing = call(young_person.user, "get", APPOINTMENT, appointment_id=uuid.uuid4())
        refused(missing, 404, "not_found")
        supervisor = CounselorFactory(structure=structure, supervisor=True).user
        assert call(supervisor, "get", APPOINTMENT, appointment_id=appointment.pk)[0] == 200

    def test_young_person_sees_a_visible_session_of_their_structure(
        self, call, yp, counselor, young_person
    ):
        session = session_of(counselor, max_participants=3)
        ParticipationFactory.create_batch(2, appointment=session)
        hidden = session_of(counselor, visible=False)
        status, body = call(yp, "get", APPOINTMENT, appointment_id=session.pk)
        assert status == 200
        assert (body["seats_left"], body["registered"], body["participants"]) == (1, False, [])
        refused(call(yp, "get", APPOINTMENT, appointment_id=hidden.pk), 404, "not_found")


class TestList:
    def test_filters(self, call, adviser, counselor, young_person):
        other = YoungPersonFactory(counselor=counselor)
        soon = appointment_with(counselor, young_person, starts_at=NOW + timedelta(days=1))
        later = appointment_with(
            counselor, other, starts_at=NEXT_WEEK, type="VISITE", title="Visite"
        )
        past = appointment_with(counselor, young_person, starts_at=NOW - timedelta(days=1))
        closed = appointment_with(
            counselor, young_person, starts_at=NOW - timedelta(days=2), closed_at=NOW
        )
        canceled = appointment_with(counselor, other, canceled_at=NOW, cancel_reason="Grève")
        session = session_of(counselor, starts_at=NEXT_WEEK + timedelta(hours=3))
        appointment_with(CounselorFactory(), starts_at=NOW + timedelta(days=1))  # elsewhere

        def ids(**query):
            status, body = call(adviser, "get", APPOINTMENTS, query=query)
            assert status == 200, body
            return [item["id"] for item in body["items"]]

        def expect(*appointments):
            return [str(a.pk) for a in appointments]

        assert ids() == expect(closed, past, soon, canceled, later, session)
        assert ids(state="upcoming") == expect(soon, later, session)
        assert ids(state="to_close") == expect(past)
        assert ids(state="closed") == expect(closed)
        assert ids(state="canceled") == expect(canceled)
        assert ids(type="VISITE") == expect(later)
        assert ids(is_session="true") == expect(session)
        assert ids(young_person_id=other.pk) == expect(canceled, later)
        assert ids(**{"from": "2026-04-02", "to": "2026-04-02"}) == expect(later, session)
        assert ids(to="2026-03-24") == expect(closed, past)
        refused(call(adviser, "get", APPOINTMENTS, query={"state": "x"}), 400, "invalid_state")
        refused(call(adviser, "get", APPOINTMENTS, query={"type": "x"}), 400, "invalid_type")
        stranger = {"young_person_id": YoungPersonFactory().pk}
        refused(call(adviser, "get", APPOINTMENTS, query=stranger), 404, "not_found")
        bad = {"from": "le 3 avril"}
        assert refused(call(adviser, "get", APPOINTMENTS, query=bad), 422, "validation_error")

    def test_young_person_sees_theirs_and_the_visible_sessions(
        self, call, yp, young_person, counselor
    ):
        mine = appointment_with(counselor, young_person)
        appointment_with(counselor, YoungPersonFactory(counselor=counselor))
        session = session_of(counselor)
        session_of(counselor, visible=False)
        session_of(CounselorFactory())
        _, body = call(yp, "get", APPOINTMENTS)
        assert {item["id"] for item in body["items"]} == {str(mine.pk), str(session.pk)}

    def test_paging(self, call, adviser, counselor, young_person):
        for day in range(3):
            appointment_with(counselor, young_person, starts_at=NOW + timedelta(days=day + 1))
        status, body = call(adviser, "get", APPOINTMENTS, query={"limit": 2})
        assert (status, body["count"], len(body["items"])) == (200, 3, 2)
        assert body["next"] == "/api/v1/appointments?limit=2&offset=2"
        refused(call(adviser, "get", APPOINTMENTS, query={"limit": 0}), 422, "validation_error")

    @pytest.mark.parametrize("who", ["young_person", "counselor", "supervisor"])
    def test_the_query_count_does_not_grow_with_the_page(
        self, call, who, counselor, young_person, structure
    ):
        user = {
            "young_person": young_person.user,
            "counselor": counselor.user,
            "supervisor": CounselorFactory(structure=structure, supervisor=True).user,
        }[who]
        others = YoungPersonFactory.create_batch(2, counselor=counselor)

        def make(n):
            for i in range(n):
                appointment_with(counselor, young_person, others[i % 2])
                session = session_of(counselor, max_participants=5)
                ParticipationFactory(appointment=session, young_person=others[0])

        def queries():
            with CaptureQueriesContext(connection) as captured:
                status, body = call(user, "get", APPOINTMENTS, query={"limit": 100})
            assert status == 200
            return len(captured), body["count"]

        make(3)
        call(user, "get", APPOINTMENTS)  # the token is issued outside the count
        few, count = queries()
        assert count == 6
        make(27)
        many, count = queries()
        assert count == 60
        assert few == many


# --- update, cancel, close -----------------------------------------------------------------------


class TestUpdate:
    def test_counselor_moves_an_appointment_and_the_change_is_logged(
        self, call, adviser, counselor, young_person, django_capture_on_commit_callbacks
    ):
        appointment = appointment_with(counselor, young_person, starts_at=NEXT_WEEK)
        result = call(adviser, "patch", APPOINTMENT, {"title": None}, appointment_id=appointment.pk)
        refused(result, 422, "validation_error")
        patch = {"starts_at": "2026-04-03T14:00", "ends_at": "2026-04-03T15:30"}
        with django_capture_on_commit_callbacks(execute=True):
            status, body = call(adviser, "patch", APPOINTMENT, patch, appointment_id=appointment.pk)
        assert status == 200, body
        assert (body["starts_at"], body["duration_minutes"]) == ("2026-04-03T14:00:00+02:00", 90)
        assert (body["title"], body["sequence"]) == (appointment.title, 1)
        assert [m.to for m in mail.outbox] == [[young_person.user.email]]
        status, log = call(adviser, "get", CHANGES, appointment_id=appointment.pk)
        assert (status, log["count"]) == (200, 1)
        entry = log["items"][0]
        assert (entry["event"], entry["event_label"]) == ("updated", "Modification")
        assert entry["actor"]["id"] == str(adviser.pk)
        changed = {c["field"]: c for c in entry["changes"]}
        assert changed["starts_at"]["field_label"] == "Début"
        assert changed["starts_at"]["new"] == "03/04/2026 14:00"

    def test_participants_are_replaced(self, call, adviser, counselor, young_person):
        appointment = appointment_with(counselor, young_person)
        other = YoungPersonFactory(counselor=counselor)
        payload = {"young_person_ids": [str(other.pk)]}
        status, body = call(adviser, "patch", APPOINTMENT, payload, appointment_id=appointment.pk)
        assert status == 200
        assert [p["young_person_id"] for p in body["participants"]] == [str(other.pk)]

    @pytest.mark.parametrize(
        ("patch", "code", "field"),
        [
            ({"ends_at": "2026-04-02T08:00:00+02:00"}, "end_before_start", "ends_at"),
            ({"duration_minutes": 0}, "invalid_duration", "duration_minutes"),
            ({"starts_at": "2029-01-01T10:00:00+01:00"}, "starts_at_out_of_range", "starts_at"),
            ({"type": "AUTRE"}, "type_detail_required", "type_detail"),
            ({"type": "NOPE"}, "invalid_type", "type"),
        ],
    )
    def test_bad_input_changes_nothing(
        self, call, adviser, counselor, young_person, patch, code, field
    ):
        appointment = appointment_with(counselor, young_person, starts_at=NEXT_WEEK)
        result = call(adviser, "patch", APPOINTMENT, patch, appointment_id=appointment.pk)
        refused(result, 400, code, field)
        appointment.refresh_from_db()
        assert (appointment.starts_at, appointment.duration_minutes) == (NEXT_WEEK, 60)
        assert (appointment.type, appointment.sequence) == ("ENTRETIEN_INDIVIDUEL_CONSEILLER", 0)

    def test_who_may_edit(self, call, yp, counselor, young_person, structure):
        appointment = appointment_with(counselor, young_person)
        payload = {"title": "Autre titre"}
        refused(
            call(yp, "patch", APPOINTMENT, payload, appointment_id=appointment.pk), 403, "forbidden"
        )
        elsewhere = CounselorFactory().user
        result = call(elsewhere, "patch", APPOINTMENT, payload, appointment_id=appointment.pk)
        refused(result, 404, "not_found")
        # A colleague sees it through a young person they follow, but does not organise it.
        colleague = CounselorFactory(structure=structure)
        ParticipationFactory(
            appointment=appointment, young_person=YoungPersonFactory(counselor=colleague)
        )
        result = call(colleague.user, "patch", APPOINTMENT, payload, appointment_id=appointment.pk)
        refused(result, 403, "not_allowed")
        supervisor = CounselorFactory(structure=structure, supervisor=True).user
        status, body = call(
            supervisor, "patch", APPOINTMENT, payload, appointment_id=appointment.pk
        )
        assert (status, body["title"]) == (200, "Autre titre")


class TestCancel:
    def test_counselor_cancels_with_a_reason(
        self, call, adviser, yp, counselor, young_person, django_capture_on_commit_callbacks
    ):
        appointment = appointment_with(counselor, young_person)
        refused(
            call(adviser, "post", CANCEL, {"reason": "  "}, appointment_id=appointment.pk),
            400,
            "reason_required",
            "reason",
        )
        result = call(adviser, "post", CANCEL, {}, appointment_id=appointment.pk)
        refused(result, 422, "validation_error")
        with django_capture_on_commit_callbacks(execute=True):
            status, body = call(
                adviser, "post", CANCEL, {"reason": "Grève"}, appointment_id=appointment.pk
            )
        assert status == 200
        assert (body["state"], body["state_label"]) == ("canceled", "Annulé")
        assert body["canceled"] == {"at": "2026-03-25T11:00:00+01:00", "reason": "Grève"}
        invitation = Calendar.from_ical(mail.outbox[0].attachments[0][1])
        assert invitation["method"] == "CANCEL"
        again = call(adviser, "post", CANCEL, {"reason": "Grève"}, appointment_id=appointment.pk)
        refused(again, 409, "appointment_canceled")
        result = call(adviser, "patch", APPOINTMENT, {"title": "x"}, appointment_id=appointment.pk)
        refused(result, 409, "appointment_canceled")
        result = call(yp, "post", CANCEL, {"reason": "Malade"}, appointment_id=appointment.pk)
        refused(result, 403, "forbidden")
        status, body = call(yp, "get", APPOINTMENT, appointment_id=appointment.pk)
        assert body["canceled"]["reason"] == "Grève"


class TestClose:
    def test_closing_before_the_start_is_refused(self, call, adviser, counselor, young_person):
        appointment = appointment_with(counselor, young_person)
        payload = {"attendance": {str(young_person.pk): "present"}}
        result = call(adviser, "post", CLOSE, payload, appointment_id=appointment.pk)
        refused(result, 409, "too_early")
        assert Appointment.objects.get().closed_at is None

    def test_counselor_marks_attendance_and_presence_counts_in_validated_hours(
        self, call, adviser, yp, counselor, young_person
    ):
        other = YoungPersonFactory(counselor=counselor)
        session = session_of(counselor, young_person, other, starts_at=NOW - timedelta(hours=3))

        def close(attendance):
            payload = {"attendance": attendance}
            return call(adviser, "post", CLOSE, payload, appointment_id=session.pk)

        refused(close({str(young_person.pk): "present"}), 400, "attendance_required")
        both = {str(young_person.pk): "present", str(other.pk): "maybe"}
        refused(close(both), 400, "invalid_attendance")
        stranger = {str(young_person.pk): "present", str(uuid.uuid4()): "absent"}
        refused(close(stranger), 400, "unknown_participant")
        assert Participation.objects.filter(attendance="expected").count() == 2
        status, body = close({str(young_person.pk): "present", str(other.pk): "absent"})
        assert status == 200, body
        assert (body["state"], body["closed_at"]) == ("closed", "2026-03-25T11:00:00+01:00")
        attendance = {p["young_person_id"]: p["attendance_label"] for p in body["participants"]}
        assert attendance == {str(young_person.pk): "Présent", str(other.pk): "Absent"}
        refused(close({str(young_person.pk): "present"}), 409, "appointment_closed")
        status, counter = call(yp, "get", "/api/v1/hour-counter")
        assert (status, counter["validated_hours"]) == (200, 4.0)  # an atelier: 4 h

    def test_young_people_cannot_close(self, call, yp, counselor, young_person):
        appointment = appointment_with(counselor, young_person, starts_at=NOW - timedelta(hours=1))
        payload = {"attendance": {str(young_person.pk): "present"}}
        refused(call(yp, "post", CLOSE, payload, appointment_id=appointment.pk), 403, "forbidden")


class TestChanges:
    def test_the_log_is_for_counselors(self, call, adviser, yp, counselor, young_person):
        status, body = call(adviser, "post", APPOINTMENTS, new_appointment(young_person))
        assert status == 201
        status, log = call(adviser, "get", CHANGES, appointment_id=body["id"])
        assert (status, [e["event"] for e in log["items"]]) == (200, ["created"])
        assert log["items"][0]["at"] == "2026-03-25T11:00:00+01:00"
        assert log["items"][0]["changes"][0]["field_label"] == "Titre"
        refused(call(yp, "get", CHANGES, appointment_id=body["id"]), 403, "forbidden")
        assert AppointmentChange.objects.count() == 1


# --- iCalendar -----------------------------------------------------------------------------------


class TestIcs:
    def test_the_file_parses_with_utc_times_across_the_summer_time_change(
        self, openapi, counselor, young_person
    ):
        appointment = appointment_with(counselor, young_person, starts_at=NEXT_WEEK)
        response = ics_get(young_person.user, appointment.pk)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "text/calendar" in openapi["paths"][ICS]["get"]["responses"]["200"]["content"]
        assert 'filename="rendez-vous.ics"' in response["Content-Disposition"]
        calendar = Calendar.from_ical(response.content)
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("dtstart") == NEXT_WEEK
        assert event.decoded("dtstart").utcoffset() == timedelta(0)
        assert event.decoded("dtend") == NEXT_WEEK + timedelta(hours=1)
        assert str(event["summary"]) == appointment.title
        assert str(event["status"]) == "CONFIRMED"
        # Winter time, the day before the change: 09:30 in Paris is 08:30 UTC.
        before = appointment_with(
            counselor, young_person, starts_at=datetime(2026, 3, 28, 8, 30, tzinfo=UTC)
        )
        (event,) = Calendar.from_ical(ics_get(counselor.user, before.pk).content).walk("VEVENT")
        assert event.decoded("dtstart") == datetime(2026, 3, 28, 8, 30, tzinfo=UTC)

    def test_a_canceled_appointment_is_marked(self, counselor, young_person):
        appointment = appointment_with(counselor, young_person, canceled_at=NOW, sequence=3)
        (event,) = Calendar.from_ical(ics_get(young_person.user, appointment.pk).content).walk(
            "VEVENT"
        )
        assert (str(event["status"]), event.decoded("sequence")) == ("CANCELLED", 3)


# --- sessions ------------------------------------------------------------------------------------


class TestSessions:
    def test_counselor_creates_a_session(self, call, adviser, young_person, structure):
        colleagues = YoungPersonFactory(counselor=CounselorFactory(structure=structure))
        payload = new_session(
            young_person_ids=[str(colleagues.pk)],
            registration_deadline="2026-04-01T18:00",
            client_id=str(uuid.uuid4()),
        )
        status, body = call(adviser, "post", SESSIONS, payload)
        assert status == 201, body
        assert (body["is_session"], body["visible"], body["self_registration"]) == (
            True,
            True,
            True,
        )
        assert (body["max_participants"], body["seats_left"]) == (2, 1)
        assert body["registration_deadline"] == "2026-04-01T18:00:00+02:00"
        assert body["unregistration_deadline"] is None
        assert call(adviser, "post", SESSIONS, payload)[1]["id"] == body["id"]
        assert Appointment.objects.count() == 1

    @pytest.mark.parametrize(
        ("fields", "code", "field"),
        [
            ({"type": "VISITE"}, "invalid_session_type", "type"),
            ({"max_participants": 0}, "invalid_capacity", "max_participants"),
            ({"max_participants": 501}, "invalid_capacity", "max_participants"),
            (
                {"registration_deadline": "2026-04-02T10:00:00+02:00"},
                "deadline_after_start",
                "registration_deadline",
            ),
            ({"ends_at": "2026-04-02T09:00:00+02:00"}, "end_before_start", "ends_at"),
            ({"starts_at": "2024-04-02T09:30:00+02:00"}, "starts_at_out_of_range", "starts_at"),
        ],
    )
    def test_bad_input(self, call, adviser, fields, code, field):
        refused(call(adviser, "post", SESSIONS, new_session(**fields)), 400, code, field)
        assert not Appointment.objects.exists()

    def test_more_young_people_than_seats_or_from_another_structure(self, call, adviser, counselor):
        ours = YoungPersonFactory.create_batch(3, counselor=counselor)
        payload = new_session(young_person_ids=[str(yp.pk) for yp in ours])
        refused(call(adviser, "post", SESSIONS, payload), 400, "session_full")
        payload = new_session(young_person_ids=[str(YoungPersonFactory().pk)])
        refused(call(adviser, "post", SESSIONS, payload), 400, "young_person_not_allowed")
        assert not Appointment.objects.exists()

    def test_young_person_lists_the_open_sessions_of_their_structure(
        self, call, yp, young_person, counselor, structure
    ):
        colleague = CounselorFactory(structure=structure)
        mine = session_of(colleague, young_person, starts_at=NEXT_WEEK)
        other = session_of(counselor, starts_at=NOW + timedelta(days=1), max_participants=1)
        ParticipationFactory(appointment=other)
        session_of(counselor, visible=False)
        session_of(counselor, starts_at=NOW - timedelta(hours=1))
        session_of(counselor, canceled_at=NOW)
        session_of(CounselorFactory())
        appointment_with(counselor, young_person)
        status, body = call(yp, "get", SESSIONS)
        assert status == 200
        items = [(i["id"], i["registered"], i["seats_left"]) for i in body["items"]]
        assert items == [(str(other.pk), False, 0), (str(mine.pk), True, 9)]

    def test_counselor_lists_every_session_of_the_structure(
        self, call, adviser, counselor, structure
    ):
        ours = [
            session_of(counselor, visible=False),
            session_of(CounselorFactory(structure=structure), starts_at=NEXT_WEEK),
        ]
        session_of(CounselorFactory())
        appointment_with(counselor, YoungPersonFactory(counselor=counselor))
        status, body = call(adviser, "get", SESSIONS, query={"state": "upcoming"})
        assert [i["id"] for i in body["items"]] == [str(s.pk) for s in ours]
        assert all(i["registered"] is None for i in body["items"])

    def test_young_people_cannot_create(self, call, yp):
        refused(call(yp, "post", SESSIONS, new_session()), 403, "forbidden")


class TestRegistrations:
    def test_young_person_registers_and_unregisters(
        self, call, yp, young_person, counselor, django_capture_on_commit_callbacks
    ):
        session = session_of(counselor, max_participants=3)
        with django_capture_on_commit_callbacks(execute=True):
            status, body = call(yp, "post", REGISTRATIONS, {}, session_id=session.pk)
        assert status == 201, body
        assert (body["young_person_id"], body["attendance"]) == (str(young_person.pk), "expected")
        assert (body["session_id"], body["seats_left"]) == (str(session.pk), 2)
        assert [m.to for m in mail.outbox] == [[young_person.user.email]]
        status, again = call(yp, "post", REGISTRATIONS, {}, session_id=session.pk)
        assert (status, again["seats_left"]) == (200, 2)
        refused(
            call(yp, "post", UNREGISTER, {"reason": " "}, session_id=session.pk),
            400,
            "reason_required",
            "reason",
        )
        payload = {"reason": "J'ai un entretien d'embauche"}
        status, body = call(yp, "post", UNREGISTER, payload, session_id=session.pk)
        assert status == 200
        assert (body["attendance"], body["attendance_label"]) == ("unregistered", "Désinscrit")
        assert body["unregistration_reason"] == "J'ai un entretien d'embauche"
        assert body["seats_left"] == 3
        refused(call(yp, "post", UNREGISTER, payload, session_id=session.pk), 409, "not_registered")
        _, page = call(yp, "get", APPOINTMENT, appointment_id=session.pk)
        assert page["registered"] is False

    def test_the_last_seat(self, call, yp, counselor):
        session = session_of(counselor, max_participants=1)
        ParticipationFactory(appointment=session)
        refused(call(yp, "post", REGISTRATIONS, {}, session_id=session.pk), 409, "session_full")
        assert Participation.objects.count() == 1

    def test_registered_once_registration_closed_a_retry_still_finds_the_seat(
        self, call, yp, young_person, counselor
    ):
        session = session_of(counselor, young_person, self_registration=False)
        status, body = call(yp, "post", REGISTRATIONS, {}, session_id=session.pk)
        assert (status, body["attendance"]) == (200, "expected")

    def test_registration_deadlines_and_closed_registration(self, call, yp, counselor):
        late = session_of(counselor, registration_deadline=NOW - timedelta(minutes=1))
        refused(call(yp, "post", REGISTRATIONS, {}, session_id=late.pk), 409, "registration_closed")
        offline = session_of(counselor, self_registration=False)
        result = call(yp, "post", REGISTRATIONS, {}, session_id=offline.pk)
        refused(result, 409, "registration_closed")
        assert not Participation.objects.exists()

    def test_unregistering_after_the_deadline(self, call, yp, young_person, counselor):
        session = session_of(
            counselor, young_person, unregistration_deadline=NOW - timedelta(hours=1)
        )
        payload = {"reason": "Malade"}
        result = call(yp, "post", UNREGISTER, payload, session_id=session.pk)
        refused(result, 409, "unregistration_closed")
        assert Participation.objects.get().attendance == "expected"

    def test_counselor_registers_a_young_person_of_the_structure(
        self, call, adviser, counselor, structure
    ):
        session = session_of(counselor)
        colleagues = YoungPersonFactory(counselor=CounselorFactory(structure=structure))
        payload = {"young_person_id": str(colleagues.pk)}
        status, body = call(adviser, "post", REGISTRATIONS, payload, session_id=session.pk)
        assert (status, body["young_person_id"]) == (201, str(colleagues.pk))
        refused(
            call(adviser, "post", REGISTRATIONS, {}, session_id=session.pk),
            400,
            "young_person_required",
        )
        for stranger in (YoungPersonFactory().pk, uuid.uuid4()):
            result = call(
                adviser,
                "post",
                REGISTRATIONS,
                {"young_person_id": str(stranger)},
                session_id=session.pk,
            )
            refused(result, 400, "young_person_not_allowed")
        status, body = call(adviser, "post", UNREGISTER, payload, session_id=session.pk)
        assert (status, body["attendance"]) == (200, "unregistered")

    def test_counselor_sees_the_registrants(self, call, adviser, yp, counselor, young_person):
        session = session_of(counselor, young_person, max_participants=4)
        left = ParticipationFactory(
            appointment=session, attendance="unregistered", unregistration_reason="Malade"
        )
        status, body = call(adviser, "get", REGISTRATIONS, session_id=session.pk)
        assert status == 200
        assert (body["count"], body["max_participants"], body["seats_left"]) == (2, 4, 3)
        reasons = {p["young_person_id"]: p["unregistration_reason"] for p in body["items"]}
        assert reasons == {str(young_person.pk): "", str(left.young_person_id): "Malade"}
        refused(call(yp, "get", REGISTRATIONS, session_id=session.pk), 403, "forbidden")
        elsewhere = CounselorFactory().user
        refused(call(elsewhere, "get", REGISTRATIONS, session_id=session.pk), 404, "not_found")

    def test_outsiders_and_appointments_that_are_not_sessions(
        self, call, yp, adviser, counselor, young_person
    ):
        elsewhere = session_of(CounselorFactory())
        refused(call(yp, "post", REGISTRATIONS, {}, session_id=elsewhere.pk), 404, "not_found")
        result = call(yp, "post", UNREGISTER, {"reason": "x"}, session_id=elsewhere.pk)
        refused(result, 404, "not_found")
        hidden = session_of(counselor, visible=False)
        refused(call(yp, "post", REGISTRATIONS, {}, session_id=hidden.pk), 404, "not_found")
        individual = appointment_with(counselor, young_person)
        refused(call(adviser, "get", REGISTRATIONS, session_id=individual.pk), 404, "not_found")
        refused(call(yp, "post", REGISTRATIONS, {}, session_id=individual.pk), 404, "not_found")
        # A young person registers themself only.
        other = YoungPersonFactory(counselor=counselor)
        session = session_of(counselor)
        payload = {"young_person_id": str(other.pk)}
        refused(call(yp, "post", REGISTRATIONS, payload, session_id=session.pk), 404, "not_found")
        assert not Participation.objects.filter(appointment=session).exists()
        ParticipationFactory(appointment=session, young_person=other)
        payload["reason"] = "Malade"
        refused(call(yp, "post", UNREGISTER, payload, session_id=session.pk), 404, "not_found")
        assert Participation.objects.get(appointment=session).attendance == "expected"


# --- calendar ------------------------------------------------------------------------------------


class TestCalendar:
    def test_young_person_agenda_of_a_week(self, call, yp, young_person, counselor):
        monday = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
        mine = appointment_with(counselor, young_person, starts_at=monday)
        canceled = appointment_with(
            counselor, young_person, starts_at=monday + timedelta(days=1), canceled_at=NOW
        )
        left = session_of(counselor, starts_at=monday + timedelta(days=2))
        ParticipationFactory(appointment=left, young_person=young_person, attendance="unregistered")
        session_of(counselor, starts_at=monday)  # visible, not registered
        appointment_with(counselor, young_person, starts_at=monday + timedelta(days=7))
        query = {"from": "2026-03-30", "to": "2026-04-05"}
        status, body = call(yp, "get", CALENDAR, query=query)
        assert status == 200, body
        assert (body["start_date"], body["end_date"], body["view"]) == (
            "2026-03-30",
            "2026-04-05",
            "mine",
        )
        assert [i["id"] for i in body["items"]] == [str(mine.pk), str(canceled.pk)]
        assert body["items"][0]["starts_at"] == "2026-03-30T09:00:00+02:00"

    def test_counselor_agenda_mine_and_structure(self, call, adviser, counselor, structure):
        colleague = CounselorFactory(structure=structure)
        mine = appointment_with(counselor, YoungPersonFactory(counselor=counselor))
        my_session = session_of(counselor, starts_at=NEXT_WEEK)
        their_session = session_of(colleague, starts_at=NEXT_WEEK + timedelta(hours=1))
        appointment_with(colleague, YoungPersonFactory(counselor=colleague))
        session_of(CounselorFactory())
        query = {"from": "2026-03-23", "to": "2026-04-05"}
        _, body = call(adviser, "get", CALENDAR, query=query)
        assert [i["id"] for i in body["items"]] == [str(mine.pk), str(my_session.pk)]
        _, body = call(adviser, "get", CALENDAR, query=query | {"view": "structure"})
        assert body["view"] == "structure"
        assert [i["id"] for i in body["items"]] == [str(my_session.pk), str(their_session.pk)]

    def test_bad_ranges(self, call, adviser):
        def get(**query):
            return call(adviser, "get", CALENDAR, query=query)

        refused(get(**{"from": "2026-04-05", "to": "2026-04-01"}), 400, "invalid_range", "to")
        refused(get(**{"from": "2026-03-01", "to": "2026-05-02"}), 400, "range_too_long", "to")
        assert get(**{"from": "2026-03-01", "to": "2026-05-01"})[0] == 200  # 62 days
        assert get(**{"from": "2026-04-01", "to": "2026-04-01"})[0] == 200
        refused(get(to="2026-04-01"), 422, "validation_error")
        refused(get(**{"from": "2026-03-01", "to": "2026-03-02", "view": "x"}), 400, "invalid_view")

    def test_the_agenda_query_count_does_not_grow(self, call, adviser, counselor):
        def queries():
            with CaptureQueriesContext(connection) as captured:
                status, body = call(
                    adviser, "get", CALENDAR, query={"from": "2026-03-23", "to": "2026-04-19"}
                )
            assert status == 200
            return len(captured), len(body["items"])

        def make(n):
            for i in range(n):
                appointment_with(
                    counselor,
                    *YoungPersonFactory.create_batch(2, counselor=counselor),
                    starts_at=NOW + timedelta(hours=i + 1),
                )

        make(3)
        call(adviser, "get", FEED)  # the token is issued outside the count
        few, count = queries()
        make(27)
        many, more = queries()
        assert (count, more) == (3, 30)
        assert few == many


class TestFeed:
    def test_subscription_url_serves_the_calendar_and_revoking_replaces_it(
        self, call, yp, young_person, counselor
    ):
        appointment = appointment_with(counselor, young_person, starts_at=NEXT_WEEK)
        status, feed = call(yp, "get", FEED)
        assert status == 200
        assert feed["url"].startswith("http://testserver/")
        assert feed["webcal_url"] == "webcal://" + feed["url"].removeprefix("http://")
        assert call(yp, "get", FEED)[1]["url"] == feed["url"]
        response = Client().get(feed["url"].removeprefix("http://testserver"))
        assert response.status_code == 200
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        assert str(event["uid"]) == f"{appointment.pk}@passemploi"
        status, renewed = call(yp, "post", REVOKE)
        assert status == 200 and renewed["url"] != feed["url"]
        assert Client().get(feed["url"].removeprefix("http://testserver")).status_code == 404
        assert Client().get(renewed["url"].removeprefix("http://testserver")).status_code == 200

    def test_counselors_have_one_too_and_other_accounts_none(self, call, adviser):
        status, feed = call(adviser, "get", FEED)
        assert status == 200
        assert feed["created_at"] == "2026-03-25T11:00:00+01:00"
        refused(call(UserFactory(is_staff=True), "get", FEED), 403, "forbidden")
        refused(call(None, "get", FEED), 401, "not_authenticated")


def test_dates_are_local_dates(call, adviser, counselor):
    """Late on a Sunday in Paris is already Monday in UTC+4: each structure's own calendar day."""
    overseas = CounselorFactory(structure=StructureFactory(overseas=True))
    late = datetime(2026, 3, 29, 21, 30, tzinfo=UTC)  # Sunday 23:30 Paris, Monday 01:30 Réunion
    ours = appointment_with(counselor, YoungPersonFactory(counselor=counselor), starts_at=late)
    theirs = appointment_with(overseas, YoungPersonFactory(counselor=overseas), starts_at=late)
    sunday = {"from": "2026-03-29", "to": "2026-03-29"}
    monday = {"from": "2026-03-30", "to": "2026-03-30"}
    assert [i["id"] for i in call(adviser, "get", CALENDAR, query=sunday)[1]["items"]] == [
        str(ours.pk)
    ]
    assert [i["id"] for i in call(overseas.user, "get", CALENDAR, query=monday)[1]["items"]] == [
        str(theirs.pk)
    ]
    assert date(2026, 3, 30) == Appointment.objects.get(pk=theirs.pk).local_date
