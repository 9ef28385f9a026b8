from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from passemploi.accounts import tokens
from passemploi.broadcasts.models import BroadcastList
from passemploi.portfolio import services
from passemploi.portfolio.models import DropoutRisk
from tests.conftest import client_for
from tests.factories import (
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {tokens.issue_token_pair(user)['access_token']}"}


def person(counselor, last, days_ago=0, **kwargs):
    return YoungPersonFactory(
        counselor=counselor,
        user__last_name=last,
        user__last_login=timezone.now() - days_ago * DAY,
        **kwargs,
    )


class TestPortfolioApi:
    def test_filters_sorts_paging_and_risk(self, counselor):
        a = person(counselor, "Aubry", 1)
        b = person(counselor, "Brun", 40, scheme="PACEA")
        person(counselor, "Colin", 10)
        person(CounselorFactory(structure=counselor.structure), "Zorro")
        DropoutRisk.objects.create(
            young_person=b, level="high", score=8, reasons=["x"], computed_at=timezone.now()
        )
        client = Client()
        headers = bearer(counselor.user)
        body = client.get("/api/v1/portfolio?limit=2", headers=headers).json()
        assert [row["last_name"] for row in body["items"]] == ["Aubry", "Brun"]
        assert body["count"] == 3
        assert "offset=2" in body["next"]
        assert body["items"][1]["risk"]["label"] == "Élevé"
        assert body["items"][0]["risk"] is None
        by_risk = client.get("/api/v1/portfolio?sort=risk", headers=headers).json()
        assert by_risk["items"][0]["id"] == str(b.pk)
        for query, expected in [
            ("scheme=PACEA", ["Brun"]),
            ("inactive_days=30", ["Brun"]),
            ("risk=high", ["Brun"]),
            ("q=aub", ["Aubry"]),
        ]:
            got = client.get(f"/api/v1/portfolio?{query}", headers=headers).json()
            assert [row["last_name"] for row in got["items"]] == expected, query
        listed = BroadcastList.objects.create(owner=counselor, name="CV")
        listed.members.add(a)
        got = client.get(f"/api/v1/portfolio?broadcast_list_id={listed.pk}", headers=headers)
        assert [row["last_name"] for row in got.json()["items"]] == ["Aubry"]

    def test_bad_input(self, counselor):
        client, headers = Client(), bearer(counselor.user)
        other = BroadcastList.objects.create(owner=CounselorFactory(), name="Autre")
        response = client.get(f"/api/v1/portfolio?broadcast_list_id={other.pk}", headers=headers)
        assert response.status_code == 404
        assert response.json()["code"] == "broadcast_list_not_found"
        for query in ("sort=x", "risk=x", "inactive_days=0", "scheme=X"):
            response = client.get(f"/api/v1/portfolio?{query}", headers=headers)
            assert response.status_code == 422, query
            assert set(response.json()) >= {"code", "message", "fields"}

    def test_export(self, counselor):
        person(counselor, "=Aubry", scheme="PACEA")
        person(counselor, "Brun")
        client, headers = Client(), bearer(counselor.user)
        response = client.get("/api/v1/portfolio/export?scheme=PACEA", headers=headers)
        assert response["Content-Type"].startswith("text/csv")
        lines = response.content.decode("utf-8-sig").splitlines()
        assert len(lines) == 2
        assert lines[1].startswith("'=Aubry;")
        response = client.get("/api/v1/portfolio/export?format=xlsx", headers=headers)
        assert response.content[:2] == b"PK"
        assert client.get("/api/v1/portfolio/export?format=pdf", headers=headers).status_code == 422

    def test_young_person_is_refused(self, young_person):
        response = Client().get("/api/v1/portfolio", headers=bearer(young_person.user))
        assert response.status_code == 403


class TestFileApi:
    def url(self, yp):
        return f"/api/v1/young-people/{yp.pk}/file"

    def test_file_with_history_risk_and_indicators(self, counselor, supervisor):
        colleague = CounselorFactory(structure=counselor.structure)
        yp = person(colleague, "Camara", 21)
        services.reassign(supervisor.user, [yp.pk], counselor.pk)
        ParticipationFactory(
            young_person=yp,
            appointment=AppointmentFactory(counselor=counselor, starts_at=timezone.now() - DAY),
            attendance="absent",
        )
        body = Client().get(self.url(yp), headers=bearer(counselor.user)).json()
        assert body["read_only"] is False
        assert body["risk"]["level"] == "high"
        assert "Aucune connexion depuis 21 jours" in body["risk"]["reasons"]
        assert body["indicators"]["appointments"]["missed"] == 1
        assert body["counselor_history"][0]["from_counselor"]["id"] == str(colleague.pk)

    def test_colleague_reads_other_structure_404(self, counselor, other_structure_counselor):
        yp = person(counselor, "Camara")
        colleague = CounselorFactory(structure=counselor.structure)
        body = client_for(colleague.user).get(self.url(yp)).json()
        assert body["read_only"] is True
        response = Client().get(self.url(yp), headers=bearer(other_structure_counselor.user))
        assert response.status_code == 404
        response = Client().get(self.url(yp) + "?period_days=5", headers=bearer(counselor.user))
        assert response.status_code == 422
