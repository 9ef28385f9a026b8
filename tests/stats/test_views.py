"""The public page (no sign-in, no personal data, constant queries), its CSV and API, and who
may see the impact dashboard."""

import csv
import io

import pytest
from django.test import Client

from passemploi.stats import demo, services
from passemploi.stats.enums import Measure
from tests.conftest import client_for
from tests.factories import CounselorFactory, UserFactory, YoungPersonFactory
from tests.helpers import text


@pytest.fixture
def history(db):
    # Distinctive names: a common first name could appear in the page by chance.
    people = [
        YoungPersonFactory(
            user__first_name=f"Prénomtest{n}",
            user__last_name=f"Nomtest{n}",
            counselor__user__first_name=f"Conseillertest{n}",
            counselor__user__last_name=f"Famillecons{n}",
        )
        for n in range(4)
    ]
    demo.seed_history()
    services.aggregate_weeks()
    return people


def test_public_page_without_sign_in_and_without_personal_data(history):
    response = Client().get("/stats/")
    assert response.status_code == 200
    page = text(response)
    assert "Statistiques d'usage" in page
    assert "<svg" in page and "<table>" in page and "< 10" in page
    for person in [*history, *(yp.counselor for yp in history)]:
        user = person.user
        for value in (user.email, user.first_name, user.last_name, str(person.pk)):
            assert value not in page


def test_public_page_query_count_does_not_grow(db, django_assert_max_num_queries):
    demo.seed_history()
    services.aggregate_weeks()
    with django_assert_max_num_queries(2):
        assert Client().get("/stats/").status_code == 200
    YoungPersonFactory.create_batch(20)
    demo.seed_history()
    services.aggregate_weeks()
    with django_assert_max_num_queries(2):
        assert Client().get("/stats/").status_code == 200


def test_csv_hides_small_numbers(history):
    response = Client().get("/stats/donnees.csv?mesure=active_young_people")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["semaine", "type_structure", "region", "mesure", "valeur"]
    assert {row[3] for row in rows[1:]} == {Measure.ACTIVE_YOUNG_PEOPLE}
    values = [row[4] for row in rows[1:]]
    assert "< 10" in values
    assert all(v == "< 10" or int(v) >= 10 for v in values)
    assert Client().get("/stats/donnees.csv?mesure=nimporte").status_code == 400


def test_public_api(history):
    body = Client().get("/api/v1/stats").json()
    assert {item["code"] for item in body["headlines"]} >= {"messages", "active_young_people"}
    series = Client().get("/api/v1/stats/series?measure=messages&region=11").json()
    assert len(series["points"]) == 52
    assert Client().get("/api/v1/stats/series?measure=nope").status_code == 422


def test_dashboard_for_supervisor_of_their_structure(db, supervisor, other_structure_counselor):
    client = client_for(supervisor.user)
    response = client.get("/conseiller/pilotage/impact/")
    assert response.status_code == 200
    assert "Sorties positives" in text(response)
    assert supervisor.structure.name in text(response)
    other = other_structure_counselor.structure_id
    assert client.get(f"/conseiller/pilotage/impact/?structure={other}").status_code == 404
    assert client.get("/api/v1/stats/impact").json()["structure_id"] == str(supervisor.structure_id)
    assert client.get(f"/api/v1/stats/impact?structure_id={other}").status_code == 404
    response = client.get("/conseiller/pilotage/impact/?periode=12")
    assert "Choisissez une période" in text(response)


def test_dashboard_refused_to_others(db, counselor, young_person):
    anonymous = Client()
    assert anonymous.get("/conseiller/pilotage/impact/").status_code == 302
    assert anonymous.get("/api/v1/stats/impact").status_code == 401
    for user in (counselor.user, young_person.user, UserFactory()):
        client = client_for(user)
        assert client.get("/conseiller/pilotage/impact/").status_code == 403
        assert client.get("/api/v1/stats/impact").json()["code"] == "forbidden"


def test_dashboard_for_support(db):
    staff = UserFactory(is_staff=True)
    counselor = CounselorFactory()
    client = client_for(staff)
    assert "Toutes les structures" in text(client.get("/conseiller/pilotage/impact/"))
    response = client.get(f"/conseiller/pilotage/impact/?structure={counselor.structure_id}")
    assert counselor.structure.name in text(response)
    assert client.get("/conseiller/pilotage/impact/?structure=abc").status_code == 404
    assert client.get("/api/v1/stats/impact?days=30").status_code == 200


def test_public_page_before_any_statistics(db):
    response = Client().get("/stats/")
    assert response.status_code == 200
    assert "effectifs trop faibles" in text(response)
