from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from passemploi.core.api import api
from tests.offers.catalogue import make_fixed_catalogue
from tests.offers.factories import OfferFactory


@pytest.fixture
def catalogue(db):
    return make_fixed_catalogue()


def test_search_api_returns_a_page_of_offers(young_client, catalogue):
    response = young_client.get(
        "/api/v1/offers",
        {"q": "serveur", "commune": "84007", "radius_km": 10, "sort": "distance"},
    )
    assert response.status_code == 200
    body = response.json()
    assert [o["company"] for o in body["items"]] == ["Café du Rhône", "Le Pont d'Avignon"]
    first = body["items"][0]
    assert first["distance_km"] == 0.0
    assert first["kind"] == "EMPLOI" and first["kind_label"] == "Emploi"
    assert first["contract_type_label"] == "Saisonnier"
    assert first["commune"] == {"insee": "84007", "name": "Avignon", "departement": "84"}
    assert body["count"] == 2 and body["count_capped"] is False and body["next"] is None


def test_search_api_takes_repeated_filters_and_pages(counselor_client, catalogue):
    body = counselor_client.get(
        "/api/v1/offers?kind=EMPLOI&contract_type=CDI&contract_type=CDD&sort=date&limit=2"
    ).json()
    assert body["count"] == 5
    assert [o["title"] for o in body["items"]] == [
        "Développeur / Développeuse web",
        "Vendeur en boulangerie",
    ]
    assert "offset=2" in body["next"]
    second = counselor_client.get(body["next"]).json()
    assert [o["title"] for o in second["items"]] == [
        "Vendeuse en prêt-à-porter",
        "Serveur en restaurant",
    ]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"commune": "84007", "radius_km": 0}, 422, "validation_error"),
        ({"commune": "84007", "radius_km": 500}, 422, "validation_error"),
        ({"commune": "Atlantide"}, 404, "unknown_commune"),
        ({"departement": "99"}, 404, "unknown_departement"),
        ({"departement": "x' OR 1=1"}, 422, "validation_error"),
        ({"q": "a" * 2000}, 422, "validation_error"),
        ({"kind": "JOB"}, 422, "validation_error"),
        ({"rome_code": "XX"}, 422, "validation_error"),
        ({"offset": 5000}, 422, "validation_error"),
        ({"limit": 500}, 422, "validation_error"),
        ({"radius_km": "loin"}, 422, "validation_error"),
    ],
)
def test_search_api_bad_input(young_client, catalogue, query, status, code):
    response = young_client.get("/api/v1/offers", query)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    if code == "validation_error":
        assert body["fields"]


def test_search_api_fts_characters_and_page_past_the_end(young_client, catalogue):
    response = young_client.get("/api/v1/offers", {"q": '"*:&', "offset": 900})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_offer_detail(young_client, catalogue):
    offer = catalogue["F"]
    response = young_client.get(f"/api/v1/offers/{offer.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Cuisinier en alternance"
    assert body["apply_url"] == offer.apply_url
    assert body["contract_type"] == "APPRENTISSAGE"
    assert body["distance_km"] is None


def test_expired_or_missing_offer_is_404(young_client, db):
    expired = OfferFactory(expires_at=timezone.now() - timedelta(days=1))
    for pk in (expired.pk, 999_999):
        response = young_client.get(f"/api/v1/offers/{pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_offers_api_needs_authentication(catalogue):
    assert Client().get("/api/v1/offers").status_code == 401
    assert Client().get(f"/api/v1/offers/{catalogue['A'].pk}").status_code == 401


def test_operations_are_documented():
    paths = api.get_openapi_schema()["paths"]
    for path in ("/api/v1/offers", "/api/v1/offers/{offer_id}", "/api/v1/communes"):
        operation = paths[path]["get"]
        assert operation["summary"] and operation["description"]
