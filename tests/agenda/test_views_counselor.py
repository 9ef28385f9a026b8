"""The counselor's agenda pages: the week (Mon agenda, Agenda de la structure), creating, editing
and cancelling appointments, collective sessions and registrations, closing with attendance,
the attendance sheet (page and CSV), Pilotage → Rendez-vous à clore, and access."""

import re
import uuid
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from passemploi.agenda import registrations, services
from passemploi.agenda.models import Appointment, AppointmentChange, Participation
from tests.conftest import client_for
from tests.factories import (
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    StructureFactory,
    YoungPersonFactory,
)
from tests.helpers import input_value, redirect_path, text

pytestmark = pytest.mark.django_db

# Wednesday 11 March 2026, 10:00 in Paris: the week runs from Monday 9 to Sunday 15 March.
NOW = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
WEEK = "/conseiller/agenda/"
CREATE = "/conseiller/agenda/nouveau/"
CREATE_SESSION = "/conseiller/agenda/sessions/nouvelle/"
TO_CLOSE = "/conseiller/pilotage/a-clore/"


@pytest.fixture(autouse=True)
def frozen():
    # Autouse: frozen before any fixture signs a client in (the session keeps its login time).
    with time_machine.travel(NOW, tick=False):
        yield


def url(appointment, action: str = "") -> str:
    return f"/conseiller/agenda/{appointment.pk}/{action}"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2026, given in UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def plain(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response)))


def errors_of(response) -> str:
    """The text of the page's error messages (field errors and alerts)."""
    body = text(response)
    found = re.findall(r'class="fr-error-text[^"]*"[^>]*>\s*([^<]+)', body)
    found += re.findall(r'role="alert">\s*(?:<h2[^>]*>[^<]*</h2>)?\s*<p>([^<]+)', body)
    return " | ".join(item.strip() for item in found)


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def appointment_for(young_person, **kwargs) -> Appointment:
    appointment = AppointmentFactory(counselor=young_person.counselor, **kwargs)
    ParticipationFactory(appointment=appointment, young_person=young_person)
    return appointment


def session_of(counselor, **kwargs) -> Appointment:
    return AppointmentFactory(counselor=counselor, session=True, **kwargs)


def ics_of(message) -> Calendar:
    (attachment,) = [a for a in message.attachments if a[0] == "rendez-vous.ics"]
    return Calendar.from_ical(attachment[1])


@pytest.fixture
def other_client(other_structure_counselor):
    return client_for(other_structure_counselor.user)


@pytest.fixture
def colleague(structure):
    return CounselorFactory(structure=structure)


# --- the week -------------------------------------------------------------------------------------


