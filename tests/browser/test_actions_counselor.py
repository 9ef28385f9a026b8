"""The counselor's actions, in a real browser on a desktop screen: a young person's Actions tab,
an action created for two young people at once, a done action qualified from Pilotage →
Actions à qualifier, and the hour counter moving. axe-core checks every page visited."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passemploi.actions.models import Action
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, ActionFactory, CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def tick(checkbox, checked: bool = True) -> None:
    """With the keyboard, as the DSFR's drawn box covers the real input from the mouse."""
    checkbox.press("Space")
    if checked:
        expect(checkbox).to_be_checked()
    else:
        expect(checkbox).not_to_be_checked()


def test_counselor_creates_for_two_and_qualifies(live_server, desktop_page):
    counselor = CounselorFactory(user__first_name="Claire", user__last_name="Fontaine")
    lina = YoungPersonFactory(
        counselor=counselor, user__first_name="Lina", user__last_name="Camara"
    )
    hugo = YoungPersonFactory(
        counselor=counselor, user__first_name="Hugo", user__last_name="Bonnet"
    )
    today = timezone.localdate()
    ActionFactory(young_person=lina, title="Préparer un entretien", done=True, due_date=today)
    ActionFactory(
        young_person=hugo, title="Visiter un salon", category="FORMATION", done=True, due_date=today
    )
    page = desktop_page

    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, counselor.user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Portefeuille")
    expect(page.get_by_role("row", name=re.compile("CAMARA Lina"))).to_contain_text("3 h / 0 h")
    check_page(page, "Portefeuille")

    # --- The young person's Actions tab --------------------------------------------------------
    page.get_by_role("link", name="CAMARA Lina").click()  # the file, then its Actions tab
    page.get_by_role("link", name="Actions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CAMARA Lina")
    counter = page.get_by_role("region", name="Heures de la semaine")
    expect(counter).to_contain_text("Déclarées : 3 h")
    expect(counter).to_contain_text("Validées : 0 h")
    expect(page.get_by_role("link", name="Préparer un entretien")).to_be_visible()
    check_page(page, "Actions — Lina Camara")

    counter.get_by_role("button", name="Afficher le compteur au bénéficiaire").click()
    expect(page.get_by_role("status")).to_contain_text("Le compteur d'heures est maintenant")
    expect(counter).to_contain_text("Le compteur est affiché au bénéficiaire.")
    check_page(page, "Actions — Lina Camara")

    # --- An action for two young people at once -----------------------------------------------
    page.get_by_role("link", name="Créer une action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer une action")
    expect(page.get_by_label("CAMARA Lina")).to_be_checked()
    expect(page.get_by_label("BONNET Hugo")).not_to_be_checked()
    check_page(page, "Créer une action")

    # Nothing chosen: each missing answer is said next to its field, accessibly.
    tick(page.get_by_label("CAMARA Lina"), False)
    page.get_by_role("button", name="Créer l'action").click()
    expect(page.get_by_text("Choisissez au moins un bénéficiaire.")).to_be_visible()
    expect(page.get_by_label(label("Titre libre"))).to_have_attribute("aria-invalid", "true")
    check_page(page, "Erreur — Créer une action")

    tick(page.get_by_label("CAMARA Lina"))
    tick(page.get_by_label("BONNET Hugo"))
    page.get_by_label(label("Action du catalogue")).select_option(
        label="Tenir un tableau de prospection"
    )
    page.get_by_label(label("Description")).fill("Dix entreprises du quartier")
    page.get_by_role("button", name="Créer l'action").click()
    expect(page.get_by_role("status")).to_contain_text(
        "L'action « Tenir un tableau de prospection » a été créée pour 2 bénéficiaires."
    )
    check_page(page, "Portefeuille")
    created = Action.objects.filter(title="Tenir un tableau de prospection")
    assert {a.young_person_id for a in created} == {lina.pk, hugo.pk}
    assert {a.category for a in created} == {"EMPLOI"}

    # --- Pilotage → Actions à qualifier -----------------------------------------------------------
    page.get_by_role("navigation", name="Espace conseiller").get_by_role(
        "link", name="Pilotage"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions à qualifier")
    expect(page.get_by_role("row")).to_have_count(3)  # header + two done actions
    check_page(page, "Actions à qualifier")

    # One to look at first: its page offers the qualification with values to adjust.
    page.get_by_role("link", name=label("Visiter un salon")).click()
    qualification = page.get_by_role("region", name="Qualification")
    expect(qualification.get_by_label(label("Nombre d'heures"))).to_have_value("3")
    page.get_by_label(label("Votre commentaire")).fill("Bravo pour cette visite !")
    page.get_by_role("button", name="Envoyer le commentaire").click()
    expect(page.get_by_role("status")).to_contain_text("Votre commentaire a été ajouté.")
    check_page(page, "Visiter un salon")

    page.goto(f"{live_server.url}/conseiller/pilotage/actions-a-qualifier/")
    tick(page.get_by_label("« Préparer un entretien » de Lina Camara"))
    page.get_by_role("button", name="Qualifier la sélection").click()
    expect(page.get_by_role("status")).to_contain_text(
        "1 action qualifiée avec les valeurs par défaut."
    )
    expect(page.get_by_role("link", name=label("Préparer un entretien"))).to_have_count(0)
    check_page(page, "Actions à qualifier")

    # --- The counter moved -------------------------------------------------------------------
    page.get_by_role("navigation", name="Espace conseiller").get_by_role(
        "link", name="Portefeuille"
    ).click()
    expect(page.get_by_role("row", name=re.compile("CAMARA Lina"))).to_contain_text("3 h / 3 h")
    page.get_by_role("link", name="CAMARA Lina").click()
    page.get_by_role("link", name="Actions", exact=True).click()
    counter = page.get_by_role("region", name="Heures de la semaine")
    expect(counter).to_contain_text("Validées : 3 h")
    check_page(page, "Actions — Lina Camara")

    page.get_by_role("link", name="Préparer un entretien").click()
    expect(page.get_by_role("region", name="Qualification")).to_contain_text(
        "Une action qualifiée ne peut plus être modifiée."
    )
    check_page(page, "Préparer un entretien")


def test_counselor_pages_on_a_phone(live_server, phone_page):
    """Usable at 360 px: no sideways scroll (tables scroll inside their own frame)."""
    counselor = CounselorFactory()
    young_person = YoungPersonFactory(counselor=counselor, user__last_name="Abdallah-Fernandes")
    action = ActionFactory(
        young_person=young_person,
        title="Contacter des entreprises (candidature spontanée) du bassin d'emploi",
        description="Une longue description " * 10,
        done=True,
    )
    ActionFactory(young_person=young_person, due_date=timezone.localdate().replace(day=1))
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, counselor.user.email, PASSWORD)
    for path, title in [
        (f"/conseiller/beneficiaires/{young_person.pk}/actions/", "Actions"),
        (f"/conseiller/actions/{action.pk}/", "Contacter des entreprises"),
        (f"/conseiller/actions/{action.pk}/modifier/", "Modifier"),
        ("/conseiller/actions/nouvelle/", "Créer une action"),
        ("/conseiller/pilotage/actions-a-qualifier/", "Actions à qualifier"),
    ]:
        page.goto(f"{live_server.url}{path}")
        check_page(page, title)
