"""Sign-in through the local OpenID Connect provider: account matching and linking rules for
counselors (ProConnect) and young people (FranceConnect), and the sign-out of both sessions."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from passemploi.audit.models import AuditEvent, AuditKind
from passemploi.sso import jose
from passemploi.sso.models import SsoIdentity
from passemploi.sso.services import SESSION_KEY
from tests.conftest import client_for
from tests.factories import UserFactory, YoungPersonFactory
from tests.sso.conftest import sign_in
from tests.sso.provider import CLIENT_ID

pytestmark = pytest.mark.django_db


def signed_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_counselor_signs_in_matched_on_verified_email_then_on_sub(op, counselor):
    op.next_claims = {
        "sub": "agent-42",
        "email": counselor.user.email.upper(),
        "email_verified": True,
    }
    client = Client()
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert signed_in_as(client) == str(counselor.user.pk)
    identity = SsoIdentity.objects.get(provider="proconnect", sub="agent-42")
    assert identity.user == counselor.user and identity.last_login_at is not None
    # The token request proved the PKCE verifier (the provider refuses it otherwise).
    assert op.token_requests[-1]["code_verifier"]
    assert AuditEvent.objects.filter(
        kind=AuditKind.LOGIN_SUCCEEDED, actor_id=counselor.user.pk
    ).exists()

    # Linked: the sub alone finds the account, whatever email the provider sends now.
    op.next_claims = {"sub": "agent-42", "email": "nouvelle@agents.gouv.fr"}
    other = Client()
    assert sign_in(other).status_code == 302
    assert signed_in_as(other) == str(counselor.user.pk)
    assert SsoIdentity.objects.count() == 1


def test_counselor_with_totp_skips_the_second_step(op, counselor):
    TOTPDevice.objects.create(user=counselor.user, name="app", confirmed=True)
    op.next_claims = {"sub": "agent-1", "email": counselor.user.email, "email_verified": True}
    client = Client()
    sign_in(client)
    assert signed_in_as(client) == str(counselor.user.pk)
    assert "mfa_pending" not in client.session


def test_signed_userinfo_is_verified(op, counselor):
    """ProConnect answers userinfo as a signed JWT."""
    op.userinfo_as_jwt = True
    op.next_claims = {"sub": "agent-7", "email": counselor.user.email}
    client = Client()
    assert sign_in(client).status_code == 302
    assert signed_in_as(client) == str(counselor.user.pk)


def test_unknown_counselor_email_gets_the_access_page_and_no_account(op, counselor):
    op.next_claims = {"sub": "agent-9", "email": "inconnu@agents.gouv.fr", "email_verified": True}
    users = type(counselor.user).objects.count()
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Vous n’avez pas encore de compte Pass Emploi" in page
    assert "créer votre compte conseiller" in page and "inconnu@agents.gouv.fr" in page
    assert signed_in_as(client) is None
    assert type(counselor.user).objects.count() == users
    assert not SsoIdentity.objects.exists()
    event = AuditEvent.objects.get(kind=AuditKind.SSO_FAILED)
    assert event.details == {"provider": "proconnect", "reason": "unknown_account"}


def test_a_young_persons_email_does_not_open_proconnect(op, young_person):
    op.next_claims = {"sub": "x", "email": young_person.user.email, "email_verified": True}
    response = sign_in(Client())
    assert response.status_code == 403
    assert not SsoIdentity.objects.exists()


def test_staff_never_sign_in_through_a_provider(op, counselor):
    counselor.user.is_staff = True
    counselor.user.save()
    op.next_claims = {"sub": "staff", "email": counselor.user.email, "email_verified": True}
    client = Client()
    response = sign_in(client)
    assert response.status_code == 403 and signed_in_as(client) is None
    assert "support" in response.content.decode()


def test_young_person_signs_in_with_franceconnect_and_is_linked(op, young_person):
    op.next_claims = {"sub": "fc-1", "email": young_person.user.email, "email_verified": True}
    client = Client()
    assert sign_in(client, "franceconnect").status_code == 302
    assert signed_in_as(client) == str(young_person.user.pk)
    assert SsoIdentity.objects.get(provider="franceconnect").sub == "fc-1"
    # The counselor's providers do not serve young people, and the reverse.
    op.next_claims = {"sub": "fc-1", "email": young_person.user.email, "email_verified": True}
    assert sign_in(Client(), "proconnect").status_code == 403


def test_unknown_young_person_is_told_to_ask_their_counselor(op, db):
    op.next_claims = {"sub": "fc-2", "email": "jeune@exemple.fr", "email_verified": True}
    response = sign_in(Client(), "franceconnect")
    assert response.status_code == 403
    assert "Demandez à votre conseiller de créer votre compte" in response.content.decode()


def test_young_person_not_activated_is_refused(op, counselor):
    young = YoungPersonFactory(counselor=counselor, user=UserFactory(not_activated=True))
    op.next_claims = {"sub": "fc-3", "email": young.user.email, "email_verified": True}
    client = Client()
    response = sign_in(client, "franceconnect")
    assert response.status_code == 403 and signed_in_as(client) is None
    assert "lien d&#x27;activation" in response.content.decode()
    assert not SsoIdentity.objects.exists()


def test_a_second_sub_for_a_linked_account_is_refused(op, counselor):
    SsoIdentity.objects.create(user=counselor.user, provider="proconnect", sub="first")
    op.next_claims = {"sub": "second", "email": counselor.user.email, "email_verified": True}
    response = sign_in(Client())
    assert response.status_code == 403
    assert "déjà lié" in response.content.decode()


def test_logout_ends_the_provider_session_with_id_token_hint(op, counselor):
    op.next_claims = {"sub": "agent-5", "email": counselor.user.email, "email_verified": True}
    client = Client()
    sign_in(client)
    id_token = client.session[SESSION_KEY]["id_token"]
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.netloc == urlsplit(op.issuer).netloc and target.path == "/end_session"
    assert parse_qs(target.query)["id_token_hint"] == [id_token]
    assert signed_in_as(client) is None
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert op.logouts[-1]["id_token_hint"] == id_token
    assert urlsplit(back.headers["Location"]).path == reverse("accounts:login")
    # The hint is the ID token this client received.
    assert jose.split(id_token)[1]["aud"] == CLIENT_ID


def test_password_sign_out_stays_local(op, counselor_client):
    response = counselor_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "end_session" not in response["Location"]
    assert op.logouts == []


def test_linked_identities_are_shown_to_their_owner(db, counselor, young_person):
    SsoIdentity.objects.create(user=counselor.user, provider="proconnect", sub="a")
    SsoIdentity.objects.create(user=young_person.user, provider="franceconnect", sub="b")
    page = client_for(counselor.user).get(reverse("mfa:security")).content.decode()
    assert "Connexion fédérée" in page and "ProConnect" in page
    page = client_for(young_person.user).get(reverse("youth:profile")).content.decode()
    assert "Connexion fédérée" in page and "FranceConnect" in page


def test_support_sees_and_unlinks_an_identity_in_the_admin(db, counselor):
    identity = SsoIdentity.objects.create(user=counselor.user, provider="proconnect", sub="a")
    staff = client_for(UserFactory(is_staff=True, is_superuser=True))
    changelist = staff.get(reverse("admin:sso_ssoidentity_changelist"))
    assert changelist.status_code == 200 and counselor.user.email in changelist.content.decode()
    response = staff.post(
        reverse("admin:sso_ssoidentity_delete", args=[identity.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not SsoIdentity.objects.exists()
