"""The security audit log: what is recorded, that it holds no secret, and that it cannot be
rewritten."""

import datetime as dt
import json

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from passemploi.accounts import services as account_services
from passemploi.accounts.enums import Scheme
from passemploi.audit import services as audit
from passemploi.audit.models import AuditEvent, AuditKind
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory
from tests.helpers import activation_token

LOGIN = "/connexion/"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's"
)


def kinds():
    return list(AuditEvent.objects.order_by("at", "id").values_list("kind", flat=True))


class TestSignIn:
    def test_success_records_actor_ip_and_browser(self, young_person):
        Client(HTTP_USER_AGENT="Mozilla/5.0 test").post(
            LOGIN, {"username": young_person.user.email, "password": PASSWORD}
        )
        event = AuditEvent.objects.get(kind=AuditKind.LOGIN_SUCCEEDED)
        assert event.actor_id == young_person.user.pk
        assert event.actor_label == young_person.user.email
        assert event.ip == "127.0.0.1"
        assert event.user_agent == "Mozilla/5.0 test"

    def test_failure_records_the_attempted_email_never_the_password(self, young_person):
        Client().post(LOGIN, {"username": young_person.user.email, "password": "Mauvais-secret-42"})
        event = AuditEvent.objects.get(kind=AuditKind.LOGIN_FAILED)
        assert event.actor_id is None
        assert event.actor_label == young_person.user.email
        row = json.dumps(list(AuditEvent.objects.values()), default=str)
        assert "Mauvais-secret-42" not in row

    def test_sign_out_is_recorded(self, young_person):
        client = client_for(young_person.user)
        client.post("/deconnexion/")
        assert AuditKind.LOGOUT in kinds()