class TestWeek:
    def test_empty_week_lists_monday_to_sunday(self, counselor_client):
        response = counselor_client.get(WEEK)
        assert response.status_code == 200
        page = plain(response)
        assert "Cette semaine, du 9 au 15 mars 2026" in page
        days = ["Lundi 9 mars", "Mardi 10 mars", "Mercredi 11 mars", "Jeudi 12 mars"]
        days += ["Vendredi 13 mars", "Samedi 14 mars", "Dimanche 15 mars"]
        positions = [page.index(day) for day in days]
        assert positions == sorted(positions)
        assert page.count("Aucun rendez-vous.") == 7
        assert "Aujourd'hui" in page
        assert 'href="/conseiller/agenda/nouveau/"' in text(response)
        assert 'href="/conseiller/agenda/sessions/nouvelle/"' in text(response)

    def test_each_appointment_with_time_type_modality_count_and_state(
        self, counselor, counselor_client, young_person
    ):
        appointment_for(
            young_person, title="Point mensuel", starts_at=at(12, 13, 30), modality="phone"
        )
        earlier = appointment_for(young_person, title="Bilan", starts_at=at(10, 8))
        closed = appointment_for(young_person, title="Entretien clos", starts_at=at(9, 8))
        registrations.close_appointment(counselor.user, closed, {young_person.pk: "present"})
        canceled = appointment_for(young_person, title="Annulé d'avance", starts_at=at(13, 8))
        services.cancel_appointment(counselor.user, canceled, "Conseiller absent")
        session = session_of(counselor, title="Atelier CV", starts_at=at(14, 9), max_participants=8)
        ParticipationFactory.create_batch(2, appointment=session)
        ParticipationFactory(appointment=session, attendance="unregistered")

        page = plain(counselor_client.get(WEEK))

        name = young_person.user.get_full_name()
        # Paris time (UTC+1 in March before the change): 13:30 UTC is 14:30.
        assert (
            f"14:30 – 15:30 · Point mensuel Entretien individuel · Par téléphone · {name} À venir"
            in page
        )
        assert "09:00 – 10:00 · Bilan" in page
        assert "À clore" in page.split("Bilan", 1)[1].split("Jeudi")[0]
        assert "Entretien clos" in page and "(1 présent)" in page
        assert "Clos" in page.split("Entretien clos", 1)[1].split("Mardi")[0]
        assert "Annulé" in page.split("Annulé d'avance", 1)[1]
        assert "10:00 – 11:00 · Atelier CV Atelier · En présentiel à la structure" in page
        assert "2 inscrits / 8 places" in page
        assert "Session collective" in page
        assert "5 rendez-vous et sessions" in page
        assert earlier.pk  # listed under Tuesday
        assert page.index("Bilan") < page.index("Mercredi 11 mars") < page.index("Point mensuel")

    def test_overseas_structure_weeks_and_times_are_local(self):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        # Sunday 15 March, 21:00 UTC: already Monday 16 March, 01:00, in La Réunion (UTC+4).
        appointment_for(young_person, title="Très tôt", starts_at=at(15, 21))
        client = client_for(counselor.user)
        assert "Très tôt" not in plain(client.get(WEEK))
        page = plain(client.get(WEEK + "?semaine=2026-03-16"))
        assert "01:00 – 02:00 · Très tôt" in page
        assert page.index("Lundi 16 mars") < page.index("Très tôt") < page.index("Mardi 17 mars")

    def test_navigation_by_week(self, counselor_client, young_person):
        appointment_for(young_person, title="La semaine suivante", starts_at=at(17, 9))
        response = counselor_client.get(WEEK)
        assert "La semaine suivante" not in plain(response)
        body = text(response)
        assert 'href="?semaine=2026-03-02"' in body
        assert 'href="?semaine=2026-03-16"' in body
        # Any day of a week shows that week.
        response = counselor_client.get(WEEK + "?semaine=2026-03-19")
        page = plain(response)
        assert "Semaine prochaine, du 16 au 22 mars 2026" in page
        assert "La semaine suivante" in page
        assert "Cette semaine" in page  # the way back
        structure_tab = counselor_client.get(WEEK + "?semaine=2026-03-19&vue=structure")
        assert 'href="?semaine=2026-03-23&amp;vue=structure"' in structure_tab.content.decode()

    @pytest.mark.parametrize("value", ["demain", "2026-13-01", "0001-01-01", "9999-12-31", ""])
    def test_a_bad_week_shows_this_week(self, counselor_client, value):
        response = counselor_client.get(WEEK, {"semaine": value})
        assert response.status_code == 200
        assert "Cette semaine, du 9 au 15 mars 2026" in plain(response)

    def test_mine_and_structure_tabs(self, counselor, colleague, counselor_client, young_person):
        theirs = YoungPersonFactory(counselor=colleague)
        appointment_for(young_person, title="Mon entretien", starts_at=at(12, 9))
        appointment_for(theirs, title="Entretien du collègue", starts_at=at(12, 10))
        session_of(colleague, title="Session du collègue", starts_at=at(13, 9))
        joined = session_of(colleague, title="Session rejointe", starts_at=at(13, 12))
        ParticipationFactory(appointment=joined, young_person=young_person)
        session_of(counselor, title="Ma session", starts_at=at(14, 9))
        other = CounselorFactory()
        session_of(other, title="Ailleurs", starts_at=at(13, 9))

        mine = plain(counselor_client.get(WEEK))
        assert "Mon entretien" in mine and "Ma session" in mine
        assert "Session rejointe" in mine  # one of my young people takes part
        assert "Session rejointe" in mine and "Organisé par" in mine
        for absent in ("Entretien du collègue", "Session du collègue", "Ailleurs"):
            assert absent not in mine

        structure = plain(counselor_client.get(WEEK + "?vue=structure"))
        for shown in ("Session du collègue", "Session rejointe", "Ma session"):
            assert shown in structure
        for absent in ("Mon entretien", "Entretien du collègue", "Ailleurs"):
            assert absent not in structure

    def test_a_supervisor_sees_the_whole_structure(self, supervisor, colleague):
        theirs = YoungPersonFactory(counselor=colleague)
        appointment_for(theirs, title="Entretien du collègue", starts_at=at(12, 10))
        session_of(colleague, title="Session du collègue", starts_at=at(13, 9))
        page = plain(client_for(supervisor.user).get(WEEK + "?vue=structure"))
        assert "Entretien du collègue" in page and "Session du collègue" in page
        assert "Tous les rendez-vous et sessions de la structure." in page

    def test_constant_query_count(self, counselor, counselor_client, young_person, colleague):
        def add(n):
            for i in range(n):
                appointment = appointment_for(young_person, starts_at=at(9 + i % 7, 8 + i % 10))
                ParticipationFactory(appointment=appointment)
                session = session_of(colleague, starts_at=at(9 + i % 7, 9))
                ParticipationFactory.create_batch(
                    2, appointment=session, young_person__counselor=counselor
                )

        add(1)
        for tab in ("", "?vue=structure"):
            few = count_queries(counselor_client, WEEK + tab)
            add(9)
            many = count_queries(counselor_client, WEEK + tab)
            assert many == few, f"{tab}: {few} queries for 2 appointments, {many} for 20"
        assert Appointment.objects.count() == 38


# --- creating an appointment ------------------------------------------------------------------


