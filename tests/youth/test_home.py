"""Accueil ("Cette semaine"): blocks, empty states, constant queries, first-run onboarding."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from passemploi.offers.models import Favourite
from passemploi.offers.models_alerts import Alert
from passemploi.youth import services
from passemploi.youth.models import YouthSettings
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.helpers import text
from tests.offers.factories import OfferFactory

pytestmark = pytest.mark.django_db


def plain(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response)))


def fill(young_person, size: int) -> None:
    """`size` of everything Accueil shows."""
    counselor = young_person.counselor
    today = timezone.localdate()
    for index in range(size):
        ActionFactory(young_person=young_person, due_date=today + timedelta(days=index % 3))
        ParticipationFactory(
            appointment=AppointmentFactory(counselor=counselor), young_person=young_person
        )
        AppointmentFactory(counselor=CounselorFactory(structure=counselor.structure), session=True)
        Favourite.objects.create(young_person=young_person, offer=OfferFactory())
        Alert.objects.create(young_person=young_person, name=f"Alerte {index}")


class TestBlocks:
    def test_empty_states_link_each_tab(self, young_client):
        page = plain(young_client.get("/app/"))
        assert "Aucun rendez-vous à venir" in page
        assert "Aucun atelier ouvert aux inscriptions pour le moment" in page
        assert "Vous ne suivez aucune offre pour le moment" in page
        assert "Aucune alerte" in page
        body = text(young_client.get("/app/"))
        for href in (
            "/app/suivi/",
            "/app/evenements/",
            "/app/offres/",
            "/app/offres/alertes/",
            "/app/aide/",
        ):
            assert f'href="{href}"' in body
        assert "Boîte à outils" in page

    def test_shows_sessions_worth_joining_and_followed_offers(self, young_person, young_client):
        colleague = CounselorFactory(structure=young_person.structure)
        open_session = AppointmentFactory(counselor=colleague, session=True, title="Atelier CV")
        joined = AppointmentFactory(counselor=colleague, session=True, title="Déjà inscrit")
        ParticipationFactory(appointment=joined, young_person=young_person)
        AppointmentFactory(counselor=colleague, session=True, visible=False, title="Caché")
        other = AppointmentFactory(session=True, title="Autre structure")
        offer = OfferFactory(title="Vendeur en boulangerie")
        Favourite.objects.create(young_person=young_person, offer=offer)
        Alert.objects.create(young_person=young_person, name="Alerte vente")

        response = young_client.get("/app/")
        page = plain(response)
        assert "Atelier CV" in page
        assert f'href="/app/agenda/{open_session.pk}/"' in text(response)
        assert "Caché" not in page and other.title not in page
        # Already registered: shown as the next appointment, not as a session to join.
        assert page.count("Déjà inscrit") == 1
        assert "Vendeur en boulangerie" in page
        assert "Alerte vente" in page and "Aucune alerte" not in page
        assert "1 offre suivie" in page
        assert f'href="/app/offres/{offer.pk}/"' in text(response)

    def test_counts_this_week(self, young_person, young_client):
        ActionFactory(young_person=young_person, due_date=timezone.localdate())
        page = plain(young_client.get("/app/"))
        assert "1 action prévue cette semaine" in page

    @pytest.mark.parametrize("size", [1, 6])
    def test_constant_queries(
        self, young_person, young_client, size, django_assert_max_num_queries
    ):
        fill(young_person, size)
        young_person.hour_counter_enabled = True
        young_person.save()
        with django_assert_max_num_queries(15):
            response = young_client.get("/app/")
        assert response.status_code == 200


class TestOnboarding:
    def test_prompt_until_finished_then_never_again(self, young_person, young_client):
        assert "Première visite ?" in plain(young_client.get("/app/"))
        for step in (1, 2, 3):
            response = young_client.get(f"/app/bienvenue/?ecran={step}")
            assert response.status_code == 200
            assert f"Écran {step} sur 3" in plain(response)
        assert "C'est parti" in plain(response)
        response = young_client.post("/app/bienvenue/termine/")
        assert response["Location"] == "/app/"
        assert "Première visite ?" not in plain(young_client.get("/app/"))
        first = YouthSettings.objects.get(young_person=young_person).onboarded_at
        young_client.post("/app/bienvenue/termine/")
        assert YouthSettings.objects.get(young_person=young_person).onboarded_at == first

    def test_skip_from_the_first_screen(self, young_person, young_client):
        assert "Passer" in plain(young_client.get("/app/bienvenue/"))
        young_client.post("/app/bienvenue/termine/")
        assert services.is_onboarded(young_person)
        assert not services.is_onboarded(YoungPersonFactory())

    def test_unknown_screen_is_404(self, young_client):
        for step in ("4", "0", "x", "-1"):
            assert young_client.get(f"/app/bienvenue/?ecran={step}").status_code == 404

    def test_skipping_needs_a_post(self, young_client):
        assert young_client.get("/app/bienvenue/termine/").status_code == 405