class TestApiTokens:
    def _pair(self, user):
        response = Client().post(
            "/api/v1/auth/token",
            {"email": user.email, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200
        return response.json()

    def test_issue_revoke_and_reuse(self, young_person):
        pair = self._pair(young_person.user)
        assert kinds() == [AuditKind.TOKEN_ISSUED]
        api = Client()
        first = api.post(
            "/api/v1/auth/refresh",
            {"refresh_token": pair["refresh_token"]},
            content_type="application/json",
        )
        assert first.status_code == 200
        replay = api.post(
            "/api/v1/auth/refresh",
            {"refresh_token": pair["refresh_token"]},
            content_type="application/json",
        )
        assert replay.status_code == 401
        reuse = AuditEvent.objects.get(kind=AuditKind.TOKEN_REUSE)
        assert reuse.actor_id == young_person.user.pk
        api.post(
            "/api/v1/auth/revoke",
            {"token": first.json()["access_token"]},
            content_type="application/json",
        )
        assert kinds()[-1] == AuditKind.TOKEN_REVOKED
        assert pair["refresh_token"] not in json.dumps(
            list(AuditEvent.objects.values()), default=str
        )


class TestPasswords:
    def test_activation_records_a_password_change(
        self, counselor, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            young_person = account_services.create_young_person(
                counselor=counselor,
                first_name="Inès",
                last_name="Diallo",
                email="ines.diallo@exemple.fr",
                scheme=Scheme.CEJ,
            )
        account_services.activate_account(activation_token(), "Un-mot-de-passe-solide-2026")
        event = AuditEvent.objects.get(kind=AuditKind.PASSWORD_CHANGED)
        assert event.actor_id == young_person.user.pk
        assert event.details == {"via": "activation"}

    def test_argon2_is_the_production_hasher(self, settings):
        from config.settings import base

        settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
        assert identify_hasher(make_password("Un-mot-de-passe-solide-2026")).algorithm == "argon2"


class TestAppendOnly:
    def test_a_saved_row_cannot_be_saved_again_or_deleted(self, db):
        event = audit.record(AuditKind.SSO_FAILED, actor_label="x@exemple.fr")
        event.details = {"changed": True}
        with pytest.raises(ValueError):
            event.save()
        with pytest.raises(ValueError):
            event.delete()

    @postgres_only
    def test_the_database_refuses_updates_and_early_deletes(self, db):
        event = audit.record(AuditKind.SSO_FAILED, actor_label="x@exemple.fr")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone@else.fr")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
        assert AuditEvent.objects.get(pk=event.pk).actor_label == "x@exemple.fr"

    def test_purge_removes_only_rows_past_one_year(self, db):
        now = timezone.now()
        old = AuditEvent.objects.create(
            kind=AuditKind.LOGOUT, at=now - dt.timedelta(days=366), actor_label="old"
        )
        kept = AuditEvent.objects.create(
            kind=AuditKind.LOGOUT, at=now - dt.timedelta(days=364), actor_label="kept"
        )
        assert audit.purge_expired(now) == 1
        assert not AuditEvent.objects.filter(pk=old.pk).exists()
        assert AuditEvent.objects.filter(pk=kept.pk).exists()

    def test_long_or_odd_details_are_clipped_to_text(self, db):
        event = audit.record(AuditKind.DATA_EXPORT, reason="x" * 500, count=3, obj=object())
        assert len(event.details["reason"]) == audit.MAX_DETAIL
        assert event.details["count"] == 3
        assert isinstance(event.details["obj"], str)


class TestAdmin:
    @pytest.fixture
    def support(self, db):
        return client_for(UserFactory(is_staff=True, is_superuser=True))

    def test_support_reads_and_filters(self, support, young_person):
        audit.record(AuditKind.ARCHIVED, actor=young_person.counselor.user, target=young_person)
        audit.record(AuditKind.LOGIN_FAILED, actor_label="intrus@exemple.fr")
        page = support.get("/admin/audit/auditevent/?kind__exact=archived")
        assert page.status_code == 200
        html = page.content.decode()
        assert str(young_person.pk) in html
        assert "intrus@exemple.fr" not in html

    def test_nobody_adds_edits_or_deletes_through_the_admin(self, support, db):
        event = audit.record(AuditKind.LOGOUT, actor_label="a@exemple.fr")
        assert support.get("/admin/audit/auditevent/add/").status_code == 403
        change = support.post(
            f"/admin/audit/auditevent/{event.pk}/change/", {"actor_label": "b@exemple.fr"}
        )
        assert change.status_code == 403
        assert support.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
        assert AuditEvent.objects.get(pk=event.pk).actor_label == "a@exemple.fr"

    def test_counselors_cannot_read_it(self, counselor):
        response = client_for(counselor.user).get("/admin/audit/auditevent/")
        assert response.status_code in (302, 403)


def test_browser_features_are_switched_off(client, db):
    policy = client.get(LOGIN)["Permissions-Policy"]
    assert "camera=()" in policy
    assert "microphone=()" in policy
    assert "geolocation=(self)" in policy


class TestFileEvents:
    def test_reassignment_archive_and_restore_are_logged(self, supervisor, counselor, young_person):
        from passemploi.portfolio import services as portfolio
        from passemploi.portfolio.enums import ArchiveReason
        from tests.factories import CounselorFactory

        colleague = CounselorFactory(structure=counselor.structure)
        portfolio.reassign(supervisor.user, [young_person.pk], colleague.pk, temporary=True)
        young_person.refresh_from_db()
        portfolio.archive_young_person(
            supervisor.user,
            young_person,
            reason=ArchiveReason.LASTING_JOB,
            end_date=timezone.localdate(),
        )
        portfolio.unarchive_young_person(supervisor.user, young_person)
        events = list(AuditEvent.objects.exclude(kind=AuditKind.TOKEN_REVOKED).order_by("id"))
        assert [e.kind for e in events] == [
            AuditKind.REASSIGNED,
            AuditKind.ARCHIVED,
            AuditKind.UNARCHIVED,
        ]
        assert {e.actor_id for e in events} == {supervisor.user.pk}
        assert {e.target_id for e in events} == {str(young_person.pk)}
        assert events[0].details["to_counselor"] == str(colleague.pk)
        assert events[1].details["reason"] == ArchiveReason.LASTING_JOB
