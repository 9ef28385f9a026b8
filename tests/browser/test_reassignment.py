"""A supervisor lends a counselor's young person to a colleague for a while, the colleague sees
the "Suivi temporaire" badge, and the counselor takes them back. axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from passemploi.accounts.models import YoungPerson
from tests.browser.conftest import check_page
from tests.browser.test_agenda_counselor import choose
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def signed_in(new_page, live_server, user):
    page = new_page("desktop")
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, user.email, PASSWORD)
    return page


def test_temporary_reassignment_and_take_back(live_server, new_page):
    counselor = CounselorFactory(user__first_name="Claire", user__last_name="Fontaine")
    structure = counselor.structure
    colleague = CounselorFactory(
        structure=structure, user__first_name="Karim", user__last_name="Benali"
    )
    supervisor = CounselorFactory(
        structure=structure, supervisor=True, user__first_name="Sophie", user__last_name="Martin"
    )
    lina = YoungPersonFactory(
        counselor=counselor, user__first_name="Lina", user__last_name="Camara"
    )

    page = signed_in(new_page, live_server, supervisor.user)
    page.get_by_role("navigation", name="Espace conseiller").get_by_role(
        "link", name="Équipe"
    ).click()
    page.get_by_role("link", name="Réaffecter des bénéficiaires").click()
    check_page(page, "Réaffecter")
    page.get_by_label(label("Conseiller d'origine")).select_option(label="Claire Fontaine")
    page.get_by_role("button", name="Voir ses bénéficiaires").click()
    check_page(page, "Réaffecter")
    choose(page.get_by_label("Lina Camara"))  # the keyboard: the DSFR label covers the box
    page.get_by_label(label("Nouveau conseiller")).select_option(label="Karim Benali")
    choose(page.get_by_label(label("Temporaire")))
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", name="Confirmer la réaffectation")).to_be_visible()
    check_page(page, "Réaffecter")
    page.get_by_role("button", name="Confirmer la réaffectation").click()
    expect(page.get_by_text("temporairement suivi par Karim Benali")).to_be_visible()

    lina.refresh_from_db()
    assert (lina.counselor, lina.initial_counselor) == (colleague, counselor)

    temporary = signed_in(new_page, live_server, colleague.user)
    expect(temporary.get_by_text("Suivi temporaire")).to_be_visible()
    check_page(temporary, "Portefeuille")

    mine = signed_in(new_page, live_server, counselor.user)
    expect(mine.get_by_role("heading", name="Bénéficiaires confiés temporairement")).to_be_visible()
    check_page(mine, "Portefeuille")
    mine.get_by_role("button", name="Reprendre Lina Camara").click()
    expect(mine.get_by_text("Vous suivez de nouveau Lina Camara.")).to_be_visible()
    check_page(mine, "Portefeuille")
    assert YoungPerson.objects.get(pk=lina.pk).counselor == counselor
