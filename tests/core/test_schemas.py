"""Dates in API requests: ISO text only (no Unix timestamps by accident)."""

import datetime

import pytest
from ninja import Schema
from pydantic import ValidationError

from passemploi.core.schemas import IsoDate, IsoDateTime


class Probe(Schema):
    day: IsoDate | None = None
    at: IsoDateTime | None = None


@pytest.mark.parametrize("value", [0, "0", "1700000000", 20260101, "01/02/2026", "", "2026-1-2"])
def test_dates_refuse_numbers_and_other_formats(value):
    with pytest.raises(ValidationError):
        Probe(day=value)


@pytest.mark.parametrize("value", [0, "1700000000", 1.5, "demain"])
def test_datetimes_refuse_numbers(value):
    with pytest.raises(ValidationError):
        Probe(at=value)


def test_iso_forms_are_read():
    probe = Probe(day=" 2026-03-27 ", at="2026-03-27T09:30:00+01:00")
    assert probe.day == datetime.date(2026, 3, 27)
    assert probe.at.utcoffset() == datetime.timedelta(hours=1)
    assert Probe(day=datetime.date(2026, 1, 2)).day == datetime.date(2026, 1, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    ['{"email": "a\\u0000b@exemple.fr", "password": "x"}', "[null, null]", "42", '"texte"'],
)
def test_api_bodies_must_be_json_objects_without_nul(client, body):
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_body"


@pytest.mark.django_db
def test_nul_in_a_query_string_is_refused(young_client):
    response = young_client.get("/api/v1/appointments?to=2026-01-01%00")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_query"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/conversations", "/api/v1/notifications", "/api/v1/actions"]
)
def test_an_absurd_offset_is_refused_not_a_server_error(young_client, path):
    response = young_client.get(path, {"offset": "164448641121322565632"})
    assert response.status_code == 422
