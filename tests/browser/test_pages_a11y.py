"""Every other page, in a real browser: axe-core finds no violation (on a phone, no sideways
scroll either). Pages with form errors are checked with their errors shown."""

import re

import pytest
from playwright.sync_api import expect

from passemploi.accounts.models import User
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.browser

DEVICES = ["phone", "desktop"]
RESET_LINK = re.compile(r"https?://\S+/reinitialisation/\S+/")


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(
    ("path", "title", "heading"),
    [
        ("/mentions-legales/", "Mentions légales", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles", "Données personnelles"),
        ("/cgu/", "Conditions générales", "Conditions générales d'utilisation"),
        ("/accessibilite/", "Déclaration d'accessibilité", "Déclaration d'accessibilité"),
        ("/mot-de-passe-oublie/envoye/", "E-mail envoyé", "Vérifiez votre boîte e-mail"),
        ("/reinitialisation/terminee/", "Mot de passe modifié", "Mot de passe modifié"),
        ("/reinitialisation/MQ/lien-perime/", "Nouveau mot de passe", "Choisir un nouveau"),
        ("/activation/lien-inconnu/", "Lien d'activation invalide", "Ce lien ne permet pas"),
        ("/page-qui-n-existe-pas/", "Page non trouvée", "Page non trouvée"),
        ("/app/hors-ligne/", "Hors connexion", "Vous êtes hors connexion"),
    ],
)
def test_public_page(live_server, new_page, device, path, title, heading):
    page = new_page(device)
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    check_page(page, title)


@pytest.mark.parametrize("device", DEVICES)
def test_login_and_reset_request_with_errors(live_server, new_page, device):
    page = new_page(device)
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, "personne@exemple.fr", "pas-le-bon-mot-de-passe")
    expect(page.get_by_role("alert")).to_contain_text("Adresse e-mail ou mot de passe incorrect.")
    check_page(page, "Connexion")

    page.get_by_role("link", name="Mot de passe oublié ?").click()
    check_page(page, "Mot de passe oublié")
    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_label("Adresse e-mail")).to_have_attribute("aria-invalid", "true")
    check_page(page, "Mot de passe oublié")


def test_password_reset_journey(live_server, phone_page, mailoutbox):
    young_person = YoungPersonFactory(user__first_name="Yanis")
    new_password = "Encore-un-autre-mot-de-passe-77"
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Adresse e-mail").fill(young_person.user.email)
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte e-mail")
    check_page(page, "E-mail envoyé")

    assert len(mailoutbox) == 1
    link = RESET_LINK.search(mailoutbox[0].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisir un nouveau mot de passe")
    check_page(page, "Nouveau mot de passe")

    # Two different passwords: the error is shown next to the field, accessibly.
    page.get_by_label(label("Nouveau mot de passe")).fill(new_password)
    page.get_by_label(label("Confirmation")).fill(new_password + "-typo")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_label(label("Confirmation"))).to_have_attribute("aria-invalid", "true")
    check_page(page, "Nouveau mot de passe")

    page.get_by_label(label("Nouveau mot de passe")).fill(new_password)
    page.get_by_label(label("Confirmation")).fill(new_password)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe modifié")
    check_page(page, "Mot de passe modifié")

    page.get_by_role("link", name="Se connecter").last.click()
    sign_in(page, young_person.user.email, new_password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Yanis")


def test_activation_with_a_weak_password(live_server, phone_page, mailoutbox):
    counselor = CounselorFactory()
    from passemploi.accounts import services

    services.create_young_person(
        counselor=counselor,
        first_name="Léa",
        last_name="Petit",
        email="lea.petit@exemple.fr",
        scheme="CEJ",
        base_url=live_server.url,
    )
    link = re.search(r"https?://\S+/activation/\S+/", mailoutbox[0].body).group(0)
    page = phone_page
    page.goto(link)
    page.get_by_label(label("Mot de passe")).fill("123456789012")
    page.get_by_label("Confirmez le mot de passe").fill("123456789012")
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_label(label("Mot de passe"))).to_have_attribute("aria-invalid", "true")
    check_page(page, "Activer mon compte")
    assert not User.objects.get(email="lea.petit@exemple.fr").is_activated


@pytest.mark.parametrize("device", DEVICES)
def test_supervisor_pages(live_server, new_page, device):
    supervisor = CounselorFactory(supervisor=True, structure__name="Mission Locale de Lyon")
    page = new_page(device)
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, supervisor.user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Portefeuille")
    expect(page.get_by_text("Vous ne suivez encore aucun bénéficiaire.")).to_be_visible()
    check_page(page, "Portefeuille")

    menu = page.get_by_role("navigation", name="Espace conseiller")
    if device == "phone":
        # The DSFR side menu folds behind a "Menu" button on small screens.
        menu.get_by_role("button", name="Menu").click()
    menu.get_by_role("link", name="Équipe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipe de la structure")
    check_page(page, "Équipe")

    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_label("Adresse e-mail")).to_have_attribute("aria-invalid", "true")
    check_page(page, "Équipe")

    page.goto(f"{live_server.url}/conseiller/profil/")
    expect(page.get_by_role("main")).to_contain_text("Conseiller superviseur")
    check_page(page, "Profil")

    if device == "phone":
        # The header's tools (name, sign-out) live in the DSFR mobile menu on small screens.
        page.get_by_role("banner").get_by_role("button", name="Menu").click()
        expect(page.get_by_role("dialog")).to_be_visible()
        check_page(page, "Profil")
    page.get_by_role("button", name="Se déconnecter").filter(visible=True).click()
    expect(page).to_have_url(f"{live_server.url}/connexion/")


def test_young_person_pages_outside_the_tabs(live_server, phone_page):
    young_person = YoungPersonFactory(terms_version="2020-01-01")
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, young_person.user.email, PASSWORD)

    # New terms since the last acceptance: asked again.
    expect(page).to_have_url(f"{live_server.url}/app/cgu/")
    expect(page.get_by_text("Les conditions d'utilisation ont changé.")).to_be_visible()
    check_page(page, "Conditions d'utilisation")

    # A counselor's page: refused.
    response = page.goto(f"{live_server.url}/conseiller/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    check_page(page, "Accès refusé")
