import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from passemploi.broadcasts.models import BroadcastList
from passemploi.chat import services as chat
from passemploi.portfolio.models import DropoutRisk
from tests.conftest import client_for
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    CounselorFactory,
    ParticipationFactory,
    YoungPersonFactory,
)
from tests.helpers import text

pytestmark = pytest.mark.django_db

INDEX = "/conseiller/"
DAY = timedelta(days=1)


def person(counselor, first, last, *, active_days_ago=0, **kwargs):
    return YoungPersonFactory(
        counselor=counselor,
        user__first_name=first,
        user__last_name=last,
        user__last_login=timezone.now() - active_days_ago * DAY,
        **kwargs,
    )


def risk(young_person, level, score, reasons=()):
    DropoutRisk.objects.create(
        young_person=young_person,
        level=level,
        score=score,
        reasons=list(reasons),
        computed_at=timezone.now(),
    )


def names(response) -> list[str]:
    return [yp.user.last_name for yp in response.context["page"].object_list]


def row_of(response, young_person) -> str:
    body = response.content.decode()
    return body[body.index(young_person.user.last_name.upper()) :].split("</tr>", 1)[0]


class TestSignals:
    def test_row_figures(self, counselor, counselor_client):
        today = timezone.localdate()
        yp = person(
            counselor,
            "Lina",
            "Camara",
            hour_counter_enabled=True,
            planned_end_date=today - DAY,
            initial_counselor=CounselorFactory(structure=counselor.structure),
        )
        conversation = chat.conversation_of(yp)
        for _ in range(2):
            chat.send_message(yp.user, conversation, "Bonjour")
        chat.send_message(counselor.user, conversation, "Bonjour Lina")
        # Nobody has opened the conversation since (sending marks one's own side read).
        type(conversation).objects.filter(pk=conversation.pk).update(
            counselor_read_seq=0, young_person_read_seq=0
        )
        ActionFactory(young_person=yp, due_date=today - 3 * DAY)
        ActionFactory(young_person=yp, done=True, due_date=today)
        ParticipationFactory(
            young_person=yp,
            appointment=AppointmentFactory(counselor=counselor, starts_at=timezone.now() + 3 * DAY),
        )
        risk(yp, "medium", 4, ["3 actions en retard"])
        response = counselor_client.get(INDEX)
        row = response.context["page"].object_list[0]
        assert (row.unread_mine, row.unread_theirs) == (2, 1)
        assert (row.actions_created, row.late) == (2, 1)
        assert row.week_hours.declared > 0
        assert row.next_appointment is not None
        assert row.end_passed
        html = row_of(response, yp)
        for badge in ("Suivi temporaire", "Fin prévue dépassée", "Moyen", "3 actions en retard"):
            assert badge in html
        assert "Non activé" not in html

    def test_counter_off_and_not_activated(self, counselor, counselor_client):
        yp = person(counselor, "Hugo", "Bonnet", user__not_activated=True)
        html = row_of(counselor_client.get(INDEX), yp)
        # The counselor sees the hours; the young person does not see the counter.
        assert "0 h / 0 h" in html
        assert "Compteur masqué au jeune" in html
        assert "Non activé" in html
        assert "Non calculé" in html


class TestFiltersAndSorts:
    @pytest.fixture
    def people(self, counselor):
        a = person(counselor, "Ana", "Aubry", active_days_ago=1, scheme="PACEA")
        b = person(counselor, "Bea", "Brun", active_days_ago=40)
        c = person(counselor, "Cyril", "Colin", active_days_ago=10, hour_counter_enabled=True)
        ActionFactory(young_person=c, done=True)
        risk(a, "low", 0)
        risk(b, "high", 8)
        risk(c, "medium", 3)
        person(CounselorFactory(structure=counselor.structure), "Zed", "Zorro")
        return a, b, c

    def test_sorts(self, counselor_client, people):
        assert names(counselor_client.get(INDEX)) == ["Aubry", "Brun", "Colin"]
        assert names(counselor_client.get(INDEX + "?tri=risque")) == ["Brun", "Colin", "Aubry"]
        assert names(counselor_client.get(INDEX + "?tri=activite")) == ["Brun", "Colin", "Aubry"]
        assert names(counselor_client.get(INDEX + "?tri=heures"))[0] == "Colin"

    def test_filters(self, counselor, counselor_client, people):
        a, b, c = people
        listed = BroadcastList.objects.create(owner=counselor, name="Atelier CV")
        listed.members.add(a, c)
        assert names(counselor_client.get(INDEX + "?dispositif=PACEA")) == ["Aubry"]
        assert names(counselor_client.get(INDEX + f"?liste={listed.pk}")) == ["Aubry", "Colin"]
        assert names(counselor_client.get(INDEX + "?inactif=30")) == ["Brun"]
        assert names(counselor_client.get(INDEX + "?risque=high")) == ["Brun"]
        assert names(counselor_client.get(INDEX + "?q=col")) == ["Colin"]
        assert names(counselor_client.get(INDEX + "?q=zorro")) == []
        assert "Aucun bénéficiaire ne correspond" in text(counselor_client.get(INDEX + "?q=zz"))

    def test_bad_filters_are_explained_and_ignored(self, counselor, counselor_client, people):
        other_list = BroadcastList.objects.create(owner=CounselorFactory(), name="Autre")
        response = counselor_client.get(INDEX + f"?inactif=abc&liste={other_list.pk}&tri=x")
        assert response.status_code == 200
        assert names(response) == ["Aubry", "Brun", "Colin"]
        assert "Indiquez un nombre de jours." in text(response)


