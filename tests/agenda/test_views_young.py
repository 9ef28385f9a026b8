"""The young person's agenda pages: an appointment or session (register, unregister, .ics),
Événements, Mon suivi's appointments, Accueil's next appointment, the subscription page."""

import re
import uuid
import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from passemploi.actions.counter import Week, local_today
from passemploi.actions.timeline import day_label
from passemploi.agenda.models import Appointment, CalendarFeed, Participation
from tests.conftest import client_for
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    StructureFactory,
    YoungPersonFactory,
)
from tests.helpers import redirect_path, text

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
EVENTS = "/app/evenements/"
TRACKING = "/app/suivi/"
SYNC = "/app/agenda/synchronisation/"


def url(appointment, suffix="") -> str:
    return f"/app/agenda/{appointment.pk}/{suffix}"


def plain_of(html: str) -> str:
    """Text without tags and with collapsed spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def plain(response) -> str:
    return plain_of(text(response)).strip()


def card_of(html: str, appointment) -> str:
    """The text of one item (session-, inscription-, rdv-<pk>) up to the next item."""
    rest = re.split(rf'id="(?:session|inscription|rdv)-{appointment.pk}"', html, maxsplit=1)[1]
    rest = re.split(r'<li id="|class="pe-day"|</section>', rest, maxsplit=1)[0]
    return plain_of(rest)


def paris(day, hour: int, minute: int = 0) -> datetime:
    """`day` at hour:minute, Paris time."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def normalized(response) -> str:
    """The body without the per-request CSP nonce and CSRF token."""
    body = re.sub(r'nonce="[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def appointment_for(young_person, **fields) -> Appointment:
    """An individual appointment of the young person with their counselor."""
    appointment = AppointmentFactory(counselor=young_person.counselor, **fields)
    ParticipationFactory(appointment=appointment, young_person=young_person)
    return appointment


def session_of(counselor, **fields) -> Appointment:
    return AppointmentFactory(session=True, counselor=counselor, **fields)


def fill(session, count: int) -> None:
    """`count` other young people of the structure take seats."""
    for _ in range(count):
        ParticipationFactory(
            appointment=session,
            young_person=YoungPersonFactory(counselor=session.counselor),
        )


def in_days(days: float, hour: int | None = None) -> datetime:
    moment = timezone.now() + timedelta(days=days)
    if hour is not None:
        moment = moment.astimezone(PARIS).replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment


# --- the appointment page -------------------------------------------------------------------------


class TestAppointmentPage:
    def test_shows_everything_in_local_time(self, young_client, young_person):
        appointment = appointment_for(
            young_person,
            title="Point sur votre projet",
            starts_at=datetime(2027, 3, 30, 8, 0, tzinfo=UTC),  # 10:00 in Paris (summer)
            duration_minutes=90,
            address="12 rue de la Paix, 75002 Paris",
            modality="at_structure",
            organisation="Mission Locale",
            counselor_present=False,
            description="Apportez votre CV.",
            comment="Pensez à votre carte Vitale.",
        )
        response = young_client.get(url(appointment))
        assert response.status_code == 200
        page = plain(response)
        body = text(response)
        assert "<h1>Point sur votre projet</h1>" in body
        assert "Entretien individuel" in page
        assert "Mardi 30 mars 2027" in page
        assert "De 10 h 00 à 11 h 30" in page
        assert "1 h 30" in page
        assert "En présentiel à la structure" in page
        assert "12 rue de la Paix, 75002 Paris" in page
        assert (
            'href="https://www.openstreetmap.org/search?query=12+rue+de+la+Paix%2C+75002+Paris"'
            in body
        )
        assert "ne sera pas présent" in page
        assert young_person.counselor.user.get_full_name() in page
        assert "Apportez votre CV." in page
        assert "Commentaire de votre conseiller Pensez à votre carte Vitale." in page
        assert f'href="{url(appointment)}rendez-vous.ics"' in body
        assert "Ajouter à mon agenda" in page
        assert "Vous ne pouvez pas venir ?" in page
        assert "Prévenez votre conseiller" in page
        assert 'href="/app/messages/"' in body
        assert "Annulé" not in page
        assert "INVALID_TEMPLATE_VARIABLE" not in body

    def test_video_and_counselor_present(self, young_client, young_person):
        appointment = appointment_for(
            young_person, modality="video", video_link="https://visio.exemple.fr/salle-42"
        )
        page = text(young_client.get(url(appointment)))
        assert 'href="https://visio.exemple.fr/salle-42"' in page
        assert "Rejoindre la visio" in page
        assert "Par visio" in page
        assert "sera présent." in page and "ne sera pas présent" not in page
        assert "openstreetmap" not in page

    def test_a_video_link_is_never_a_script(self, young_client, young_person):
        appointment = appointment_for(
            young_person, modality="video", video_link="javascript:alert(1)"
        )
        page = text(young_client.get(url(appointment)))
        assert 'href="javascript' not in page
        assert "Rejoindre la visio" not in page

    def test_overseas_local_time(self):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        appointment = appointment_for(
            young_person, starts_at=datetime(2027, 1, 4, 6, 0, tzinfo=UTC), duration_minutes=45
        )
        page = plain(client_for(young_person.user).get(url(appointment)))
        assert "Lundi 4 janvier 2027" in page
        assert "De 10 h 00 à 10 h 45" in page  # La Réunion: UTC+4
        assert "45 min" in page

    def test_cancelled_with_its_reason(self, young_client, young_person):
        appointment = appointment_for(
            young_person, canceled_at=timezone.now(), cancel_reason="Conseiller en formation"
        )
        page = plain(young_client.get(url(appointment)))
        assert "Annulé" in page
        assert "Ce rendez-vous est annulé. Motif : Conseiller en formation" in page
        assert "Ajouter à mon agenda" not in page
        assert "Vous ne pouvez pas venir ?" not in page

    def test_past_appointment_has_no_advice(self, young_client, young_person):
        appointment = appointment_for(young_person, starts_at=in_days(-2))
        page = plain(young_client.get(url(appointment)))
        assert "Vous ne pouvez pas venir ?" not in page

    def test_attendance_once_closed(self, young_client, young_person):
        appointment = AppointmentFactory(
            counselor=young_person.counselor, starts_at=in_days(-2), closed_at=timezone.now()
        )
        ParticipationFactory(
            appointment=appointment, young_person=young_person, attendance="present"
        )
        assert "Présent" in plain(young_client.get(url(appointment)))

    def test_someone_elses_appointment_is_the_404_of_a_missing_one(self, young_person):
        other = YoungPersonFactory(counselor=young_person.counselor)
        appointment = appointment_for(other)
        client = client_for(young_person.user)
        for suffix in ("", "rendez-vous.ics"):
            forbidden = client.get(url(appointment, suffix))
            missing = client.get(f"/app/agenda/{uuid.uuid4()}/{suffix}")
            assert forbidden.status_code == missing.status_code == 404
            assert normalized(forbidden) == normalized(missing)

    def test_counselor_is_refused(self, counselor_client, young_person):
        appointment = appointment_for(young_person)
        assert counselor_client.get(url(appointment)).status_code == 403
        assert counselor_client.get(url(appointment, "rendez-vous.ics")).status_code == 403

    def test_anonymous_goes_to_login(self, client, young_person):
        appointment = appointment_for(young_person)
        response = client.get(url(appointment))
        assert response.status_code == 302
        assert response["Location"] == f"/connexion/?next={url(appointment)}"


# --- sessions: visibility, registration -------------------------------------------------------


class TestSessionPage:
    def test_visible_session_of_the_structure(self, young_client, young_person):
        session = session_of(
            young_person.counselor,
            title="Atelier CV",
            max_participants=5,
            registration_deadline=in_days(1),
        )
        fill(session, 2)
        page = plain(young_client.get(url(session)))
        assert "Session collective" in page
        assert "3 places restantes sur 5" in page
        assert "Inscriptions jusqu'au" in page
        assert "Vous n'êtes pas inscrit." in page
        assert "M'inscrire" in page
        assert "Ajouter à mon agenda" not in page  # not registered yet
        assert "Retour aux événements" in page

    def test_a_colleagues_session_is_visible_too(self, young_client, young_person):
        colleague = CounselorFactory(structure=young_person.structure)
        assert young_client.get(url(session_of(colleague))).status_code == 200

    def test_hidden_session_is_404_unless_participant(self, young_client, young_person):
        hidden = session_of(young_person.counselor, visible=False)
        assert young_client.get(url(hidden)).status_code == 404
        assert young_client.post(url(hidden, "inscription/")).status_code == 404
        ParticipationFactory(appointment=hidden, young_person=young_person)
        response = young_client.get(url(hidden))
        assert response.status_code == 200
        assert "Vous êtes inscrit." in plain(response)

    def test_other_structures_session_is_404_like_a_missing_one(self, young_client):
        elsewhere = session_of(CounselorFactory(structure=StructureFactory()))
        for method, suffix in (("get", ""), ("post", "inscription/"), ("post", "desinscription/")):
            forbidden = getattr(young_client, method)(url(elsewhere, suffix), {"reason": "x"})
            missing = getattr(young_client, method)(
                f"/app/agenda/{uuid.uuid4()}/{suffix}", {"reason": "x"}
            )
            assert forbidden.status_code == missing.status_code == 404
            assert normalized(forbidden) == normalized(missing)
        assert not Participation.objects.filter(appointment=elsewhere).exists()


class TestRegister:
    def test_happy_path(self, young_client, young_person, django_capture_on_commit_callbacks):
        session = session_of(young_person.counselor, title="Atelier CV", max_participants=3)
        with django_capture_on_commit_callbacks(execute=True):
            response = young_client.post(url(session, "inscription/"))
        assert response.status_code == 302
        assert redirect_path(response) == url(session)
        participation = Participation.objects.get(appointment=session, young_person=young_person)
        assert participation.attendance == "expected"
        response = young_client.get(url(session))
        assert messages_of(response) == ["Vous êtes inscrit à « Atelier CV »."]
        page = plain(response)
        assert "Vous êtes inscrit." in page
        assert "Inscrit" in page
        assert "2 places restantes sur 3" in page
        assert "M'inscrire" not in page
        assert "Se désinscrire" in page
        assert "Ajouter à mon agenda" in page

    def test_registering_twice_keeps_one_seat(self, young_client, young_person):
        session = session_of(young_person.counselor)
        young_client.post(url(session, "inscription/"))
        young_client.post(url(session, "inscription/"))
        assert Participation.objects.filter(appointment=session).count() == 1

    def test_refused_when_full(self, young_client, young_person):
        session = session_of(young_person.counselor, max_participants=2)
        fill(session, 2)
        page = plain(young_client.get(url(session)))
        assert "Complet" in page
        assert "M'inscrire" not in page
        assert "Cette session est complète." in page
        response = young_client.post(url(session, "inscription/"), follow=True)
        assert messages_of(response) == ["Cette session est complète."]
        assert not Participation.objects.filter(young_person=young_person).exists()

    def test_refused_after_the_deadline(self, young_client, young_person):
        session = session_of(young_person.counselor, registration_deadline=in_days(-0.1))
        page = plain(young_client.get(url(session)))
        assert "M'inscrire" not in page
        assert "Les inscriptions à cette session sont closes." in page
        response = young_client.post(url(session, "inscription/"), follow=True)
        assert messages_of(response) == ["Les inscriptions à cette session sont closes."]
        assert not Participation.objects.filter(young_person=young_person).exists()

    def test_refused_without_self_registration(self, young_client, young_person):
        session = session_of(young_person.counselor, self_registration=False)
        assert "adressez-vous à votre conseiller" in plain(young_client.get(url(session)))
        response = young_client.post(url(session, "inscription/"), follow=True)
        assert messages_of(response) == [
            "Cette session n'est pas ouverte aux inscriptions en ligne."
        ]
        assert not Participation.objects.filter(young_person=young_person).exists()

    def test_refused_on_a_cancelled_session(self, young_client, young_person):
        session = session_of(young_person.counselor, canceled_at=timezone.now())
        response = young_client.post(url(session, "inscription/"), follow=True)
        assert messages_of(response) == ["Ce rendez-vous est annulé."]
        assert not Participation.objects.filter(young_person=young_person).exists()

    def test_an_individual_appointment_is_not_registered_to(self, young_client, young_person):
        appointment = appointment_for(young_person)
        response = young_client.post(url(appointment, "inscription/"), follow=True)
        assert messages_of(response) == ["On ne s'inscrit qu'à une session collective."]

    def test_only_post(self, young_client, young_person):
        session = session_of(young_person.counselor)
        assert young_client.get(url(session, "inscription/")).status_code == 405
        assert young_client.get(url(session, "desinscription/")).status_code == 405


class TestUnregister:
    @pytest.fixture
    def session(self, young_person):
        session = session_of(
            young_person.counselor, title="Information collective", type="INFORMATION_COLLECTIVE"
        )
        ParticipationFactory(appointment=session, young_person=young_person)
        return session

    def participation(self, session, young_person) -> Participation:
        return Participation.objects.get(appointment=session, young_person=young_person)

    def test_happy_path(self, young_client, young_person, session):
        response = young_client.post(
            url(session, "desinscription/"), {"reason": "  J'ai trouvé un stage  "}
        )
        assert response.status_code == 302
        assert redirect_path(response) == url(session)
        participation = self.participation(session, young_person)
        assert participation.attendance == "unregistered"
        assert participation.unregistration_reason == "J'ai trouvé un stage"
        response = young_client.get(url(session))
        assert messages_of(response) == [
            "Votre désinscription de « Information collective » est enregistrée."
        ]
        page = plain(response)
        assert "Vous vous êtes désinscrit le" in page
        assert "M'inscrire" in page  # and may come back

    def test_and_register_again(self, young_client, young_person, session):
        young_client.post(url(session, "desinscription/"), {"reason": "Malade"})
        young_client.post(url(session, "inscription/"))
        assert self.participation(session, young_person).attendance == "expected"

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_refused_without_a_reason(self, young_client, young_person, session, reason):
        response = young_client.post(url(session, "desinscription/"), {"reason": reason})
        assert response.status_code == 400
        page = plain(response)
        assert "Indiquez pourquoi vous vous désinscrivez." in page
        assert text(response).count("<title>") == 1
        assert re.search(r"<title>\s*Erreur — ", text(response))
        assert self.participation(session, young_person).attendance == "expected"

    def test_refused_with_an_overlong_reason_keeping_it(self, young_client, young_person, session):
        reason = "a" * 300
        response = young_client.post(url(session, "desinscription/"), {"reason": reason})
        assert response.status_code == 400
        assert "Le motif ne doit pas dépasser 255 caractères." in plain(response)
        assert reason in text(response)
        assert self.participation(session, young_person).attendance == "expected"

    def test_refused_after_the_deadline_keeping_the_reason(self, young_client, young_person):
        session = session_of(young_person.counselor, unregistration_deadline=in_days(-0.1))
        ParticipationFactory(appointment=session, young_person=young_person)
        page = plain(young_client.get(url(session)))
        assert "Il est trop tard pour vous désinscrire : prévenez votre conseiller." in page
        assert "Me désinscrire" not in page
        response = young_client.post(
            url(session, "desinscription/"), {"reason": "Entretien d'embauche"}
        )
        assert response.status_code == 409
        page = plain(response)
        assert "Il est trop tard pour vous désinscrire : prévenez votre conseiller." in page
        assert "Entretien d'embauche" in page  # the reason typed is still there
        assert self.participation(session, young_person).attendance == "expected"

    def test_not_registered(self, young_client, young_person):
        session = session_of(young_person.counselor)
        response = young_client.post(url(session, "desinscription/"), {"reason": "Malade"})
        assert response.status_code == 409
        assert "Vous n'êtes pas inscrit à cette session." in plain(response)


# --- the .ics file -------------------------------------------------------------------------------


def parse(response):
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


class TestIcsDownload:
    def test_download(self, young_client, young_person):
        appointment = appointment_for(
            young_person,
            title="Point projet",
            address="1 rue Haute",
            starts_at=in_days(3).replace(microsecond=0),
        )
        response = young_client.get(url(appointment, "rendez-vous.ics"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="rendez-vous.ics"'
        calendar, events = parse(response)
        assert calendar["METHOD"] == "REQUEST"
        (event,) = events
        assert str(event["SUMMARY"]) == "Point projet"
        assert str(event["LOCATION"]) == "1 rue Haute"
        assert str(event["URL"]).endswith(url(appointment))
        assert event.decoded("DTSTART") == appointment.starts_at
        assert event.decoded("DTEND") == appointment.ends_at

    @pytest.mark.parametrize(
        ("day", "utc_hour"),
        [(27, 9), (30, 8)],  # Paris goes to summer time on Sunday 29 March 2026
    )
    def test_utc_across_the_summer_time_change(self, young_client, young_person, day, utc_hour):
        starts_at = datetime(2026, 3, day, 10, 0, tzinfo=PARIS)
        appointment = appointment_for(young_person, starts_at=starts_at)
        _, (event,) = parse(young_client.get(url(appointment, "rendez-vous.ics")))
        start = event.decoded("DTSTART")
        assert start == starts_at
        assert start.utcoffset() == timedelta(0)
        assert (start.hour, start.minute) == (utc_hour, 0)
        assert event["DTSTART"].to_ical() == f"202603{day:02d}T{utc_hour:02d}0000Z".encode()
        # and the page says 10:00, local time
        assert "De 10 h 00 à 11 h 00" in plain(young_client.get(url(appointment)))

    def test_cancelled_appointment_is_a_cancel(self, young_client, young_person):
        appointment = appointment_for(young_person, canceled_at=timezone.now())
        calendar, (event,) = parse(young_client.get(url(appointment, "rendez-vous.ics")))
        assert calendar["METHOD"] == "CANCEL"
        assert event["STATUS"] == "CANCELLED"


# --- Événements -----------------------------------------------------------------------------------


def section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


class TestEvents:
    def test_lists_the_structures_upcoming_visible_sessions(self, young_client, young_person):
        counselor = young_person.counselor
        soon = session_of(
            counselor, title="Atelier CV", starts_at=in_days(2), registration_deadline=in_days(1)
        )
        later = session_of(
            counselor,
            title="Info collective Garantie jeunes",
            type="INFORMATION_COLLECTIVE",
            starts_at=in_days(9),
            max_participants=4,
        )
        fill(later, 1)
        full = session_of(counselor, title="Atelier complet", max_participants=1)
        fill(full, 1)
        session_of(counselor, title="Session cachée", visible=False)
        session_of(counselor, title="Session passée", starts_at=in_days(-1))
        session_of(counselor, title="Session annulée", canceled_at=timezone.now())
        session_of(CounselorFactory(structure=StructureFactory()), title="Ailleurs")
        appointment_for(young_person, title="Entretien individuel à part")
        response = young_client.get(EVENTS)
        assert response.status_code == 200
        body = text(response)
        offered = section(body, "sessions-a-venir")
        for session in (soon, later, full):
            assert f'href="{url(session)}"' in offered
        for title in ("Session cachée", "Session passée", "Session annulée", "Ailleurs"):
            assert title not in body
        assert "Entretien individuel à part" not in body
        assert offered.index("Atelier CV") < offered.index("Info collective Garantie jeunes")
        later_card = card_of(offered, later)
        assert "3 places restantes" in later_card
        assert "Information collective" in later_card
        assert "Inscriptions jusqu'au début de la session" in later_card
        full_card = card_of(offered, full)
        assert "Complet" in full_card
        soon_card = card_of(offered, soon)
        assert "10 places restantes" in soon_card
        assert "Inscriptions jusqu'au" in soon_card
        assert "Inscrit" not in plain_of(offered)
        assert "Vous n'êtes inscrit à aucune session à venir." in plain_of(body)

    def test_registrations_with_badge(self, young_client, young_person):
        counselor = young_person.counselor
        registered = session_of(counselor, title="Atelier CV")
        ParticipationFactory(appointment=registered, young_person=young_person)
        hidden = session_of(counselor, title="Atelier sur invitation", visible=False)
        ParticipationFactory(appointment=hidden, young_person=young_person)
        left = session_of(counselor, title="Atelier quitté")
        ParticipationFactory(appointment=left, young_person=young_person, attendance="unregistered")
        cancelled = session_of(counselor, title="Atelier annulé", canceled_at=timezone.now())
        ParticipationFactory(appointment=cancelled, young_person=young_person)
        body = text(young_client.get(EVENTS))
        mine = plain_of(section(body, "mes-inscriptions"))
        assert "Atelier CV" in mine and "Atelier sur invitation" in mine
        assert "Atelier annulé" in mine and "Annulé" in mine
        assert "Atelier quitté" not in mine
        offered = section(body, "sessions-a-venir")
        assert "Atelier sur invitation" not in offered
        assert "Atelier annulé" not in offered
        card = card_of(offered, registered)
        assert "Inscrit" in card
        left_card = card_of(offered, left)
        assert "Inscrit" not in left_card

    def test_empty(self, young_client):
        page = plain(young_client.get(EVENTS))
        assert "Aucune session n'est prévue pour l'instant." in page

    def test_marks_the_tab(self, young_client):
        body = young_client.get(EVENTS).content.decode()
        current = body.split('aria-current="page"', 1)[0].rsplit("<a", 1)[1]
        assert 'href="/app/evenements/"' in current

    def test_query_count_is_constant(self, young_client, young_person):
        counselor = young_person.counselor

        def count(n):
            Appointment.objects.all().delete()
            for i in range(n):
                session = session_of(counselor, starts_at=in_days(1 + i), max_participants=3)
                fill(session, i % 4)
                if i % 2:
                    ParticipationFactory(appointment=session, young_person=young_person)
            with CaptureQueriesContext(connection) as queries:
                response = young_client.get(EVENTS)
            assert response.status_code == 200
            assert text(response).count("pe-session-card") >= n
            return len(queries)

        assert count(1) == count(8)

    def test_counselor_is_refused(self, counselor_client):
        assert counselor_client.get(EVENTS).status_code == 403


# --- Mon suivi and Accueil ---------------------------------------------------------------------


def day_block(page: str, label: str) -> str:
    return page.split(f"{label}", 1)[1].split('class="pe-day"', 1)[0]


class TestTracking:
    def test_appointments_day_by_day_beside_actions(self, young_client, young_person):
        today = local_today(young_person)
        week = Week.of(today)
        tuesday = week.start + timedelta(days=1)
        at = paris(tuesday, 23, 30)
        late_evening = appointment_for(young_person, title="Rendez-vous tardif", starts_at=at)
        ActionFactory(young_person=young_person, due_date=tuesday, title="Envoyer le CV")
        session = session_of(
            young_person.counselor,
            title="Atelier entretien",
            starts_at=paris(week.start + timedelta(days=8), 14),
        )
        ParticipationFactory(appointment=session, young_person=young_person)
        cancelled = appointment_for(
            young_person, title="Rendez-vous annulé", canceled_at=timezone.now(), starts_at=at
        )
        left = session_of(young_person.counselor, title="Atelier quitté", starts_at=at)
        ParticipationFactory(appointment=left, young_person=young_person, attendance="unregistered")
        appointment_for(YoungPersonFactory(counselor=young_person.counselor), title="Pas à moi")
        response = young_client.get(TRACKING)
        body = text(response)
        block = day_block(body, day_label(tuesday))
        assert f'id="rdv-{late_evening.pk}"' in block
        assert f'href="{url(late_evening)}"' in block
        assert "23 h 30" in block
        assert "Envoyer le CV" in block
        assert block.index("Rendez-vous tardif") < block.index("Envoyer le CV")
        cancelled_card = card_of(block, cancelled)
        assert "Annulé" in cancelled_card
        assert "Atelier quitté" not in body
        assert "Pas à moi" not in body
        next_week = body.split("Semaine prochaine", 1)[1]
        assert f'id="rdv-{session.pk}"' in next_week
        assert "14 h 00" in next_week and "Session collective" in next_week
        assert "Inscrit" in next_week
        assert "· 2 rendez-vous" in plain(response)
        assert body.count("Rien de prévu") == 12

    def test_query_count_does_not_grow_with_appointments(self, young_client, young_person):
        young_person.hour_counter_enabled = True
        young_person.save()
        week = Week.of(local_today(young_person))

        def count(n):
            Appointment.objects.all().delete()
            for i in range(n):
                day = week.start + timedelta(days=i % 14)
                at = paris(day, 9 + i % 8)
                if i % 3:
                    appointment_for(young_person, starts_at=at, canceled_at=None)
                else:
                    session = session_of(young_person.counselor, starts_at=at)
                    ParticipationFactory(appointment=session, young_person=young_person)
            with CaptureQueriesContext(connection) as queries:
                response = young_client.get(TRACKING)
            assert response.status_code == 200
            assert text(response).count("pe-appointment-card") == n
            return len(queries)

        assert count(1) == count(20)


class TestHome:
    def test_next_appointment_and_this_week(self, young_client, young_person):
        today = local_today(young_person)
        week = Week.of(today)
        appointment_for(young_person, title="Passé", starts_at=in_days(-30))
        appointment_for(
            young_person, title="Annulé", starts_at=in_days(0.05), canceled_at=timezone.now()
        )
        upcoming = appointment_for(
            young_person,
            title="Point mensuel",
            starts_at=datetime(2027, 3, 30, 8, 0, tzinfo=UTC),
        )
        page = plain(young_client.get("/app/"))
        assert "Prochain rendez-vous" in page
        assert "Point mensuel" in page
        assert "Mardi 30 mars 2027 à 10 h 00" in page
        assert f'href="{url(upcoming)}"' in text(young_client.get("/app/"))
        # This week: the new ones falling in it.
        for days in (0, 6):
            appointment_for(young_person, starts_at=paris(week.start + timedelta(days=days), 12))
        page = plain(young_client.get("/app/"))
        assert "2 rendez-vous cette semaine" in page

    def test_nothing_to_come(self, young_client):
        page = plain(young_client.get("/app/"))
        assert "Aucun rendez-vous à venir." in page
        assert "0 rendez-vous cette semaine" in page


# --- the subscription page -----------------------------------------------------------------------


class TestSyncPage:
    def test_profile_links_to_it(self, young_client):
        assert f'href="{SYNC}"' in text(young_client.get("/app/profil/"))

    def test_shows_the_private_url_and_how_to(self, young_client, young_person):
        response = young_client.get(SYNC)
        assert response.status_code == 200
        token = young_person.user.calendar_feed.token
        body = text(response)
        assert f'value="http://testserver/calendrier/{token}.ics"' in body
        assert f'href="webcal://testserver/calendrier/{token}.ics"' in body
        page = plain(response)
        assert "Sur Android" in page and "Sur iPhone" in page
        assert "Révoquer ce lien" in page
        # The same link on every visit.
        assert token in text(young_client.get(SYNC))

    def test_revoke(self, young_client, young_person):
        young_client.get(SYNC)
        old = CalendarFeed.objects.get(user=young_person.user).token
        response = young_client.post(SYNC + "revoquer/")
        assert redirect_path(response) == SYNC
        new = CalendarFeed.objects.get(user=young_person.user).token
        assert new != old
        page = text(young_client.get(SYNC))
        assert new in page and old not in page
        assert "L'ancien lien ne fonctionne plus." in page
        assert young_client.get(SYNC + "revoquer/").status_code == 405

    def test_counselor_is_refused(self, counselor_client):
        assert counselor_client.get(SYNC).status_code == 403
        assert counselor_client.post(SYNC + "revoquer/").status_code == 403
