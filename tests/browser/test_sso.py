"""Federated sign-in in Chromium against the local OpenID Connect provider (tests/sso): the
ProConnect button, the unknown-account page, FranceConnect for a young person, and the
sign-out that ends the provider's session too."""

import re

import pytest
from playwright.sync_api import expect

from passemploi.sso import providers
from passemploi.sso.models import SsoIdentity
from tests.browser.conftest import check_page
from tests.factories import CounselorFactory, YoungPersonFactory
from tests.sso.provider import Provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def _server():
    server = Provider()
    yield server
    server.stop()


@pytest.fixture
def op(_server, settings):
    settings.SSO_PROVIDERS = {
        "proconnect": _server.settings(),
        "franceconnect": _server.settings(),
        "ft_connect": _server.settings(),
    }
    # What config/settings/base.py does for providers configured from the environment.
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], _server.issuer],
    }
    providers.clear_cache()
    _server.logouts.clear()
    yield _server
    providers.clear_cache()


def press(page, brand: str) -> None:
    page.locator(".fr-connect", has_text=brand).click()


def test_counselor_signs_in_with_proconnect_and_out_of_both(live_server, desktop_page, op):
    counselor = CounselorFactory(user__first_name="Clara")
    op.next_claims = {"sub": "agent-1", "email": counselor.user.email, "email_verified": True}
    page = desktop_page
    page.goto(f"{live_server.url}/connexion/")
    expect(
        page.get_by_role("button", name=re.compile("S’identifier avec ProConnect"))
    ).to_be_visible()
    check_page(page, "Connexion")

    press(page, "ProConnect")
    page.wait_for_url(re.compile(r"/conseiller/"))
    assert SsoIdentity.objects.filter(user=counselor.user, provider="proconnect").exists()

    page.get_by_role("button", name=re.compile("Se déconnecter")).first.click()
    page.wait_for_url(re.compile(r"/connexion/"))
    assert len(op.logouts) == 1 and op.logouts[0]["id_token_hint"]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_unknown_counselor_sees_how_to_get_access(live_server, new_page, op, db, device):
    op.next_claims = {"sub": "agent-2", "email": "inconnue@agents.gouv.fr", "email_verified": True}
    page = new_page(device)
    page.goto(f"{live_server.url}/connexion/")
    check_page(page, "Connexion")
    press(page, "ProConnect")
    expect(page.get_by_role("heading", level=1)).to_contain_text("pas encore de compte")
    expect(page.get_by_text("inconnue@agents.gouv.fr")).to_be_visible()
    check_page(page, "Aucun compte Pass Emploi")


def test_young_person_signs_in_with_franceconnect(live_server, phone_page, op):
    young_person = YoungPersonFactory()
    op.next_claims = {"sub": "fc-1", "email": young_person.user.email, "email_verified": True}
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    press(page, "FranceConnect")
    page.wait_for_url(re.compile(r"/app/"))
    assert SsoIdentity.objects.filter(user=young_person.user, provider="franceconnect").exists()
