"""Reassignment and archiving through pages and the API."""

import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passemploi.accounts import tokens
from passemploi.accounts.models import YoungPerson
from passemploi.portfolio.models import Archive, Reassignment
from tests.conftest import client_for
from tests.factories import PASSWORD, CounselorFactory, StructureFactory, YoungPersonFactory
from tests.helpers import text

pytestmark = pytest.mark.django_db

REASSIGN = "/conseiller/equipe/reaffectation/"


@pytest.fixture
def colleague(structure):
    return CounselorFactory(structure=structure)


def api(client, method, path, data=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(path, headers=headers)
    return getattr(client, method)(
        path, data=json.dumps(data or {}), content_type="application/json", headers=headers
    )


class TestReassignPage:
    def test_three_steps_then_move(self, supervisor, counselor, colleague, young_person):
        client = client_for(supervisor.user)
        assert "Conseiller d'origine" in text(client.get(REASSIGN))
        step2 = client.get(REASSIGN, {"source": counselor.pk})
        assert young_person.user.get_full_name() in text(step2)
        data = {"young_people": [young_person.pk], "target": colleague.pk, "temporary": "1"}
        url = f"{REASSIGN}?source={counselor.pk}"
        confirm = client.post(url, data)
        assert "Confirmer la réaffectation" in text(confirm)
        assert not Reassignment.objects.exists()
        done = client.post(url, data | {"confirm": "1"})
        assert done.status_code == 302
        young_person.refresh_from_db()
        assert (young_person.counselor, young_person.initial_counselor) == (colleague, counselor)

        # The temporary counselor sees the badge; the initial one may take back.
        assert "Suivi temporaire" in text(client_for(colleague.user).get("/conseiller/"))
        mine = client_for(counselor.user)
        assert "Récupérer mes bénéficiaires" in text(mine.get("/conseiller/"))
        mine.post("/conseiller/reprendre/", {"young_person": young_person.pk})
        young_person.refresh_from_db()
        assert young_person.counselor == counselor

    def test_target_outside_the_structure_is_a_form_error(
        self, supervisor, counselor, young_person
    ):
        elsewhere = CounselorFactory(structure=StructureFactory())
        response = client_for(supervisor.user).post(
            f"{REASSIGN}?source={counselor.pk}",
            {"young_people": [young_person.pk], "target": elsewhere.pk, "confirm": "1"},
        )
        assert response.status_code == 400
        assert "Choisissez un conseiller de votre structure." in text(response)
        young_person.refresh_from_db()
        assert young_person.counselor == counselor

    def test_counselor_refused(self, counselor_client):
        assert counselor_client.get(REASSIGN).status_code == 403


class TestArchivePages:
    def test_confirm_then_archive_then_unarchive(self, counselor, supervisor, young_person):
        client = client_for(counselor.user)
        url = f"/conseiller/beneficiaires/{young_person.pk}/archiver/"
        data = {"reason": "moved", "end_date": timezone.localdate().isoformat(), "comment": ""}
        assert "Confirmer l'archivage" in text(client.post(url, data))
        assert not Archive.objects.exists()
        assert client.post(url, data | {"confirm": "1"}).status_code == 302
        assert url not in client.get("/conseiller/").content.decode()  # left the portfolio

        boss = client_for(supervisor.user)
        assert young_person.user.get_full_name() in text(boss.get("/conseiller/equipe/archives/"))
        boss.post(f"/conseiller/beneficiaires/{young_person.pk}/desarchiver/")
        young_person.refresh_from_db()
        assert not young_person.is_archived

    def test_other_without_comment_shows_the_message(self, counselor_client, young_person):
        url = f"/conseiller/beneficiaires/{young_person.pk}/archiver/"
        data = {"reason": "other", "end_date": timezone.localdate().isoformat(), "confirm": "1"}
        response = counselor_client.post(url, data)
        assert response.status_code == 400
        assert "Précisez le motif « Autre »" in text(response)

    def test_archived_cannot_sign_in_anywhere(self, counselor, young_person):
        young_client = client_for(young_person.user)
        pair = tokens.issue_token_pair(young_person.user)
        response = api(
            client_for(counselor.user),
            "post",
            "/api/v1/archives",
            {
                "young_person_id": str(young_person.pk),
                "reason": "own_request",
                "end_date": timezone.localdate().isoformat(),
            },
        )
        assert response.status_code == 201, response.content
        # The open session no longer authenticates; the token neither; no new sign-in.
        assert young_client.get("/app/").status_code == 302
        assert api(Client(), "get", "/api/v1/me", token=pair["access_token"]).status_code == 401
        page = Client().post(
            "/connexion/", {"username": young_person.user.email, "password": PASSWORD}
        )
        assert page.status_code == 200 and "_auth_user_id" not in page.client.session
        token = api(
            Client(),
            "post",
            "/api/v1/auth/token",
            {"email": young_person.user.email, "password": PASSWORD},
        )
        assert token.status_code in (400, 401)


class TestApi:
    def test_reassign_idempotent_and_history(self, supervisor, counselor, colleague, young_person):
        client = client_for(supervisor.user)
        body = {
            "young_person_ids": [str(young_person.pk)],
            "target_counselor_id": str(colleague.pk),
            "temporary": True,
            "client_id": str(uuid.uuid4()),
        }
        first = api(client, "post", "/api/v1/reassignments", body)
        again = api(client, "post", "/api/v1/reassignments", body)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json() == again.json()
        item = first.json()["items"][0]
        assert item["kind"] == "temporary" and item["to_counselor"]["id"] == str(colleague.pk)
        history = client.get(f"/api/v1/young-people/{young_person.pk}/reassignments").json()
        assert history["count"] == 1

        back = api(client_for(counselor.user), "post", "/api/v1/reassignments/take-back")
        assert [i["kind"] for i in back.json()["items"]] == ["take_back"]
        assert YoungPerson.objects.get(pk=young_person.pk).counselor == counselor

    def test_reassign_errors(self, supervisor, counselor, young_person):
        client = client_for(supervisor.user)
        body = {
            "young_person_ids": [str(young_person.pk)],
            "target_counselor_id": str(CounselorFactory(structure=StructureFactory()).pk),
        }
        response = api(client, "post", "/api/v1/reassignments", body)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_target"
        assert "target_counselor_id" in response.json()["fields"]
        same = api(
            client,
            "post",
            "/api/v1/reassignments",
            body | {"target_counselor_id": str(counselor.pk)},
        )
        assert same.json()["code"] == "same_counselor"
        by_counselor = api(client_for(counselor.user), "post", "/api/v1/reassignments", body)
        assert by_counselor.status_code == 403

    def test_archive_validation(self, counselor, young_person):
        client = client_for(counselor.user)
        response = api(
            client,
            "post",
            "/api/v1/archives",
            {"young_person_id": str(young_person.pk), "reason": "other", "end_date": "2026-01-01"},
        )
        assert response.status_code == 400
        assert response.json()["code"] in ("comment_required", "end_date_before_start")
        other = YoungPersonFactory()
        hidden = api(
            client,
            "post",
            "/api/v1/archives",
            {"young_person_id": str(other.pk), "reason": "moved", "end_date": "2030-01-01"},
        )
        assert hidden.status_code == 404


class TestQueryCounts:
    def archive_all(self, counselor, n):
        for yp in YoungPersonFactory.create_batch(n, counselor=counselor):
            Archive.objects.create(
                young_person=yp, reason="moved", end_date=timezone.localdate(), archived_by=None
            )
            YoungPerson.objects.filter(pk=yp.pk).update(is_archived=True)

    def test_archives_and_reassign_pages_are_constant(
        self, supervisor, counselor, django_assert_max_num_queries
    ):
        client = client_for(supervisor.user)
        self.archive_all(counselor, 2)
        YoungPersonFactory.create_batch(2, counselor=counselor)
        pages = ("/conseiller/equipe/archives/", f"{REASSIGN}?source={counselor.pk}")
        counts = {}
        for path in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts[path] = len(captured)
        self.archive_all(counselor, 20)
        YoungPersonFactory.create_batch(20, counselor=counselor)
        for path in pages:
            with django_assert_max_num_queries(counts[path]):
                assert client.get(path).status_code == 200
