"""Private calendar subscriptions: /calendrier/<token>.ics for young people and counselors,
revocation, and the counselor's subscription page."""

import re
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from passemploi.agenda import registrations
from passemploi.agenda.models import CalendarFeed
from tests.conftest import client_for
from tests.factories import (
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    UserFactory,
    YoungPersonFactory,
)
from tests.helpers import redirect_path, text

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
COUNSELOR_SYNC = "/conseiller/agenda/synchronisation/"


def feed_url(user) -> str:
    return f"/calendrier/{registrations.feed_for(user).token}.ics"


def events_of(response) -> dict[str, object]:
    """The feed's events by SUMMARY."""
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def in_days(days: float) -> datetime:
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0)


def attend(young_person, attendance="expected", **fields):
    appointment = AppointmentFactory(counselor=young_person.counselor, **fields)
    ParticipationFactory(appointment=appointment, young_person=young_person, attendance=attendance)
    return appointment


class TestYoungPersonFeed:
    def test_serves_their_appointments_without_a_session(self, client, young_person):
        counselor = young_person.counselor
        upcoming = attend(young_person, title="Point projet", starts_at=in_days(3))
        far = attend(young_person, title="Bilan à un an", starts_at=in_days(400))
        attend(young_person, "present", title="Atelier passé", starts_at=in_days(-20))
        attend(young_person, "absent", title="Absent le mois dernier", starts_at=in_days(-40))
        attend(young_person, title="Il y a six mois", starts_at=in_days(-180))
        attend(
            young_person,
            title="Rendez-vous annulé",
            starts_at=in_days(5),
            canceled_at=timezone.now(),
        )
        attend(young_person, "unregistered", title="Session quittée", session=True)
        AppointmentFactory(session=True, counselor=counselor, title="Session non suivie")
        attend(YoungPersonFactory(counselor=counselor), title="Rendez-vous d'un autre")
        response = client.get(feed_url(young_person.user))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert "private" in response["Cache-Control"]
        calendar = Calendar.from_ical(response.content)
        assert str(calendar["X-WR-CALNAME"]) == "Pass Emploi — Mes rendez-vous"
        assert "METHOD" not in calendar
        events = events_of(response)
        assert set(events) == {
            "Point projet",
            "Bilan à un an",
            "Atelier passé",
            "Absent le mois dernier",
            "Rendez-vous annulé",
        }
        assert events["Rendez-vous annulé"]["STATUS"] == "CANCELLED"
        assert events["Point projet"]["STATUS"] == "CONFIRMED"
        assert events["Point projet"].decoded("DTSTART") == upcoming.starts_at
        assert str(events["Bilan à un an"]["UID"]) == f"{far.pk}@passemploi"

    @pytest.mark.parametrize(("day", "utc_hour"), [(27, 9), (30, 8)])
    def test_utc_across_the_summer_time_change(self, client, young_person, day, utc_hour):
        with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=UTC), tick=False):
            starts_at = datetime(2026, 3, day, 10, 0, tzinfo=PARIS)
            attend(young_person, title="Rendez-vous", starts_at=starts_at)
            response = client.get(feed_url(young_person.user))
        event = events_of(response)["Rendez-vous"]
        assert event.decoded("DTSTART") == starts_at
        assert event["DTSTART"].to_ical() == f"202603{day:02d}T{utc_hour:02d}0000Z".encode()

    def test_query_count_is_constant(self, client, young_person):
        url = feed_url(young_person.user)

        def count(n):
            for i in range(n):
                attend(young_person, starts_at=in_days(1 + i))
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        assert count(1) == count(10)


class TestCounselorFeed:
    def test_their_appointments_and_sessions(self, client, counselor, young_person):
        attend(young_person, title="Entretien de Lina", starts_at=in_days(2))
        AppointmentFactory(session=True, counselor=counselor, title="Atelier que j'anime")
        colleague = CounselorFactory(structure=counselor.structure)
        AppointmentFactory(session=True, counselor=colleague, title="Atelier d'un collègue")
        AppointmentFactory(counselor=colleague, title="Rendez-vous d'un collègue")
        response = client.get(feed_url(counselor.user))
        assert response.status_code == 200
        calendar = Calendar.from_ical(response.content)
        assert str(calendar["X-WR-CALNAME"]) == "Pass Emploi — Mon agenda conseiller"
        assert set(events_of(response)) == {"Entretien de Lina", "Atelier que j'anime"}

    def test_a_user_without_agenda_gets_an_empty_calendar(self, client):
        response = client.get(feed_url(UserFactory(is_staff=True)))
        assert response.status_code == 200
        assert events_of(response) == {}


