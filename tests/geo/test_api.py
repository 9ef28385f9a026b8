import pytest
from django.test import Client

from tests.offers.factories import REAL, real_commune


@pytest.fixture
def communes(db):
    return {insee: real_commune(insee) for insee in REAL}


def test_communes_api_autocompletes(young_client, communes):
    response = young_client.get("/api/v1/communes", {"q": "avignon"})
    assert response.status_code == 200
    body = response.json()
    assert [c["label"] for c in body["items"]] == ["Avignon (84)", "Villeneuve-lès-Avignon (30)"]
    assert body["count"] == 2
    first = body["items"][0]
    assert first["insee"] == "84007"
    assert first["postal_codes"] == ["84000", "84140"]
    assert first["departement"] == "84"


def test_communes_api_by_postal_code(counselor_client, communes):
    body = counselor_client.get("/api/v1/communes", {"q": "97400"}).json()
    assert [c["insee"] for c in body["items"]] == ["97411"]


def test_communes_api_refuses_a_long_query_and_anonymous_calls(young_client, communes):
    response = young_client.get("/api/v1/communes", {"q": "x" * 2000})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert Client().get("/api/v1/communes", {"q": "lyon"}).status_code == 401


def test_htmx_options_fill_the_datalist(young_client, communes):
    response = young_client.get(
        "/communes/", {"commune": "saint den"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('value="Saint-Denis (974)"') < html.index('value="Saint-Denis (93)"')