class TestQueryCount:
    @pytest.mark.parametrize("size", [20, 200])
    def test_fixed_number_of_queries(
        self, counselor, counselor_client, size, django_assert_max_num_queries
    ):
        people = YoungPersonFactory.create_batch(size, counselor=counselor)
        for yp in people[:5]:
            chat.send_message(yp.user, chat.conversation_of(yp), "Bonjour")
            ActionFactory(young_person=yp)
            risk(yp, "high", 7, ["Aucune connexion depuis 20 jours"])
        # Session and user, the filter's broadcast lists, the rows with all their figures,
        # the hours (one per counter source), the total and the young people lent to others:
        # 8, whatever the size; plus the request's savepoint and the session's save (5).
        with django_assert_max_num_queries(13):
            response = counselor_client.get(INDEX + "?tri=risque&inactif=1")
        assert response.context["page"].paginator.count == size - 5  # the 5 who wrote today


class TestExport:
    def test_csv_with_filters_and_formula_quoting(self, counselor, counselor_client):
        person(counselor, "=HYPERLINK(1)", "-Durand", scheme="PACEA")
        person(counselor, "Bea", "Brun")
        response = counselor_client.get("/conseiller/export.csv?dispositif=PACEA")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][:2] == ["Nom", "Prénom"]
        assert len(rows) == 2
        assert rows[1][:2] == ["'-Durand", "'=HYPERLINK(1)"]

    def test_xlsx(self, counselor, counselor_client):
        yp = person(counselor, "@Lina", "Camara")
        risk(yp, "high", 8, ["2 rendez-vous manqués"])
        response = counselor_client.get("/conseiller/export.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[1][:2] == ("Camara", "'@Lina")
        assert rows[1][-2:] == ("Élevé", "2 rendez-vous manqués")

    def test_only_my_portfolio_and_unknown_format(self, counselor, counselor_client):
        person(CounselorFactory(structure=counselor.structure), "Zed", "Zorro")
        assert "Zorro" not in counselor_client.get("/conseiller/export.csv").content.decode()
        assert counselor_client.get("/conseiller/export.pdf").status_code == 404
        young_client = client_for(YoungPersonFactory().user)
        assert young_client.get("/conseiller/export.csv").status_code == 403


class TestFile:
    def url(self, yp):
        return f"/conseiller/beneficiaires/{yp.pk}/"

    def test_referent_sees_header_risk_indicators_and_history(self, counselor, counselor_client):
        yp = person(counselor, "Lina", "Camara", active_days_ago=21, partner_id="AB123")
        ParticipationFactory(
            young_person=yp,
            appointment=AppointmentFactory(counselor=counselor, starts_at=timezone.now() - DAY),
            attendance="absent",
        )
        ActionFactory(young_person=yp, due_date=timezone.localdate() - 2 * DAY)
        response = counselor_client.get(self.url(yp))
        page = text(response)
        assert response.status_code == 200
        assert "AB123" in page and yp.user.email in page
        assert "Aucune connexion depuis 21 jours" in page
        assert "Élevé" in page
        assert "Lecture seule" not in page
        indicators = response.context["indicators"]
        assert indicators["appointments"]["missed"] == 1
        assert indicators["actions"] == {"created": 1, "done": 0, "late": 1}
        assert f"/conseiller/beneficiaires/{yp.pk}/actions/" in response.content.decode()
        assert DropoutRisk.objects.get(young_person=yp).level == "high"

    def test_colleague_reads_only(self, counselor):
        yp = person(counselor, "Lina", "Camara")
        colleague = CounselorFactory(structure=counselor.structure)
        response = client_for(colleague.user).get(self.url(yp))
        assert response.status_code == 200
        assert "Lecture seule" in text(response)
        assert "/actions/" not in response.content.decode().split("Indicateurs", 1)[1]

    def test_other_structure_and_young_person_get_404(self, counselor, other_structure_counselor):
        yp = person(counselor, "Lina", "Camara")
        assert client_for(other_structure_counselor.user).get(self.url(yp)).status_code == 404
        assert client_for(yp.user).get(self.url(yp)).status_code in (403, 404)


def test_the_young_person_never_sees_their_risk(young_person, young_client):
    risk(young_person, "high", 9, ["Aucune connexion depuis 30 jours"])
    for path in ("/api/v1/me", "/api/v1/actions"):
        body = young_client.get(path, follow=True).content.decode()
        assert "Aucune connexion depuis" not in body
        assert "décrochage" not in body
