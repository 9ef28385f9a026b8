"""Each answer that must not sign anyone in: refused with a clear French page, logged as a
security event, nothing created."""

import html
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from passemploi.audit.models import AuditEvent, AuditKind
from passemploi.sso import jose
from passemploi.sso.models import SsoIdentity
from tests.sso.conftest import authorize, sign_in
from tests.sso.provider import Key

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(op, counselor):
    op.next_claims = {"sub": "agent-1", "email": counselor.user.email, "email_verified": True}
    return counselor


def refused(response, reason: str, status: int = 400) -> str:
    assert response.status_code == status, response.content[:500]
    assert "_auth_user_id" not in response.wsgi_request.session
    assert not SsoIdentity.objects.exists()
    event = AuditEvent.objects.filter(kind=AuditKind.SSO_FAILED).latest("at")
    assert event.details["reason"] == reason
    return html.unescape(response.content.decode())


def test_tampered_state(known):
    client = Client()
    callback = urlsplit(authorize(client))
    query = parse_qs(callback.query)
    query["state"] = ["etat-falsifie"]
    page = refused(client.get(f"{callback.path}?{urlencode(query, doseq=True)}"), "bad_state")
    assert "inconnue ou a expiré" in page


def test_replayed_callback(known):
    client = Client()
    callback = authorize(client)
    assert client.get(callback).status_code == 302
    # The same answer again (the state is used once, even in the browser that started it).
    response = client.get(callback)
    assert response.status_code == 400
    event = AuditEvent.objects.filter(kind=AuditKind.SSO_FAILED).latest("at")
    assert event.details["reason"] == "bad_state"


def test_state_of_another_browser(known):
    callback = authorize(Client())
    refused(Client().get(callback), "bad_state")


def test_wrong_nonce(op, known):
    op.id_token_overrides = {"nonce": "autre-nonce"}
    page = refused(sign_in(Client()), "bad_nonce")
    assert "n'a pas pu être vérifiée" in page


def test_signature_by_another_key_with_the_same_kid(op, known):
    op.sign_with = Key("key-1")  # same kid as the published key, different secret
    refused(sign_in(Client()), "bad_signature")


def test_unsigned_token(op, known, monkeypatch):
    """alg "none" is never accepted (the provider's own signer is wrapped, not replaced)."""
    original = op.sign_with.sign

    def unsigned(payload, alg="RS256"):
        header, body, _ = original(payload).split(".")
        none_header = jose.b64encode(b'{"alg":"none","kid":"key-1"}')
        return f"{none_header}.{body}."

    monkeypatch.setattr(op.sign_with, "sign", unsigned)
    refused(sign_in(Client()), "bad_algorithm")


def test_expired_token(op, known):
    op.id_token_overrides = {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000}
    refused(sign_in(Client()), "expired")


def test_other_audience_and_issuer(op, known):
    op.id_token_overrides = {"aud": "un-autre-client"}
    refused(sign_in(Client()), "bad_audience")
    op.id_token_overrides = {"iss": "https://faux.example"}
    refused(sign_in(Client()), "bad_issuer")


def test_key_rotation_refetches_the_key_set_once(op, known):
    client = Client()
    assert sign_in(client).status_code == 302
    assert op.jwks_requests == 1
    op.rotate()  # the provider signs with a new key, unknown to the cached set
    other = Client()
    assert sign_in(other).status_code == 302
    assert other.session["_auth_user_id"] == str(known.user.pk)
    assert op.jwks_requests == 2


def test_key_never_published(op, known):
    op.sign_with = Key("cle-inconnue")
    refused(sign_in(Client()), "unknown_key")
    assert op.jwks_requests == 2  # the cached set, then one refetch


def test_provider_error_response(op, known):
    op.authorize_error = "access_denied"
    page = refused(sign_in(Client()), "provider_error")
    assert "annulée ou refusée" in page


def test_unverified_email(op, known):
    op.next_claims["email_verified"] = False
    page = refused(sign_in(Client()), "email_unverified", status=403)
    assert "n'a pas vérifié votre adresse e-mail" in page


def test_missing_email_verified_when_the_provider_is_not_trusted(op, known, settings):
    settings.SSO_PROVIDERS["proconnect"]["email_trusted"] = False
    del op.next_claims["email_verified"]
    refused(sign_in(Client()), "email_unverified", status=403)


def test_insufficient_acr(op, known, settings):
    settings.SSO_PROVIDERS["proconnect"]["acr_values"] = "eidas2"
    refused(sign_in(Client()), "insufficient_acr")


def test_unreachable_provider_and_password_still_works(op, known, settings, password):
    settings.SSO_PROVIDERS["proconnect"]["discovery_url"] = "http://127.0.0.1:9/.well-known/x"
    settings.SSO_TIMEOUT_SECONDS = 1
    client = Client()
    started = time.monotonic()
    response = client.post(reverse("sso:start", args=["proconnect"]))
    assert time.monotonic() - started < 3
    assert response.status_code == 502
    assert "ne répond pas" in response.content.decode()
    assert AuditEvent.objects.filter(
        kind=AuditKind.SSO_FAILED, details__reason="provider_unreachable"
    ).exists()
    login = client.post(
        reverse("accounts:login"), {"username": known.user.email, "password": password}
    )
    assert login.status_code == 302


def test_unconfigured_provider_has_no_button_and_no_route(op, client, settings):
    settings.SSO_PROVIDERS = {
        "proconnect": {"discovery_url": "", "client_id": ""},
        "franceconnect": op.settings(),
    }
    page = client.get(reverse("accounts:login")).content.decode()
    assert "FranceConnect" in page and "ProConnect" not in page
    assert client.post(reverse("sso:start", args=["proconnect"])).status_code == 404
    assert client.post(reverse("sso:start", args=["inconnu"])).status_code == 404


def test_start_is_a_post(op, client):
    assert client.get(reverse("sso:start", args=["proconnect"])).status_code == 405
