"""Two-factor authentication: the two-step sign-in, enrolment, support staff, the API."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from passemploi.audit.models import AuditEvent, AuditKind
from passemploi.mfa import services
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory
from tests.helpers import redirect_path, text

LOGIN = "/connexion/"
VERIFY = "/connexion/code/"
ENROL = "/connexion/double-authentification/"
SECURITY = "/compte/securite/"


def code_for(device, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - offset * device.step):06d}"


def enabled_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def sign_in(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


class TestTwoStepSignIn:
    def test_password_alone_does_not_sign_in(self, counselor):
        device = enabled_device(counselor.user)
        client = Client()
        response = sign_in(client, counselor.user, "/conseiller/messagerie/")
        assert redirect_path(response) == VERIFY
        assert not signed_in(client)
        assert redirect_path(client.get("/conseiller/")) == LOGIN
        done = client.post(VERIFY, {"code": code_for(device)})
        assert redirect_path(done) == "/conseiller/messagerie/"
        assert signed_in(client)
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    def test_wrong_code_keeps_the_user_out_then_throttles(self, counselor):
        device = enabled_device(counselor.user)
        client = Client()
        sign_in(client, counselor.user)
        wrong = client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "1"})
        assert wrong.status_code == 200
        assert "Ce code est incorrect ou expiré." in text(wrong)
        assert not signed_in(client)
        again = client.post(VERIFY, {"code": code_for(device)})
        # One failure asks for a pause of a second before the next try.
        assert "Trop de codes incorrects" in text(again)
        device.refresh_from_db()
        device.throttling_failure_timestamp = None
        device.save()
        assert redirect_path(client.post(VERIFY, {"code": code_for(device)})) == "/"

    def test_a_code_is_accepted_only_once(self, counselor):
        device = enabled_device(counselor.user)
        code = code_for(device)
        first = Client()
        sign_in(first, counselor.user)
        first.post(VERIFY, {"code": code})
        assert signed_in(first)
        second = Client()
        sign_in(second, counselor.user)
        assert "incorrect" in text(second.post(VERIFY, {"code": code}))
        assert not signed_in(second)

    def test_pending_sign_in_expires(self, counselor, monkeypatch):
        device = enabled_device(counselor.user)
        client = Client()
        sign_in(client, counselor.user)
        monkeypatch.setattr(services.time, "time", lambda: time.time_ns() / 1e9 + 301)
        response = client.post(VERIFY, {"code": code_for(device)})
        assert redirect_path(response) == LOGIN
        assert not signed_in(client)

    def test_code_page_without_a_pending_sign_in(self, db):
        assert redirect_path(Client().get(VERIFY)) == LOGIN

    def test_counselor_without_device_signs_in_with_the_password(self, counselor):
        client = Client()
        assert redirect_path(sign_in(client, counselor.user)) == "/"
        assert signed_in(client)


class TestSupportStaff:
    def test_staff_without_device_must_enrol_before_signing_in(self, db):
        staff = UserFactory(is_staff=True, is_superuser=True)
        client = Client()
        assert redirect_path(sign_in(client, staff, "/admin/")) == ENROL
        page = client.get(ENROL)
        assert "<svg" in page.content.decode()
        device = TOTPDevice.objects.get(user=staff, confirmed=False)
        assert not signed_in(client)
        response = client.post(ENROL, {"code": code_for(device)})
        assert redirect_path(response) == "/admin/"
        assert client.get("/admin/").status_code == 200
        assert AuditEvent.objects.filter(kind=AuditKind.TWO_FACTOR_CHANGED).count() == 1

    def test_admin_refuses_a_staff_session_that_skipped_the_second_factor(self, db):
        staff = UserFactory(is_staff=True, is_superuser=True)
        client = Client()
        client.force_login(staff)
        assert redirect_path(client.get("/admin/")) == "/admin/login/"
        assert redirect_path(client.get("/admin/login/")) == SECURITY

    def test_staff_cannot_turn_it_off(self, db):
        staff = UserFactory(is_staff=True)
        client = client_for(staff)
        device = TOTPDevice.objects.get(user=staff)
        response = client.post(SECURITY, {"code": code_for(device)})
        assert "Le support doit garder la double authentification." in text(response)
        assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


class TestSecurityPage:
    def test_counselor_turns_it_on_then_off(self, counselor_client, counselor):
        page = counselor_client.get(SECURITY)
        assert "Désactivée" in text(page)
        setup = TOTPDevice.objects.get(user=counselor.user, confirmed=False)
        bad = counselor_client.post(SECURITY, {"code": "12"})
        assert "incorrect" in text(bad)
        assert not services.device_of(counselor.user)
        setup.refresh_from_db()
        setup.throttling_failure_timestamp = None
        setup.save()
        assert redirect_path(counselor_client.post(SECURITY, {"code": code_for(setup)})) == (
            SECURITY
        )
        device = services.device_of(counselor.user)
        assert device.pk == setup.pk
        assert "Activée" in text(counselor_client.get(SECURITY))
        counselor_client.post(SECURITY, {"code": code_for(device, offset=1)})
        assert services.device_of(counselor.user) is None
        changes = AuditEvent.objects.filter(kind=AuditKind.TWO_FACTOR_CHANGED)
        assert sorted(e.details["change"] for e in changes) == ["disabled", "enabled"]

    def test_young_people_do_not_get_the_page(self, young_client):
        assert young_client.get(SECURITY).status_code == 403

    def test_anonymous_goes_to_login(self, client, db):
        assert redirect_path(client.get(SECURITY)) == LOGIN


class TestApi:
    def token(self, user, **extra):
        return Client().post(
            "/api/v1/auth/token",
            {"email": user.email, "password": PASSWORD, **extra},
            content_type="application/json",
        )

    def test_code_required_then_accepted(self, counselor):
        device = enabled_device(counselor.user)
        missing = self.token(counselor.user)
        assert (missing.status_code, missing.json()["code"]) == (401, "otp_required")
        wrong = self.token(counselor.user, otp_code="abc")
        assert (wrong.status_code, wrong.json()["code"]) == (401, "otp_invalid")
        assert wrong.json()["fields"] == {"otp_code": ["Ce code est incorrect ou expiré."]}
        device.refresh_from_db()
        device.throttling_failure_timestamp = None
        device.save()
        assert self.token(counselor.user, otp_code=code_for(device)).status_code == 200

    def test_staff_without_device_is_told_to_set_it_up(self, db):
        staff = UserFactory(is_staff=True)
        response = self.token(staff)
        assert (response.status_code, response.json()["code"]) == (403, "otp_setup_required")

    def test_young_person_unaffected(self, young_person):
        assert self.token(young_person.user).status_code == 200


@pytest.mark.parametrize("path", [VERIFY, ENROL])
def test_pages_need_a_pending_sign_in(client, db, path):
    assert redirect_path(client.get(path)) == LOGIN