def valid_post(people, **overrides) -> dict:
    data = {
        "young_people": [str(yp.pk) for yp in people],
        "type": "ENTRETIEN_INDIVIDUEL_CONSEILLER",
        "type_detail": "",
        "title": "Point sur la recherche d'emploi",
        "description": "Apporter son CV",
        "date": "2026-03-20",
        "start_time": "14:30",
        "duration_minutes": "",
        "end_time": "15:15",
        "modality": "at_structure",
        "address": "12 rue de la Paix, Paris",
        "video_link": "",
        "organisation": "",
        "counselor_present": "on",
        "comment": "Pensez à votre carte Vitale.",
    }
    data.update(overrides)
    return data


class TestCreate:
    def test_form_in_three_fieldsets_preselecting_the_young_person(
        self, counselor, counselor_client, young_person
    ):
        other = YoungPersonFactory(counselor=counselor)
        YoungPersonFactory(counselor=counselor, is_archived=True, user__last_name="Archivé")
        response = counselor_client.get(CREATE, {"beneficiaire": str(young_person.pk)})
        assert response.status_code == 200
        body = text(response)
        legends = re.findall(r'<legend class="fr-fieldset__legend" id="[^"]+">([^<]+)<', body)
        assert legends == ["Bénéficiaires", "Modalités pratiques", "Accès"]
        assert re.search(rf'value="{young_person.pk}"[^>]*checked', body)
        assert not re.search(rf'value="{other.pk}"[^>]*checked', body)
        assert "ARCHIVÉ" not in body
        assert counselor_client.get(CREATE, {"beneficiaire": "n-importe-quoi"}).status_code == 200

    def test_creates_for_several_young_people_in_local_time(
        self, counselor, counselor_client, young_person, django_capture_on_commit_callbacks
    ):
        other = YoungPersonFactory(counselor=counselor)
        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(CREATE, valid_post([young_person, other]))
        appointment = Appointment.objects.get()
        assert response.status_code == 302
        assert redirect_path(response) == url(appointment)
        # 14:30 in Paris on 20 March 2026 (winter time) is 13:30 UTC.
        assert appointment.starts_at == at(20, 13, 30)
        assert appointment.local_date == date(2026, 3, 20)
        assert appointment.duration_minutes == 45
        assert appointment.counselor == counselor
        assert appointment.counselor_present is True
        assert appointment.comment == "Pensez à votre carte Vitale."
        assert set(appointment.participations.values_list("young_person", flat=True)) == {
            young_person.pk,
            other.pk,
        }
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [young_person.user.email, other.user.email]
        )
        assert ics_of(mail.outbox[0])["METHOD"] == "REQUEST"
        page = plain(counselor_client.get(url(appointment)))
        assert "Le rendez-vous « Point sur la recherche d'emploi » a été créé." in page
        assert "vendredi 20 mars 2026, de 14:30 à 15:15 (45 min)" in page

    def test_a_duration_instead_of_an_end_time(self, counselor_client, young_person):
        post = valid_post([young_person], duration_minutes="90", end_time="")
        assert counselor_client.post(CREATE, post).status_code == 302
        assert Appointment.objects.get().duration_minutes == 90

    def test_across_the_summer_time_change(self, counselor_client, young_person):
        # Sunday 29 March 2026: clocks go from 02:00 to 03:00 in Paris. 01:30 → 03:30 is 1 hour.
        post = valid_post([young_person], date="2026-03-29", start_time="01:30", end_time="03:30")
        assert counselor_client.post(CREATE, post).status_code == 302
        appointment = Appointment.objects.get()
        assert appointment.starts_at == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
        assert appointment.duration_minutes == 60

    def test_autre_with_its_detail_and_visio_with_its_link(self, counselor_client, young_person):
        post = valid_post(
            [young_person],
            type="AUTRE",
            type_detail="Simulation d'entretien",
            modality="video",
            video_link="https://visio.exemple.fr/abc",
        )
        assert counselor_client.post(CREATE, post).status_code == 302
        appointment = Appointment.objects.get()
        assert appointment.type_detail == "Simulation d'entretien"
        assert appointment.video_link == "https://visio.exemple.fr/abc"
        assert "Simulation d'entretien" in plain(counselor_client.get(url(appointment)))

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"end_time": "14:00"}, "end_time", "L'heure de fin doit être après l'heure de début."),
            (
                {"end_time": "", "duration_minutes": ""},
                "duration_minutes",
                "Indiquez la durée ou l'heure de fin.",
            ),
            (
                {"end_time": "15:00", "duration_minutes": "45"},
                "end_time",
                "La durée et l'heure de fin ne concordent pas",
            ),
            (
                {"end_time": "", "duration_minutes": "800"},
                "duration_minutes",
                "La durée doit être comprise entre 1 minute et 12 heures.",
            ),
            (
                {"date": "2025-03-01"},
                "date",
                "Le rendez-vous doit commencer entre il y a un an et dans deux ans.",
            ),
            (
                {"date": "2028-03-20"},
                "date",
                "Le rendez-vous doit commencer entre il y a un an et dans deux ans.",
            ),
            ({"date": "0001-01-01"}, "date", "entre il y a un an et dans deux ans"),
            ({"date": "20/03/2026x"}, "date", "Saisissez une date valide"),
            ({"start_time": "25:00"}, "start_time", "Saisissez une heure valide"),
            ({"type": "RDV_INCONNU"}, "type", "Choisissez un type de rendez-vous dans la liste."),
            ({"type": "AUTRE"}, "type_detail", "Précisez le type de rendez-vous."),
            ({"title": "  "}, "title", "Le titre est obligatoire."),
            ({"modality": "pigeon"}, "modality", "Choisissez une modalité dans la liste."),
            ({"modality": "video"}, "video_link", "Indiquez le lien de la visio."),
            (
                {"modality": "video", "video_link": "pas un lien"},
                "video_link",
                "Saisissez une adresse web valide",
            ),
            ({"young_people": []}, "young_people", "Choisissez au moins un bénéficiaire."),
        ],
    )
    def test_bad_input_is_refused_and_kept(
        self, counselor_client, young_person, overrides, field, message
    ):
        response = counselor_client.post(CREATE, valid_post([young_person], **overrides))
        assert response.status_code == 400
        assert message in errors_of(response)
        assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', text(response)) or (
            field == "young_people"
        )
        assert not Appointment.objects.exists()
        assert re.search(r"<title>\s*Erreur — Créer un rendez-vous", text(response))
        # What was typed is still there.
        assert input_value(response, "title") == overrides.get(
            "title", "Point sur la recherche d'emploi"
        )
        assert "Apporter son CV" in text(response)

    @pytest.mark.parametrize("whose", ["colleague", "other_structure"])
    def test_a_young_person_outside_the_portfolio_is_refused(
        self, counselor_client, young_person, colleague, whose
    ):
        if whose == "colleague":
            outsider = YoungPersonFactory(counselor=colleague)
        else:
            outsider = YoungPersonFactory()
        response = counselor_client.post(CREATE, valid_post([young_person, outsider]))
        assert response.status_code == 400
        assert "Ce bénéficiaire ne fait pas partie de votre portefeuille." in errors_of(response)
        assert not Appointment.objects.exists()
        assert not mail.outbox

    def test_an_empty_portfolio_says_so(self, counselor_client):
        response = counselor_client.get(CREATE)
        assert "Votre portefeuille est vide" in plain(response)
        response = counselor_client.post(CREATE, valid_post([]))
        assert response.status_code == 400
        assert "Choisissez au moins un bénéficiaire." in errors_of(response)


