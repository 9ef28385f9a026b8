"""On a 360 px phone, a young person saves a search as an alert, accepts a search their counselor
suggested and finds an offer the counselor shared. axe-core on every page."""

import uuid

import pytest
from playwright.sync_api import expect

from passemploi.chat.models import Message
from passemploi.offers.models import Alert, AlertSuggestion, OfferShare, OfferShareRecipient
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, CounselorFactory, YoungPersonFactory
from tests.offers.catalogue import make_fixed_catalogue

pytestmark = pytest.mark.browser


def test_young_person_saves_an_alert_and_answers_a_suggestion(live_server, phone_page):
    young_person = YoungPersonFactory()
    offer = make_fixed_catalogue()["B"]
    counselor = young_person.counselor.user
    # Rows written directly: the services publish events, which this thread (Playwright's
    # event loop) cannot push; tests/offers covers the services.
    AlertSuggestion.objects.create(
        young_person=young_person,
        counselor=young_person.counselor,
        name="Cuisine près de chez vous",
        criteria={"q": "cuisine"},
        summary="cuisine",
    )
    share = OfferShare.objects.create(
        sender=counselor, offer=offer, client_id=uuid.uuid4(), recipient_count=1
    )
    OfferShareRecipient.objects.create(share=share, young_person=young_person)
    page = phone_page
    page.goto(f"{live_server.url}/app/offres/")
    sign_in(page, young_person.user.email, PASSWORD)
    page.goto(f"{live_server.url}/app/offres/?q=serveur&commune=84007")
    page.get_by_label(label("Nom de l'alerte")).fill("Serveur à Avignon")
    page.get_by_role("button", name="Créer une alerte").click()
    expect(page.get_by_text("Alerte « Serveur à Avignon » créée")).to_be_visible()
    check_page(page, "Mes alertes")
    assert Alert.objects.get().criteria["commune"] == "84007"

    page.get_by_role("button", name="Accepter « Cuisine près de chez vous »").click()
    expect(page.get_by_text("ajoutée à vos alertes")).to_be_visible()
    expect(page.get_by_text("Offres partagées par votre conseiller")).to_be_visible()
    check_page(page, "Mes alertes")
    assert Alert.objects.count() == 2


def test_counselor_shares_an_offer_and_suggests_a_search(live_server, desktop_page):
    counselor = CounselorFactory()
    young_person = YoungPersonFactory(counselor=counselor, user__first_name="Lina")
    offer = make_fixed_catalogue()["B"]
    page = desktop_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, counselor.user.email, PASSWORD)
    page.goto(f"{live_server.url}/conseiller/offres/{offer.pk}/")
    check_page(page, "Vendeur en boulangerie")
    page.get_by_label(label("Bénéficiaires")).select_option(str(young_person.pk))
    page.get_by_role("button", name="Partager").click()
    expect(page.get_by_text("Offre partagée à 1 bénéficiaire.")).to_be_visible()
    check_page(page, "Vendeur en boulangerie")
    assert Message.objects.filter(shared_type="offer").count() == 1

    page.goto(f"{live_server.url}/conseiller/offres/?q=serveur")
    page.get_by_label(label("Nom de la recherche")).fill("Service en salle")
    page.get_by_role("button", name="Suggérer").click()
    expect(page.get_by_text("Recherche « Service en salle » suggérée.")).to_be_visible()
    check_page(page, "Offres")
    assert AlertSuggestion.objects.get().young_person == young_person