class TestTokens:
    def test_unknown_token_is_404(self, client):
        for token in ("inconnu", "x" * 43, ""):
            response = client.get(f"/calendrier/{token}.ics")
            assert response.status_code == 404, token

    def test_revoked_token_is_404_and_the_new_one_works(self, client, young_person):
        attend(young_person, title="Point projet")
        old = feed_url(young_person.user)
        assert client.get(old).status_code == 200
        registrations.revoke_feed(young_person.user)
        new = feed_url(young_person.user)
        assert new != old
        assert client.get(old).status_code == 404
        response = client.get(new)
        assert response.status_code == 200
        assert set(events_of(response)) == {"Point projet"}

    def test_revoked_from_the_young_persons_page(self, young_client, young_person):
        old = feed_url(young_person.user)
        young_client.post("/app/agenda/synchronisation/revoquer/")
        assert Client().get(old).status_code == 404
        assert Client().get(feed_url(young_person.user)).status_code == 200

    def test_a_deactivated_account_has_no_feed(self, client, young_person):
        url = feed_url(young_person.user)
        young_person.user.is_active = False
        young_person.user.save()
        assert client.get(url).status_code == 404

    def test_tokens_are_long_random_and_per_user(self, young_person, counselor):
        first, second = (
            registrations.feed_for(young_person.user),
            registrations.feed_for(counselor.user),
        )
        assert first.token != second.token
        assert len(first.token) >= 43
        assert re.fullmatch(r"[A-Za-z0-9_-]+", first.token)
        assert CalendarFeed.objects.count() == 2

    def test_only_get(self, client, young_person):
        url = feed_url(young_person.user)
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200

    def test_signed_in_or_not_the_token_decides(self, young_client, young_person, counselor):
        """A signed-in user fetching someone else's token reads that feed: the token is the
        key. So it is never shown to anyone but its owner."""
        response = young_client.get(feed_url(counselor.user))
        assert response.status_code == 200
        assert "Mon agenda conseiller" in response.content.decode()


class TestCounselorPage:
    def test_shows_the_private_url(self, counselor_client, counselor):
        response = counselor_client.get(COUNSELOR_SYNC)
        assert response.status_code == 200
        token = CalendarFeed.objects.get(user=counselor.user).token
        body = text(response)
        assert "<h1>Synchroniser mon agenda</h1>" in body
        assert f'value="http://testserver/calendrier/{token}.ics"' in body
        assert f'href="webcal://testserver/calendrier/{token}.ics"' in body
        assert "Sur Android" in body and "Sur iPhone" in body
        assert "INVALID_TEMPLATE_VARIABLE" not in body

    def test_profile_links_to_it(self, counselor_client):
        assert f'href="{COUNSELOR_SYNC}"' in text(counselor_client.get("/conseiller/profil/"))

    def test_revoke(self, counselor_client, counselor):
        old = feed_url(counselor.user)
        response = counselor_client.post(COUNSELOR_SYNC + "revoquer/")
        assert redirect_path(response) == COUNSELOR_SYNC
        assert Client().get(old).status_code == 404
        new = feed_url(counselor.user)
        assert new != old
        page = text(counselor_client.get(COUNSELOR_SYNC))
        assert new.removeprefix("/calendrier/").removesuffix(".ics") in page
        assert "L'ancien lien ne fonctionne plus." in page
        assert counselor_client.get(COUNSELOR_SYNC + "revoquer/").status_code == 405

    def test_young_person_and_anonymous_are_refused(self, young_client, client):
        assert young_client.get(COUNSELOR_SYNC).status_code == 403
        assert young_client.post(COUNSELOR_SYNC + "revoquer/").status_code == 403
        response = client.get(COUNSELOR_SYNC)
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/?next=")

    def test_each_counselor_has_their_own_link(self, counselor_client, counselor, supervisor):
        counselor_client.get(COUNSELOR_SYNC)
        page = text(client_for(supervisor.user).get(COUNSELOR_SYNC))
        mine = CalendarFeed.objects.get(user=counselor.user).token
        theirs = CalendarFeed.objects.get(user=supervisor.user).token
        assert mine != theirs
        assert theirs in page and mine not in page
