"""The young person's app on a 360 px touch phone: first-run screens then Accueil, and the
offline mode (a cached page still reads; a message typed offline is sent once back online)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from passemploi.chat.models import Message
from passemploi.chat.services import body_of
from passemploi.youth.models import YouthSettings
from tests.browser.conftest import PHONE, TIMEOUT_MS, _watch, assert_accessible, check_page
from tests.browser.test_onboarding import sign_in
from tests.factories import PASSWORD, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_first_run_screens_then_accueil(live_server, phone_page):
    young_person = YoungPersonFactory(user__first_name="Inès")
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, young_person.user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Inès")
    expect(page.get_by_text("Première visite ?")).to_be_visible()
    check_page(page, "Accueil")

    page.get_by_role("link", name="Découvrir").tap()
    for step in (1, 2):
        expect(page.get_by_text(f"Écran {step} sur 3")).to_be_visible()
        check_page(page, f"({step}/3)")
        page.get_by_role("link", name="Suivant").tap()
    expect(page.get_by_text("Écran 3 sur 3")).to_be_visible()
    check_page(page, "(3/3)")
    page.get_by_role("button", name="C'est parti").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Inès")
    expect(page.get_by_text("Première visite ?")).to_have_count(0)
    for heading in ("Prochain rendez-vous", "Cette semaine", "Ateliers de ma structure"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("Vous ne suivez aucune offre pour le moment.")).to_be_visible()
    check_page(page, "Accueil")
    assert YouthSettings.objects.get(young_person=young_person).onboarded_at is not None
    page.reload()
    expect(page.get_by_text("Première visite ?")).to_have_count(0)


def wait_for_service_worker(page) -> None:
    """Until the service worker controls the page (no wait_for_function: the CSP forbids eval)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for _ in range(50):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker never took control of the page")


def test_offline_reading_and_sending_when_back(browser, live_server):
    young_person = YoungPersonFactory(user__first_name="Yanis")
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", service_workers="allow", **PHONE
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = _watch(context.new_page())
    try:
        page.goto(f"{live_server.url}/connexion/")
        sign_in(page, young_person.user.email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Yanis")
        wait_for_service_worker(page)
        # Visited while the service worker runs: their last version is kept.
        page.goto(live_server.url + reverse("youth:messages"))
        page.goto(live_server.url + reverse("youth:home"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Yanis")

        context.set_offline(True)
        page.goto(live_server.url + reverse("youth:home"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Yanis")
        expect(page.get_by_text("Hors connexion — dernière mise à jour à")).to_be_visible()
        assert_accessible(page)

        page.goto(live_server.url + reverse("youth:messages"))
        page.get_by_label("Votre message").fill("Message écrit sans réseau")
        page.get_by_role("button", name="Envoyer").tap()
        expect(
            page.get_by_text("En attente d'envoi : « Message écrit sans réseau »")
        ).to_be_visible()
        assert not Message.objects.exists()

        context.set_offline(False)
        expect(page.locator("#chat-thread")).to_contain_text("Message écrit sans réseau")
        expect(page.get_by_text("En attente d'envoi")).to_have_count(0)
        messages = list(Message.objects.all())
        assert [body_of(message) for message in messages] == ["Message écrit sans réseau"]
        page.reload()
        expect(page.locator("#chat-thread")).to_contain_text("Message écrit sans réseau")
        assert Message.objects.count() == 1  # sent once
    finally:
        context.close()
