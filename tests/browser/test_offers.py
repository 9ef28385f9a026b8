"""A young person searches offers on a 360 px phone: keywords, the commune autocomplete (htmx
datalist), filters, the result cards and an offer page. axe-core on every page, no sideways
scrolling."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from passemploi.actions.models import Action
from passemploi.offers import favourites
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, CounselorFactory, YoungPersonFactory
from tests.offers.catalogue import make_fixed_catalogue

pytestmark = pytest.mark.browser


def test_young_person_searches_offers_near_a_commune(live_server, phone_page):
    young_person = YoungPersonFactory()
    make_fixed_catalogue()
    page = phone_page
    page.goto(f"{live_server.url}/app/offres/")
    sign_in(page, young_person.user.email, PASSWORD)
    page.goto(f"{live_server.url}/app/offres/")
    check_page(page, "Offres")
    expect(page.get_by_role("status")).to_have_text("9 offres")

    page.get_by_label(label("Métier, mots-clés")).fill("serveur")
    commune = page.get_by_label(label("Lieu"))
    commune.fill("avig")
    # htmx fills the datalist as the user types.
    expect(page.locator("#offres-commune-options option")).to_have_count(2)
    options = page.locator("#offres-commune-options option")
    expect(options.first).to_have_attribute("value", "Avignon (84)")
    commune.fill("Avignon (84)")
    page.get_by_text("Plus de filtres").click()
    page.get_by_label("Trier par").select_option("distance")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("status")).to_have_text("2 offres")
    expect(page).to_have_url(re.compile(r"commune=Avignon"))
    cards = page.locator(".pe-offer-list .fr-card__title")
    expect(cards).to_have_text(["Serveur / Serveuse", "Serveur en restaurant"])
    expect(page.get_by_text("à 2 km")).to_be_visible()
    check_page(page, "Offres")

    # A bad commune: a clear message, the typed words stay.
    commune.fill("Atlantide")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("alert")).to_contain_text("Commune inconnue")
    check_page(page, "Offres")

    page.goto(f"{live_server.url}/app/offres/?q=serveur&commune=84007&tri=distance")
    page.get_by_role("link", name="Serveur / Serveuse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Serveur / Serveuse")
    expect(page.get_by_role("button", name=re.compile("Postuler"))).to_be_visible()
    check_page(page, "Serveur / Serveuse")


def test_young_person_follows_an_offer_and_says_they_applied(live_server, phone_page):
    young_person = YoungPersonFactory()
    offer = make_fixed_catalogue()["B"]
    # The employer's page: one of ours, the tests have no internet.
    offer.apply_url = f"{live_server.url}{reverse('core:legal')}"
    offer.save()
    page = phone_page
    page.goto(f"{live_server.url}/app/offres/{offer.pk}/")
    sign_in(page, young_person.user.email, PASSWORD)
    page.goto(f"{live_server.url}/app/offres/{offer.pk}/")
    check_page(page, "Vendeur en boulangerie")
    page.get_by_role("button", name="Suivre cette offre").click()
    expect(page.get_by_text("Offre ajoutée à votre suivi.")).to_be_visible()
    check_page(page, "Vendeur en boulangerie")

    with page.expect_popup() as popup:
        page.get_by_role("button", name="Postuler").click()
    popup.value.close()
    page.reload()
    expect(page.get_by_role("heading", name="Avez-vous postulé ?")).to_be_visible()
    check_page(page, "Vendeur en boulangerie")
    page.get_by_role("button", name="Oui", exact=True).click()
    button = page.get_by_role("button", name=re.compile("Créer l'action"))
    expect(button).to_contain_text("J'ai postulé à l'offre Vendeur en boulangerie chez")
    check_page(page, "Vendeur en boulangerie")
    button.click()
    expect(page.get_by_text(re.compile("ajoutée à votre suivi"))).to_be_visible()
    assert Action.objects.get(young_person=young_person).status == "done"

    page.get_by_role("link", name="Suivi des offres").click()
    expect(page.get_by_role("heading", name="Postulée (1)")).to_be_visible()
    check_page(page, "Suivi des offres")


def test_counselor_searches_offers_and_sees_shared_ones(live_server, desktop_page):
    counselor = CounselorFactory()
    young_person = YoungPersonFactory(counselor=counselor, user__first_name="Lina")
    offers = make_fixed_catalogue()
    favourites.save_offer(young_person.user, offers["F"])
    favourites.set_sharing(young_person.user, True)
    page = desktop_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, counselor.user.email, PASSWORD)
    page.goto(f"{live_server.url}/conseiller/offres/?type=ALTERNANCE")
    expect(page.get_by_role("status")).to_have_text("1 offre")
    check_page(page, "Offres")
    page.get_by_role("link", name="Cuisinier en alternance").click()
    expect(page.get_by_role("link", name="Postuler")).to_be_visible()
    check_page(page, "Cuisinier en alternance")
    page.goto(f"{live_server.url}/conseiller/offres/beneficiaires/{young_person.pk}/suivi/")
    expect(page.get_by_role("cell", name="Sauvegardée")).to_be_visible()
    check_page(page, "Offres suivies")