# --- editing and cancelling ---------------------------------------------------------------------


def edit_post(appointment, people, **overrides) -> dict:
    data = valid_post(people, title=appointment.title, duration_minutes="60", end_time="")
    data.update(overrides)
    return data


class TestEdit:
    def test_form_shows_the_appointment_in_local_time(self, counselor_client, young_person):
        appointment = appointment_for(young_person, title="Bilan", starts_at=at(20, 15, 5))
        response = counselor_client.get(url(appointment, "modifier/"))
        assert response.status_code == 200
        assert input_value(response, "title") == "Bilan"
        assert input_value(response, "date") == "2026-03-20"
        assert input_value(response, "start_time") == "16:05"
        assert input_value(response, "duration_minutes") == "60"
        assert re.search(rf'value="{young_person.pk}"[^>]*checked', text(response))

    def test_edit_bumps_the_sequence_and_emails_the_participants(
        self, counselor, counselor_client, young_person, django_capture_on_commit_callbacks
    ):
        appointment = appointment_for(young_person, title="Bilan", starts_at=at(20, 13, 30))
        added = YoungPersonFactory(counselor=counselor)
        post = edit_post(appointment, [young_person, added], start_time="16:00", title="Bilan")
        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(url(appointment, "modifier/"), post)
        assert response.status_code == 302
        appointment.refresh_from_db()
        assert appointment.sequence == 1
        assert appointment.starts_at == at(20, 15)
        assert {m.to[0] for m in mail.outbox} == {young_person.user.email, added.user.email}
        for message in mail.outbox:
            calendar = ics_of(message)
            assert calendar["METHOD"] == "REQUEST"
            (event,) = calendar.walk("VEVENT")
            assert event["SEQUENCE"] == 1
            assert event.decoded("DTSTART") == at(20, 15)
        change = AppointmentChange.objects.get(event="updated")
        assert change.actor == counselor.user
        page = plain(counselor_client.get(url(appointment)))
        assert "Les modifications ont été enregistrées." in page
        assert "Modification — " in page
        assert "Début : 20/03/2026 14:30 → 20/03/2026 16:00" in page
        assert "Bénéficiaires ajoutés : — → 1" in page

    def test_bad_input_keeps_the_typed_values(self, counselor_client, young_person):
        appointment = appointment_for(young_person, title="Bilan")
        post = edit_post(appointment, [young_person], title="Nouveau titre", end_time="16:00")
        response = counselor_client.post(url(appointment, "modifier/"), post)
        assert response.status_code == 400
        assert "La durée et l'heure de fin ne concordent pas" in errors_of(response)
        assert input_value(response, "title") == "Nouveau titre"
        appointment.refresh_from_db()
        assert appointment.title == "Bilan" and appointment.sequence == 0

    def test_removing_every_young_person_is_refused(self, counselor_client, young_person):
        appointment = appointment_for(young_person)
        response = counselor_client.post(url(appointment, "modifier/"), edit_post(appointment, []))
        assert response.status_code == 400
        assert "Choisissez au moins un bénéficiaire." in errors_of(response)
        assert appointment.participations.count() == 1

    def test_a_cancelled_appointment_is_no_longer_editable(
        self, counselor, counselor_client, young_person
    ):
        appointment = appointment_for(young_person)
        services.cancel_appointment(counselor.user, appointment, "Absent")
        response = counselor_client.get(url(appointment, "modifier/"))
        assert redirect_path(response) == url(appointment)
        page = plain(counselor_client.get(url(appointment)))
        assert "Ce rendez-vous est annulé : il ne peut plus être modifié." in page
        assert "motif : Absent" in page

    def test_a_session_is_edited_with_the_session_form(self, counselor, counselor_client):
        session = session_of(counselor, title="Atelier CV", starts_at=at(20, 9))
        response = counselor_client.get(url(session, "modifier/"))
        assert "Modifier la session collective" in plain(response)
        assert input_value(response, "max_participants") == "10"
        post = session_post(title="Atelier CV", max_participants="12")
        assert counselor_client.post(url(session, "modifier/"), post).status_code == 302
        session.refresh_from_db()
        assert session.max_participants == 12


