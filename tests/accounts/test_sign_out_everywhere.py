"""« Se déconnecter de tous les appareils »: every session and app token ends, for the user
themself or by support; each time in the audit log."""

import time

from django.test import Client

from passemploi.accounts import services, tokens
from passemploi.accounts.middleware import LOGIN_AT_KEY
from passemploi.audit.models import AuditEvent, AuditKind
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.helpers import redirect_path, text

EVERYWHERE = "/compte/deconnexion-partout/"


def me(token):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_every_device_and_token_is_signed_out(young_person):
    phone, laptop = client_for(young_person.user), client_for(young_person.user)
    pair = tokens.issue_token_pair(young_person.user)
    assert laptop.get("/app/").status_code in (200, 302)
    response = phone.post(EVERYWHERE)
    assert redirect_path(response) == "/connexion/"
    assert "Vous êtes déconnecté de tous vos appareils." in text(phone.get("/connexion/"))
    on_laptop = laptop.get("/app/profil/")
    assert redirect_path(on_laptop) == "/connexion/"
    assert "Vous avez été déconnecté de tous vos appareils." in text(
        laptop.get(on_laptop["Location"])
    )
    assert me(pair["access_token"]) == 401
    event = AuditEvent.objects.get(kind=AuditKind.SESSIONS_REVOKED)
    assert event.actor_id == young_person.user.pk
    assert event.details == {"by_support": False}


def test_signing_in_again_afterwards_works(young_person):
    services.sign_out_everywhere(young_person.user)
    time.sleep(0.01)
    client = client_for(young_person.user)
    assert client.session[LOGIN_AT_KEY] > young_person.user.sessions_valid_after.timestamp()
    assert client.get("/app/profil/").status_code == 200
    fresh = tokens.issue_token_pair(young_person.user)["access_token"]
    assert me(fresh) == 200


def test_only_by_post(young_client):
    assert young_client.get(EVERYWHERE).status_code == 405


def test_support_signs_a_user_out_from_the_admin(counselor):
    support = UserFactory(is_staff=True, is_superuser=True)
    victim_device = client_for(counselor.user)
    admin = client_for(support)
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "sign_out_everywhere", "_selected_action": [str(counselor.user.pk)]},
    )
    assert response.status_code == 302
    assert redirect_path(victim_device.get("/conseiller/")) == "/connexion/"
    event = AuditEvent.objects.get(kind=AuditKind.SESSIONS_REVOKED)
    assert (event.actor_id, event.target_id) == (support.pk, str(counselor.user.pk))
    assert event.details == {"by_support": True}
