"""The counselor's portfolio at 1280 px: filter by risk, sort by inactivity, open a file.
axe-core checks every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passemploi.portfolio.risk import refresh_risks
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, CounselorFactory, ParticipationFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_filter_sort_and_open_a_file(live_server, new_page):
    counselor = CounselorFactory(user__first_name="Claire", user__last_name="Fontaine")
    now = timezone.now()
    YoungPersonFactory(
        counselor=counselor, user__first_name="Ana", user__last_name="Aubry", user__last_login=now
    )
    silent = YoungPersonFactory(
        counselor=counselor,
        user__first_name="Lina",
        user__last_name="Camara",
        user__last_login=now - timedelta(days=21),
        user__date_joined=now - timedelta(days=60),
    )
    longest = YoungPersonFactory(
        counselor=counselor,
        user__first_name="Zoé",
        user__last_name="Grondin",
        user__last_login=now - timedelta(days=30),
        user__date_joined=now - timedelta(days=60),
    )
    for young_person in (silent, longest):
        ParticipationFactory(
            young_person=young_person,
            appointment__counselor=counselor,
            appointment__starts_at=now - timedelta(days=3),
            attendance="absent",
        )
    refresh_risks()

    page = new_page("desktop")
    assert page.viewport_size["width"] == 1280
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, counselor.user.email, PASSWORD)
    check_page(page, "Portefeuille")
    page.get_by_label(label("Risque de décrochage")).select_option(label="Élevé")
    page.get_by_label(label("Trier par")).select_option(label="Inactivité la plus longue")
    page.get_by_role("button", name="Appliquer").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)  # Ana Aubry, active, is low
    expect(rows.first).to_contain_text("GRONDIN Zoé")  # inactive for longest
    expect(rows.nth(1)).to_contain_text("CAMARA Lina")
    expect(rows.nth(1)).to_contain_text("Aucune connexion depuis 21 jours")
    check_page(page, "Portefeuille")
    page.get_by_role("link", name="CAMARA Lina").click()
    expect(page.get_by_role("heading", name="CAMARA Lina")).to_be_visible()
    expect(page.get_by_text("1 rendez-vous manqué en 4 semaines")).to_be_visible()
    check_page(page, "Dossier de Lina Camara")