class TestCancel:
    def test_a_reason_is_required(self, counselor_client, young_person):
        appointment = appointment_for(young_person)
        assert counselor_client.get(url(appointment, "annuler/")).status_code == 200
        response = counselor_client.post(url(appointment, "annuler/"), {"reason": " "})
        assert response.status_code == 400
        assert "Indiquez le motif de l'annulation." in errors_of(response)
        appointment.refresh_from_db()
        assert appointment.canceled_at is None

    def test_cancel_emails_a_cancel(
        self, counselor, counselor_client, young_person, django_capture_on_commit_callbacks
    ):
        appointment = appointment_for(young_person, title="Bilan")
        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(
                url(appointment, "annuler/"), {"reason": "Conseiller malade"}
            )
        assert redirect_path(response) == url(appointment)
        appointment.refresh_from_db()
        assert appointment.canceled_at and appointment.cancel_reason == "Conseiller malade"
        assert appointment.canceled_by == counselor.user
        (message,) = mail.outbox
        assert message.to == [young_person.user.email]
        calendar = ics_of(message)
        assert calendar["METHOD"] == "CANCEL"
        assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
        page = plain(counselor_client.get(url(appointment)))
        assert "Annulation — " in page and "Conseiller malade" in page
        assert "Annulé" in page


# --- sessions -------------------------------------------------------------------------------------


def session_post(**overrides) -> dict:
    data = {
        "type": "ATELIER",
        "title": "Atelier CV",
        "description": "Venez avec votre CV",
        "date": "2026-03-20",
        "start_time": "09:30",
        "duration_minutes": "120",
        "end_time": "",
        "modality": "at_structure",
        "address": "Salle 2",
        "video_link": "",
        "max_participants": "2",
        "visible": "on",
        "self_registration": "on",
        "registration_deadline": "2026-03-19T18:00",
        "unregistration_deadline": "",
    }
    data.update(overrides)
    return data


