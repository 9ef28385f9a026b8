"""The actions journey of the issue, across both spaces in real browsers: a young person logs an
action in three steps on a 360 px phone, the counselor comments on it and qualifies it, the
young person reads the comment and sees the counter move. axe-core on every page visited."""

import re

import pytest
from playwright.sync_api import expect

from passemploi.actions.models import Action
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_logged_commented_qualified_and_counted(live_server, browser, phone_page, desktop_page):
    young_person = YoungPersonFactory(user__first_name="Inès", hour_counter_enabled=True)
    counselor = young_person.counselor

    # --- The young person, on a phone ---
    phone = phone_page
    phone.goto(f"{live_server.url}/connexion/")
    sign_in(phone, young_person.user.email, PASSWORD)
    phone.goto(f"{live_server.url}/app/actions/nouvelle/")
    phone.get_by_role("button", name="Emploi").click()
    phone.get_by_label(label("Ou saisissez votre propre titre")).fill("Forum de l'alternance")
    phone.get_by_label("Description").fill("Rencontre avec trois employeurs")
    phone.get_by_role("button", name="Continuer").click()
    phone.get_by_text("Terminée", exact=True).click()
    phone.get_by_text(re.compile(r"^\s*Aujourd'hui \(")).click()
    check_page(phone, "Nouvelle action, étape 3 sur 3")
    phone.get_by_role("button", name="Enregistrer l'action").click()
    expect(phone.get_by_role("main")).to_contain_text("Heures déclarées : 3 h sur 15 h")
    expect(phone.get_by_role("main")).to_contain_text("Heures validées par votre conseiller : 0 h")
    check_page(phone, "Mon suivi")
    action = Action.objects.get(young_person=young_person)
    assert (action.status, action.is_qualified) == ("done", False)

    # --- The counselor, at a desk ---
    desk = desktop_page
    desk.goto(f"{live_server.url}/connexion/")
    sign_in(desk, counselor.user.email, PASSWORD)
    desk.get_by_role("navigation", name="Espace conseiller").get_by_role(
        "link", name="Pilotage"
    ).click()
    desk.get_by_role("link", name=label("Forum de l'alternance")).click()
    check_page(desk, "Forum de l'alternance")
    desk.get_by_label(label("Votre commentaire")).fill("Bravo, quels employeurs as-tu vus ?")
    desk.get_by_role("button", name="Envoyer le commentaire").click()
    expect(desk.get_by_role("status")).to_contain_text("Votre commentaire a été ajouté.")
    qualification = desk.get_by_role("region", name="Qualification")
    qualification.get_by_label(label("Nombre d'heures")).fill("4")
    desk.get_by_role("button", name="Qualifier l'action").click()
    expect(desk.get_by_role("region", name="Qualification")).to_contain_text(
        "Une action qualifiée ne peut plus être modifiée."
    )
    check_page(desk, "Forum de l'alternance")
    action.refresh_from_db()
    assert (action.qualification_code, action.qualified_hours) == ("EMPLOI", 4)

    # --- Back on the phone: the comment, and the counter moved ---
    phone.goto(f"{live_server.url}/app/actions/{action.pk}/")
    expect(phone.get_by_role("main")).to_contain_text("Bravo, quels employeurs as-tu vus ?")
    expect(phone.get_by_role("main")).to_contain_text("Qualifiée : 4 h")
    expect(phone.get_by_role("button", name="En cours", exact=True)).to_have_count(0)
    check_page(phone, "Forum de l'alternance")
    phone.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon suivi"
    ).click()
    expect(phone.get_by_role("main")).to_contain_text("Heures déclarées : 4 h sur 15 h")
    expect(phone.get_by_role("main")).to_contain_text("Heures validées par votre conseiller : 4 h")
    check_page(phone, "Mon suivi")
