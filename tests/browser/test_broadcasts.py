"""Writing to many in real browsers: a counselor (desktop) makes a broadcast list, writes to it,
and a young person of the list (360 px phone) finds the message in their conversation, under the
counselor's pinned notice, then reads their structure's news. axe-core on every page visited."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passemploi.broadcasts import services as broadcast_services
from passemploi.news import services as news_services
from tests.browser.conftest import check_page
from tests.browser.test_actions_counselor import tick
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_group_message_to_a_list_reaches_the_young_person(live_server, new_page):
    counselor = CounselorFactory(user__first_name="Claire", user__last_name="Fontaine")
    lina = YoungPersonFactory(
        counselor=counselor, user__first_name="Lina", user__last_name="Camara"
    )
    YoungPersonFactory(counselor=counselor, user__first_name="Hugo", user__last_name="Bonnet")
    today = timezone.localdate()
    broadcast_services.set_notice(
        counselor.user, "Absente vendredi : écrivez à l'accueil.", today, today + timedelta(days=1)
    )
    news_services.publish_news(
        counselor.user,
        "Forum de l'alternance",
        "Trente entreprises recrutent.",
        "https://exemple.fr",
    )
    desk = new_page("desktop")

    desk.goto(f"{live_server.url}/connexion/")
    sign_in(desk, counselor.user.email, PASSWORD)
    desk.goto(f"{live_server.url}/conseiller/messagerie/")
    check_page(desk, "Messagerie")
    desk.get_by_role("link", name="Listes de diffusion").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Listes de diffusion")
    check_page(desk, "Listes de diffusion")

    # --- A list, found by searching the portfolio ---------------------------------------------
    desk.get_by_role("link", name="Créer une liste").click()
    check_page(desk, "Créer une liste de diffusion")
    desk.get_by_label(label("Nom de la liste")).fill("Atelier CV")
    desk.get_by_label("Rechercher un bénéficiaire").fill("cama")
    expect(desk.get_by_label("BONNET Hugo")).to_be_hidden()
    tick(desk.get_by_label("CAMARA Lina"))
    desk.get_by_role("button", name="Créer la liste").click()
    expect(desk.get_by_role("row", name="Atelier CV")).to_contain_text("1")
    check_page(desk, "Listes de diffusion")

    # --- Writing to it --------------------------------------------------------------------------
    desk.get_by_role("link", name="Écrire à la liste Atelier CV").click()
    expect(desk.get_by_label("Atelier CV (1 bénéficiaire)")).to_be_checked()
    check_page(desk, "Écrire à plusieurs bénéficiaires")
    desk.get_by_role("button", name="Envoyer le message").click()
    expect(desk.get_by_text("Le message est vide.").first).to_be_visible()
    check_page(desk, "Erreur — Écrire à plusieurs bénéficiaires")
    desk.get_by_label(label("Votre message")).fill("Atelier CV jeudi à 14 h, salle B.")
    desk.get_by_role("button", name="Envoyer le message").click()
    expect(desk.get_by_text("Votre message a été envoyé à 1 bénéficiaire.")).to_be_visible()
    check_page(desk, "Messagerie")

    # --- The young person's phone ---------------------------------------------------------------
    phone = new_page("phone")
    phone.goto(f"{live_server.url}/connexion/")
    sign_in(phone, lina.user.email, PASSWORD)
    phone.goto(f"{live_server.url}/app/messages/")
    expect(phone.get_by_text("Atelier CV jeudi à 14 h, salle B.")).to_be_visible()
    expect(phone.get_by_text("Message important de Claire Fontaine")).to_be_visible()
    check_page(phone, "Messages")

    phone.goto(f"{live_server.url}/app/profil/")
    phone.get_by_role("link", name="Ma Mission Locale : les actualités de ma structure").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ma Mission Locale")
    expect(phone.get_by_role("heading", name="Forum de l'alternance")).to_be_visible()
    check_page(phone, "Ma Mission Locale")
