"""The onboarding journey, in a real browser: a counselor creates a young person, who activates
their account from the email, signs in, accepts the terms and lands on Accueil."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from passemploi.accounts.models import User
from tests.browser.conftest import check_page
from tests.factories import PASSWORD, YoungPersonFactory

pytestmark = pytest.mark.browser

DEMO_COUNSELOR = "conseiller@demo.passemploi.fr"
DEMO_PASSWORD = "passemploi-demo"
NEW_PASSWORD = "Mon-nouveau-mot-de-passe-2026"
ACTIVATION_LINK = re.compile(r"https?://\S+/activation/\S+/")


def label(text: str) -> re.Pattern:
    """A label that starts with `text` (DSFR labels end with a required marker or a hint)."""
    return re.compile(r"^\s*" + re.escape(text))


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(label("Mot de passe")).fill(password)
    page.get_by_role("button", name="Se connecter").click()


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", "--force", stdout=io.StringIO())


def test_counselor_creates_young_person_who_activates_and_lands_on_home(
    live_server, demo, new_page, mailoutbox
):
    # --- The counselor, on a desktop screen -------------------------------------------------
    counselor = new_page("desktop")
    counselor.goto(f"{live_server.url}/connexion/")
    check_page(counselor, "Connexion")
    sign_in(counselor, DEMO_COUNSELOR, DEMO_PASSWORD)

    expect(counselor).to_have_url(f"{live_server.url}/conseiller/")
    expect(counselor.get_by_role("heading", level=1)).to_have_text("Portefeuille")
    check_page(counselor, "Portefeuille")

    # An empty form: every required field says what is missing, and the page stays accessible.
    create = counselor.get_by_role("region", name="Créer un bénéficiaire")
    create.get_by_role("button", name="Créer le bénéficiaire").click()
    expect(create.get_by_label("Prénom")).to_have_attribute("aria-invalid", "true")
    expect(create.get_by_text("Ce champ est obligatoire.")).to_have_count(4)
    check_page(counselor, "Portefeuille")

    create.get_by_label("Prénom").fill("Aïcha")
    create.get_by_label(label("Nom")).fill("Diallo")
    create.get_by_label("Adresse e-mail").fill("Aicha.Diallo@Exemple.fr")
    create.get_by_label("Dispositif").select_option(label="Contrat d'Engagement Jeune")
    create.get_by_role("button", name="Créer le bénéficiaire").click()

    expect(counselor.get_by_role("status")).to_contain_text(
        "Aïcha Diallo a été ajouté(e) à votre portefeuille"
    )
    row = counselor.get_by_role("row", name=re.compile("DIALLO Aïcha"))
    expect(row).to_contain_text("Non activé")
    expect(
        row.get_by_role("button", name="Renvoyer l'e-mail d'activation à Aïcha Diallo")
    ).to_be_visible()
    check_page(counselor, "Portefeuille")

    counselor.get_by_role("navigation", name="Espace conseiller").get_by_role(
        "link", name="Profil"
    ).click()
    expect(counselor.get_by_role("heading", level=1)).to_have_text("Mon profil")
    expect(counselor.locator("main")).to_contain_text("Mission Locale de Paris Est")
    check_page(counselor, "Profil")

    # --- The activation email ---------------------------------------------------------------
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["aicha.diallo@exemple.fr"]
    link = ACTIVATION_LINK.search(email.body).group(0)
    assert urlsplit(link).netloc == urlsplit(live_server.url).netloc

    # --- The young person, on a phone -------------------------------------------------------
    young = new_page("phone")
    young.goto(link)
    expect(young.get_by_role("heading", level=1)).to_have_text("Activer mon compte")
    expect(young.locator("main")).to_contain_text("aicha.diallo@exemple.fr")
    check_page(young, "Activer mon compte")

    young.get_by_label(label("Mot de passe")).fill(NEW_PASSWORD)
    young.get_by_label("Confirmez le mot de passe").fill(NEW_PASSWORD)
    young.get_by_role("button", name="Activer mon compte").click()

    expect(young).to_have_url(re.compile(r"/connexion/\?email="))
    expect(young.get_by_role("status")).to_contain_text("Votre compte est activé")
    expect(young.get_by_label("Adresse e-mail")).to_have_value("aicha.diallo@exemple.fr")
    check_page(young, "Connexion")
    young.get_by_label(label("Mot de passe")).fill(NEW_PASSWORD)
    young.get_by_role("button", name="Se connecter").click()

    # First sign-in: the terms come first.
    expect(young).to_have_url(f"{live_server.url}/app/cgu/")
    check_page(young, "Conditions d'utilisation")
    young.get_by_role("button", name="Continuer").click()
    expect(young.get_by_text("Vous devez accepter les conditions pour continuer.")).to_be_visible()
    check_page(young, "Conditions d'utilisation")
    accept = young.get_by_label("J'ai lu et j'accepte les conditions générales d'utilisation")
    expect(accept).to_have_attribute("aria-invalid", "true")
    # The DSFR draws the box on the label: a finger taps the label, as here.
    young.get_by_text("J'ai lu et j'accepte les conditions générales d'utilisation").click()
    expect(accept).to_be_checked()
    young.get_by_role("button", name="Continuer").click()

    expect(young).to_have_url(f"{live_server.url}/app/")
    expect(young.get_by_role("heading", level=1)).to_have_text("Bonjour Aïcha")
    expect(young.locator("main")).to_contain_text("Camille Martin vous accompagne")
    check_page(young, "Accueil")

    user = User.objects.get(email="aicha.diallo@exemple.fr")
    assert user.activated_at is not None
    assert user.young_person.terms_accepted_at is not None
    assert user.first_login_at is not None

    # The counselor now sees the account as activated.
    counselor.get_by_role("link", name="Portefeuille").click()
    # Activated: the "Non activé" badge is gone from the row.
    activated_row = counselor.get_by_role("row", name=re.compile("DIALLO Aïcha"))
    expect(activated_row).to_be_visible()
    expect(activated_row).not_to_contain_text("Non activé")


def test_young_person_tabs_profile_and_legal_pages(live_server, phone_page):
    young_person = YoungPersonFactory(
        user__first_name="Lucas",
        counselor__user__first_name="Nadia",
        counselor__user__last_name="Benali",
    )
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    check_page(page, "Connexion")
    sign_in(page, young_person.user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Lucas")
    expect(page.locator("main")).to_contain_text("Nadia Benali")
    check_page(page, "Accueil")

    nav = page.get_by_role("navigation", name="Navigation principale")
    for label, path in [
        ("Mon suivi", "/app/suivi/"),
        ("Messages", "/app/messages/"),
        ("Offres", "/app/offres/"),
        ("Événements", "/app/evenements/"),
        ("Accueil", "/app/"),
    ]:
        nav.get_by_role("link", name=label).click()
        expect(page).to_have_url(f"{live_server.url}{path}")
        expect(nav.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
        check_page(page, label)

    page.get_by_role("banner").get_by_role("link", name="Profil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    expect(page.locator("main")).to_contain_text(young_person.user.email)
    check_page(page, "Profil")

    for link, heading in [
        ("Conditions générales d'utilisation", "Conditions générales d'utilisation"),
        ("Données personnelles", "Données personnelles"),
        ("Mentions légales", "Mentions légales"),
        ("Accessibilité", "Déclaration d'accessibilité"),
    ]:
        page.get_by_role("main").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_page(page, heading)
        page.go_back()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(f"{live_server.url}/connexion/")
    check_page(page, "Connexion")


def test_sign_in_with_the_keyboard_only(live_server, phone_page):
    """Tab and Enter only (plus typing in the fields), then the skip links of the app."""
    young_person = YoungPersonFactory(user__first_name="Inès")
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    check_page(page, "Connexion")

    def focused() -> dict:
        return page.evaluate(
            "() => { const e = document.activeElement;"
            " return {tag: e.tagName, name: e.getAttribute('name') || '', id: e.id,"
            " text: (e.innerText || '').trim()}; }"
        )

    def tab() -> dict:
        page.keyboard.press("Tab")
        return focused()

    # The email field has the focus when the page opens.
    expect(page.get_by_label("Adresse e-mail")).to_be_focused()
    page.keyboard.type(young_person.user.email)
    assert tab()["name"] == "password"
    page.keyboard.type(PASSWORD)
    assert tab() == {"tag": "BUTTON", "name": "", "id": "", "text": "Se connecter"}
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/app/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Inès")
    check_page(page, "Accueil")

    # First stops: the skip links, shown when focused.
    assert tab()["text"] == "Contenu"
    expect(page.get_by_role("link", name="Contenu")).to_be_visible()
    assert tab()["text"] == "Navigation"
    page.keyboard.press("Enter")
    assert tab()["text"] == "Accueil"
    assert tab()["text"] == "Mon suivi"
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/app/suivi/")
    check_page(page, "Mon suivi")

    assert tab()["text"] == "Contenu"
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
