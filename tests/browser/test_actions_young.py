"""A young person's actions, in a real browser on a 360 px phone: create one in three steps,
find it in Mon suivi, mark it done, write to the counselor. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from passemploi.actions.models import Action
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, ActionFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_young_person_creates_an_action_and_follows_it(live_server, phone_page):
    young_person = YoungPersonFactory(user__first_name="Sofiane", hour_counter_enabled=True)
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, young_person.user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Sofiane")
    expect(page.get_by_role("main")).to_contain_text("0 action prévue cette semaine")
    expect(page.get_by_role("main")).to_contain_text("Heures déclarées : 0 h sur 15 h")
    check_page(page, "Accueil")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon suivi"
    ).click()
    expect(page.get_by_role("heading", level=2, name="Cette semaine")).to_be_visible()
    check_page(page, "Mon suivi")

    # Step 1: seven big choices.
    page.get_by_role("link", name="Ajouter une action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle action")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 1 sur 3")
    expect(page.locator("button[name=categorie]")).to_have_count(7)
    check_page(page, "Nouvelle action, étape 1 sur 3")
    page.get_by_role("button", name="Emploi").click()

    # Step 2: an empty title is refused, with the error shown accessibly.
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 2 sur 3")
    check_page(page, "Nouvelle action, étape 2 sur 3")
    page.get_by_label("Description").fill("Poste de vendeur au centre commercial")
    page.get_by_role("button", name="Continuer").click()
    title = page.get_by_label(label("Ou saisissez votre propre titre"))
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Le titre de l'action est obligatoire.")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value("Poste de vendeur au centre commercial")
    check_page(page, re.compile("^Erreur — Nouvelle action, étape 2 sur 3"))
    title.fill("Candidater chez Decathlon")
    page.get_by_role("button", name="Continuer").click()

    # Step 3: status and a quick-pick date.
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 3 sur 3")
    expect(page.get_by_role("main")).to_contain_text("Candidater chez Decathlon")
    expect(page.get_by_label("En cours")).to_be_checked()
    check_page(page, "Nouvelle action, étape 3 sur 3")
    # The DSFR draws radios on their labels: a finger taps the label.
    page.get_by_text(re.compile(r"^\s*Aujourd'hui \(")).click()
    page.get_by_role("button", name="Enregistrer l'action").click()

    # Back in Mon suivi, on the action's week.
    expect(page).to_have_url(re.compile(r"/app/suivi/\?semaine=\d{4}-\d{2}-\d{2}#action-"))
    expect(page.get_by_role("status")).to_contain_text(
        "L'action « Candidater chez Decathlon » est enregistrée."
    )
    card = page.locator(".pe-action-card", has_text="Candidater chez Decathlon")
    expect(card).to_contain_text("En cours")
    expect(page.get_by_role("main")).to_contain_text("Heures déclarées : 3 h sur 15 h")
    check_page(page, "Mon suivi")

    # The action: one tap marks it done.
    card.get_by_role("link", name="Candidater chez Decathlon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidater chez Decathlon")
    check_page(page, "Candidater chez Decathlon")
    page.get_by_role("button", name="Terminée", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Statut mis à jour : Terminée.")
    expect(page.get_by_role("main")).to_contain_text(
        re.compile(r"En cours\s*→\s*devient\s*Terminée")
    )
    check_page(page, "Candidater chez Decathlon")
    action = Action.objects.get(young_person=young_person)
    assert action.status == "done"

    # A message to the counselor; an empty one first.
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_label(label("Votre message"))).to_have_attribute("aria-invalid", "true")
    check_page(page, re.compile("^Erreur — Candidater chez Decathlon"))
    page.get_by_label(label("Votre message")).fill("J'ai envoyé ma candidature ce matin.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("status")).to_contain_text("Votre message est envoyé.")
    expect(page.locator(".pe-comment--mine")).to_contain_text(
        "J'ai envoyé ma candidature ce matin."
    )
    check_page(page, "Candidater chez Decathlon")
    assert action.comments.get().body == "J'ai envoyé ma candidature ce matin."

    # Edit and delete pages, visited and left.
    page.get_by_role("link", name="Modifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier l'action")
    check_page(page, "Modifier l'action")
    page.get_by_role("link", name="Annuler").click()
    page.get_by_role("link", name="Supprimer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer l'action ?")
    check_page(page, "Supprimer l'action")
    page.get_by_role("link", name="Annuler").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidater chez Decathlon")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Accueil"
    ).click()
    expect(page.get_by_role("main")).to_contain_text("1 action prévue cette semaine")
    check_page(page, "Accueil")


def test_counselor_action_and_batch_steps_by_keyboard(live_server, phone_page):
    """A batch suggestion's date checkboxes, and the steps driven from the keyboard."""
    young_person = YoungPersonFactory()
    ActionFactory(young_person=young_person, title="Atelier CV", by_counselor=True)
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, young_person.user.email, PASSWORD)
    page.goto(f"{live_server.url}/app/suivi/")
    page.get_by_role("link", name="Atelier CV").click()
    expect(page.get_by_role("main")).to_contain_text("Votre conseiller")
    expect(page.get_by_role("link", name="Modifier")).to_have_count(0)
    check_page(page, "Atelier CV")

    page.goto(f"{live_server.url}/app/actions/nouvelle/")
    page.get_by_role("button", name="Loisir, sport, culture").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 2 sur 3")
    page.get_by_text("Faire du sport", exact=True).click()
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("input[name=dates]")).to_have_count(14)
    check_page(page, "Nouvelle action, étape 3 sur 3")
    boxes = page.locator("input[name=dates]")
    for index in (4, 5, 6):
        page.locator(f"label[for={boxes.nth(index).get_attribute('id')}]").click()
    page.get_by_role("button", name="Enregistrer l'action").click()
    expect(page.get_by_role("status")).to_contain_text(
        "3 actions « Faire du sport » sont enregistrées."
    )
    check_page(page, "Mon suivi")
    assert Action.objects.filter(young_person=young_person, title="Faire du sport").count() == 3
