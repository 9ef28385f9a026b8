"""The native apps' endpoint: the app runs the authorization request with its own PKCE
verifier and nonce against the local provider, and trades the code here for app tokens."""

import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.test import Client

from passemploi.audit.models import AuditEvent, AuditKind
from passemploi.sso import jose
from passemploi.sso.models import SsoIdentity
from tests.sso.provider import CLIENT_ID

pytestmark = pytest.mark.django_db

APP_REDIRECT = "fr.passemploi.app:/oidc"
URL = "/api/v1/auth/oidc/{}/token"


def app_authorize(op, nonce: str, verifier: str) -> str:
    query = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": APP_REDIRECT,
        "scope": "openid email",
        "state": secrets.token_urlsafe(8),
        "nonce": nonce,
        "code_challenge": jose.b64encode(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    answer = requests.get(
        f"{op.issuer}/authorize?{urlencode(query)}", allow_redirects=False, timeout=5
    )
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]


def exchange(op, provider="proconnect", **changes):
    nonce, verifier = secrets.token_urlsafe(16), secrets.token_urlsafe(48)
    body = {
        "code": app_authorize(op, nonce, verifier),
        "code_verifier": verifier,
        "redirect_uri": APP_REDIRECT,
        "nonce": nonce,
        **changes,
    }
    return Client().post(URL.format(provider), body, content_type="application/json")


def test_counselor_gets_app_tokens(op, counselor):
    op.next_claims = {"sub": "agent-1", "email": counselor.user.email, "email_verified": True}
    response = exchange(op)
    assert response.status_code == 200, response.json()
    access = response.json()["access_token"]
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {access}"})
    assert me.status_code == 200
    assert SsoIdentity.objects.get(provider="proconnect").user == counselor.user
    assert AuditEvent.objects.filter(kind=AuditKind.TOKEN_ISSUED, actor_id=counselor.user.pk)


def test_young_person_gets_app_tokens(op, young_person):
    op.next_claims = {"sub": "fc-1", "email": young_person.user.email, "email_verified": True}
    assert exchange(op, "franceconnect").status_code == 200


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"code_verifier": "v" * 43}, 400, "token_refused"),
        ({"nonce": "un-autre-nonce-de-test"}, 400, "bad_nonce"),
        ({"redirect_uri": "https://ailleurs.example/retour"}, 400, "token_refused"),
    ],
)
def test_refused_exchanges(op, counselor, changes, status, code):
    op.next_claims = {"sub": "agent-1", "email": counselor.user.email, "email_verified": True}
    response = exchange(op, **changes)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not SsoIdentity.objects.exists()
    event = AuditEvent.objects.get(kind=AuditKind.SSO_FAILED)
    assert event.details["reason"] == code and event.details["client"] == "api"


def test_unknown_account(op, db):
    op.next_claims = {"sub": "x", "email": "personne@agents.gouv.fr", "email_verified": True}
    response = exchange(op)
    assert response.status_code == 403
    assert response.json()["code"] == "unknown_account"


def test_unconfigured_provider(op, db):
    response = Client().post(
        URL.format("ft_connect"),
        {"code": "c", "code_verifier": "v" * 43, "redirect_uri": "x", "nonce": "n" * 16},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
