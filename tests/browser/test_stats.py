"""The public statistics page and the impact dashboard in a real browser: axe finds nothing, on
a phone and on a desktop; the data tables open without any script of ours."""

import pytest
from playwright.sync_api import expect

from passemploi.stats import demo, services
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import sign_in
from tests.factories import PASSWORD, CounselorFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def history(transactional_db):
    demo.seed_history()
    services.aggregate_weeks()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_public_stats_page(live_server, new_page, history, device):
    page = new_page(device)
    page.goto(f"{live_server.url}/stats/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statistiques d'usage")
    expect(page.get_by_role("img", name="Engagement des jeunes")).to_be_visible()
    page.get_by_text("Voir les données du graphique « Engagement des jeunes »").click()
    expect(page.get_by_role("table", name="Engagement des jeunes")).to_be_visible()
    check_page(page, "Statistiques d'usage")


def test_impact_dashboard(live_server, new_page, history):
    supervisor = CounselorFactory(supervisor=True)
    page = new_page("desktop")
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, supervisor.user.email, PASSWORD)
    page.goto(f"{live_server.url}/conseiller/pilotage/impact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mesures d'impact")
    check_page(page, "Mesures d'impact")