class TestSessions:
    def test_create_a_session(self, counselor, counselor_client):
        assert counselor_client.get(CREATE_SESSION).status_code == 200
        response = counselor_client.post(CREATE_SESSION, session_post())
        session = Appointment.objects.get()
        assert redirect_path(response) == url(session)
        assert session.is_session and session.type == "ATELIER"
        assert session.max_participants == 2
        assert session.visible and session.self_registration
        assert session.starts_at == at(20, 8, 30)
        # Typed in Paris time: 18:00 on the 19th is 17:00 UTC.
        assert session.registration_deadline == at(19, 17)
        assert session.unregistration_deadline is None
        page = plain(counselor_client.get(url(session)))
        assert "0 inscrit sur 2 places — 2 places restantes" in page
        assert "19/03/2026 à 18:00" in page

    def test_a_hidden_session_without_self_registration(self, counselor_client):
        post = session_post(visible="", self_registration="", type="INFORMATION_COLLECTIVE")
        del post["visible"], post["self_registration"]
        assert counselor_client.post(CREATE_SESSION, post).status_code == 302
        session = Appointment.objects.get()
        assert not session.visible and not session.self_registration
        assert session.type == "INFORMATION_COLLECTIVE"

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            (
                {"type": "ENTRETIEN_INDIVIDUEL_CONSEILLER"},
                "Une session collective est un atelier ou une information collective.",
            ),
            ({"max_participants": "0"}, "Indiquez un nombre de places entre 1 et 500."),
            ({"max_participants": ""}, "Indiquez un nombre de places entre 1 et 500."),
            (
                {"registration_deadline": "2026-03-21T10:00"},
                "Une date limite doit précéder le début de la session.",
            ),
            ({"end_time": "09:00", "duration_minutes": ""}, "L'heure de fin doit être après"),
        ],
    )
    def test_bad_session_input(self, counselor_client, overrides, message):
        response = counselor_client.post(CREATE_SESSION, session_post(**overrides))
        assert response.status_code == 400
        assert message in errors_of(response)
        assert input_value(response, "title") == "Atelier CV"
        assert not Appointment.objects.exists()

    def test_register_a_young_person_of_the_structure_until_full(
        self,
        counselor,
        colleague,
        counselor_client,
        young_person,
        django_capture_on_commit_callbacks,
    ):
        session = session_of(counselor, max_participants=2, title="Atelier CV")
        theirs = YoungPersonFactory(counselor=colleague, user__last_name="Zola")
        third = YoungPersonFactory(counselor=colleague)
        outsider = YoungPersonFactory()
        page = text(counselor_client.get(url(session)))
        assert "Inscrire un bénéficiaire" in page
        assert str(theirs.pk) in page and str(outsider.pk) not in page

        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(url(session, "inscrire/"), {"young_person": theirs.pk})
        assert redirect_path(response) == url(session)
        assert session.participations.get().young_person == theirs
        assert [m.to for m in mail.outbox] == [[theirs.user.email]]
        page = plain(counselor_client.get(url(session)))
        assert f"{theirs.user.get_full_name()} est inscrit(e) à la session." in page
        assert "ZOLA" in page and "1 place restante" in page

        # Another structure's young person is not on the list.
        response = counselor_client.post(url(session, "inscrire/"), {"young_person": outsider.pk})
        assert response.status_code == 400
        assert "Ce bénéficiaire ne peut pas être inscrit à cette session." in errors_of(response)

        assert (
            counselor_client.post(
                url(session, "inscrire/"), {"young_person": young_person.pk}
            ).status_code
            == 302
        )
        assert "La session est complète" in plain(counselor_client.get(url(session)))
        response = counselor_client.post(url(session, "inscrire/"), {"young_person": third.pk})
        assert response.status_code == 400
        assert "Cette session est complète." in errors_of(response)
        assert session.participations.count() == 2

    def test_registering_into_an_individual_appointment_is_refused(
        self, counselor, counselor_client, young_person
    ):
        appointment = appointment_for(young_person)
        other = YoungPersonFactory(counselor=counselor)
        response = counselor_client.post(url(appointment, "inscrire/"), {"young_person": other.pk})
        assert redirect_path(response) == url(appointment)
        assert "On ne s'inscrit qu'à une session collective." in plain(
            counselor_client.get(url(appointment))
        )
        assert appointment.participations.count() == 1

    def test_unregister_with_a_reason(self, counselor, counselor_client, young_person):
        session = session_of(counselor)
        ParticipationFactory(appointment=session, young_person=young_person)
        page = text(counselor_client.get(url(session)))
        link = f"{url(session, 'desinscrire/')}?beneficiaire={young_person.pk}"
        assert link in page
        response = counselor_client.get(link)
        assert response.status_code == 200
        assert re.search(rf'<option value="{young_person.pk}" selected', text(response))

        response = counselor_client.post(
            url(session, "desinscrire/"), {"young_person": young_person.pk}
        )
        assert response.status_code == 400
        assert "Indiquez le motif de la désinscription." in errors_of(response)

        response = counselor_client.post(
            url(session, "desinscrire/"),
            {"young_person": young_person.pk, "reason": "A trouvé un emploi"},
        )
        assert redirect_path(response) == url(session)
        participation = Participation.objects.get()
        assert participation.attendance == "unregistered"
        assert participation.unregistration_reason == "A trouvé un emploi"
        page = plain(counselor_client.get(url(session)))
        assert "Désinscrits" in page and "motif : A trouvé un emploi" in page
        assert "10 places restantes" in page


# --- closing ------------------------------------------------------------------------------------


class TestClose:
    def test_closing_before_the_start_is_refused(self, counselor_client, young_person):
        appointment = appointment_for(young_person, starts_at=at(11, 10))
        response = counselor_client.get(url(appointment, "clore/"))
        assert response.status_code == 200
        assert "Un rendez-vous se clôt après son début" in plain(response)
        assert 'name="presence_' not in text(response)
        response = counselor_client.post(
            url(appointment, "clore/"), {f"presence_{young_person.pk}": "present"}
        )
        assert response.status_code == 400
        assert "Un rendez-vous se clôt après son début." in errors_of(response)
        appointment.refresh_from_db()
        assert appointment.closed_at is None
        assert 'href="/conseiller/agenda/' + str(appointment.pk) + '/clore/"' not in text(
            counselor_client.get(url(appointment))
        )

    def test_closing_after_the_start_marks_each_participant(
        self, counselor, counselor_client, young_person
    ):
        session = session_of(counselor, starts_at=at(11, 8), title="Atelier CV")
        absent, excused = YoungPersonFactory.create_batch(2, counselor=counselor)
        for yp in (young_person, absent, excused):
            ParticipationFactory(appointment=session, young_person=yp)
        gone = ParticipationFactory(appointment=session, attendance="unregistered")
        response = counselor_client.get(url(session, "clore/"))
        assert response.status_code == 200
        body = text(response)
        assert body.count('type="radio"') == 9  # three participants, three choices each
        assert str(gone.young_person_id) not in body

        # Everyone must be marked.
        post = {f"presence_{young_person.pk}": "present", f"presence_{absent.pk}": "absent"}
        response = counselor_client.post(url(session, "clore/"), post)
        assert response.status_code == 400
        assert f"Indiquez la présence de {excused.user.last_name.upper()}" in errors_of(response)

        post[f"presence_{excused.pk}"] = "excused"
        response = counselor_client.post(url(session, "clore/"), post)
        assert redirect_path(response) == url(session)
        session.refresh_from_db()
        assert session.closed_at and session.closed_by == counselor.user
        attendance = dict(session.participations.values_list("young_person_id", "attendance"))
        assert attendance == {
            young_person.pk: "present",
            absent.pk: "absent",
            excused.pk: "excused",
            gone.young_person_id: "unregistered",
        }
        page = plain(counselor_client.get(url(session)))
        assert "« Atelier CV » est clos : 1 présent sur 3 participants." in page
        assert "Clôture — " in page and "Clos" in page
        # Closed: no more closing, editing or registering.
        assert counselor_client.get(url(session, "clore/")).status_code == 302
        assert "Inscrire un bénéficiaire" not in page

    def test_an_invalid_state_is_refused(self, counselor_client, young_person):
        appointment = appointment_for(young_person, starts_at=at(11, 8))
        response = counselor_client.post(
            url(appointment, "clore/"), {f"presence_{young_person.pk}": "endormi"}
        )
        assert response.status_code == 400
        assert "Choisissez présent, absent ou excusé." in errors_of(response)


# --- the attendance sheet -----------------------------------------------------------------------


class TestSheet:
    @pytest.fixture
    def session(self, counselor):
        session = session_of(counselor, title="Atelier CV", starts_at=at(20, 8, 30))
        ParticipationFactory(
            appointment=session,
            young_person__user__last_name="Camara",
            young_person__user__first_name="Lina",
        )
        ParticipationFactory(
            appointment=session,
            young_person__user__last_name="=HYPERLINK(1)",
            young_person__user__first_name="Éloïse",
            young_person__scheme="PACEA",
        )
        ParticipationFactory(appointment=session, attendance="unregistered")
        return session

    def test_printable_page(self, counselor_client, session):
        response = counselor_client.get(url(session, "emargement/"))
        assert response.status_code == 200
        page = plain(response)
        assert "Feuille d'émargement" in page
        assert "vendredi 20 mars 2026, de 09:30 à 10:30" in page
        assert "CAMARA Lina Contrat d'Engagement Jeune" in page
        assert "Signature" in page and "2 participants" in page
        body = text(response)
        assert "agenda/counselor.css" in body and "agenda/print.js" in body

    def test_csv(self, counselor_client, session):
        response = counselor_client.get(url(session, "emargement.csv"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="emargement-2026-03-20.csv"'
        assert response.content.startswith(b"\xef\xbb\xbf")
        lines = response.content.decode("utf-8-sig").split("\r\n")
        assert lines == [
            "Nom;Prénom;Dispositif;Présence;Signature",
            "'=HYPERLINK(1);Éloïse;PACEA;;",
            "Camara;Lina;Contrat d'Engagement Jeune;;",
            "",
        ]

    def test_csv_after_closing_shows_attendance(self, counselor, counselor_client, session):
        Appointment.objects.filter(pk=session.pk).update(starts_at=at(10, 8))
        session.refresh_from_db()
        states = {
            p.young_person_id: "present" if p.young_person.user.last_name == "Camara" else "absent"
            for p in session.participations.exclude(attendance="unregistered")
        }
        registrations.close_appointment(counselor.user, session, states)
        lines = counselor_client.get(url(session, "emargement.csv")).content.decode("utf-8-sig")
        assert "Camara;Lina;Contrat d'Engagement Jeune;Présent;" in lines
        assert ";Absent;" in lines


# --- Pilotage → Rendez-vous à clore ------------------------------------------------------------


class TestToClose:
    def test_lists_only_past_unclosed_of_the_counselor(
        self, counselor, colleague, counselor_client, young_person
    ):
        appointment_for(young_person, title="Passé à clore", starts_at=at(10, 8))
        session_of(counselor, title="Session passée", starts_at=at(2, 8))
        appointment_for(young_person, title="À venir", starts_at=at(12, 8))
        closed = appointment_for(young_person, title="Déjà clos", starts_at=at(9, 8))
        registrations.close_appointment(counselor.user, closed, {young_person.pk: "present"})
        canceled = appointment_for(young_person, title="Annulé", starts_at=at(9, 10))
        services.cancel_appointment(counselor.user, canceled, "Absent")
        session_of(colleague, title="Session du collègue", starts_at=at(9, 8))

        response = counselor_client.get(TO_CLOSE)
        assert response.status_code == 200
        page = plain(response)
        assert "2 rendez-vous et sessions passés à clore" in page
        assert page.index("Session passée") < page.index("Passé à clore")
        for absent in ("À venir", "Déjà clos", "Annulé", "Session du collègue"):
            assert absent not in page
        past = Appointment.objects.get(title="Passé à clore")
        assert f'href="/conseiller/agenda/{past.pk}/clore/"' in text(response)
        assert "Rendez-vous à clore" in page  # the side menu

    def test_a_supervisor_sees_the_structure(self, supervisor, colleague):
        session_of(colleague, title="Session du collègue", starts_at=at(9, 8))
        page = plain(client_for(supervisor.user).get(TO_CLOSE))
        assert "Session du collègue" in page and "Organisé par" in page

    def test_empty(self, counselor_client):
        assert "Aucun rendez-vous n'attend d'être clos." in plain(counselor_client.get(TO_CLOSE))

    def test_constant_query_count(self, counselor, counselor_client, young_person):
        def add(n):
            for i in range(n):
                appointment = appointment_for(young_person, starts_at=at(1 + i, 8))
                ParticipationFactory(appointment=appointment)
                session = session_of(counselor, starts_at=at(1 + i, 10))
                ParticipationFactory.create_batch(2, appointment=session)

        add(1)
        few = count_queries(counselor_client, TO_CLOSE)
        add(9)
        assert count_queries(counselor_client, TO_CLOSE) == few


# --- the appointment's page and access ----------------------------------------------------------


class TestDetail:
    def test_everything_in_local_time(self, counselor, counselor_client, young_person):
        appointment = appointment_for(
            young_person,
            title="Bilan",
            starts_at=at(20, 13, 30),
            duration_minutes=90,
            modality="video",
            video_link="https://visio.exemple.fr/x",
            organisation="Mission Locale",
            comment="Soyez à l'heure",
        )
        page = plain(counselor_client.get(url(appointment)))
        assert "vendredi 20 mars 2026, de 14:30 à 16:00 (1 h 30)" in page
        assert "Par visio" in page and "https://visio.exemple.fr/x" in page
        assert "Mission Locale" in page and "Soyez à l'heure" in page
        assert young_person.user.last_name.upper() in page and "Attendu" in page
        assert counselor.user.get_full_name() in page
        assert "Modifier" in page and "Annuler le rendez-vous" in page
        assert "Clore" not in page.split("Type")[0]  # not before it starts

    def test_a_colleague_sees_a_session_but_not_anothers_appointment(
        self, counselor, colleague, young_person
    ):
        session = session_of(counselor)
        appointment = appointment_for(young_person)
        client = client_for(colleague.user)
        assert client.get(url(session)).status_code == 200
        assert client.get(url(appointment)).status_code == 404
        # A colleague's young person at the counselor's appointment: visible, not editable.
        theirs = YoungPersonFactory(counselor=colleague)
        ParticipationFactory(appointment=appointment, young_person=theirs)
        page = plain(client.get(url(appointment)))
        assert "Annuler le rendez-vous" not in page
        response = client.get(url(appointment, "modifier/"))
        assert redirect_path(response) == url(appointment)
        assert "Vous ne pouvez pas modifier ce rendez-vous." in plain(client.get(url(appointment)))


OBJECT_PAGES = [
    ("get", ""),
    ("get", "modifier/"),
    ("post", "modifier/"),
    ("get", "annuler/"),
    ("post", "annuler/"),
    ("post", "inscrire/"),
    ("get", "desinscrire/"),
    ("post", "desinscrire/"),
    ("get", "clore/"),
    ("post", "clore/"),
    ("get", "emargement/"),
    ("get", "emargement.csv"),
]


@pytest.mark.parametrize(("method", "action"), OBJECT_PAGES)
def test_another_structure_gets_404_on_every_object_url(
    method, action, counselor, young_person, other_client
):
    for target in (appointment_for(young_person), session_of(counselor)):
        ParticipationFactory(appointment=target)
        response = getattr(other_client, method)(url(target, action), {"reason": "x"})
        assert response.status_code == 404, f"{method} {action}"
        missing = getattr(other_client, method)(
            f"/conseiller/agenda/{uuid.uuid4()}/{action}", {"reason": "x"}
        )
        assert missing.status_code == 404
    assert not AppointmentChange.objects.exclude(event="created").exists()


@pytest.mark.parametrize(
    "path", [WEEK, CREATE, CREATE_SESSION, TO_CLOSE, "/conseiller/agenda/?vue=structure"]
)
def test_young_people_are_refused(young_client, path):
    assert young_client.get(path).status_code == 403


def test_the_side_menu_leads_to_the_agenda(counselor_client):
    body = text(counselor_client.get(WEEK))
    assert re.search(r'href="/conseiller/agenda/"\s+aria-current="page">Agenda<', body)
    assert 'href="/conseiller/pilotage/a-clore/"' in body
