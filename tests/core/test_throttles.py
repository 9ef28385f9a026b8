"""API rate limits: 429 with Retry-After and the API's error shape, per user and per address."""

import pytest
from django.test import Client

from tests.conftest import client_for

ME = "/api/v1/me"
REVOKE = "/api/v1/auth/revoke"


def test_per_user_limit_answers_429_with_retry_after(settings, young_person):
    settings.API_RATE_PER_USER = "3/min"
    client = client_for(young_person.user)
    statuses = [client.get(ME).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(ME)
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "réessayez" in refused.json()["message"]


def test_users_have_separate_allowances(settings, young_person, counselor):
    settings.API_RATE_PER_USER = "2/min"
    first, second = client_for(young_person.user), client_for(counselor.user)
    assert [first.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(ME).status_code == 200


def revoke(client, **headers):
    # A public operation: protected ones answer 401 to anonymous callers before any throttle.
    return client.post(REVOKE, {"token": "x"}, content_type="application/json", **headers)


def test_per_address_limit_covers_public_operations(settings, db):
    settings.API_RATE_PER_ADDRESS = "2/min"
    client = Client()
    assert [revoke(client).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize("forwarded", ["203.0.113.7", "198.51.100.1, 203.0.113.7"])
def test_forged_forwarded_for_does_not_escape_the_address_limit(settings, db, forwarded):
    settings.API_RATE_PER_ADDRESS = "2/min"
    client = Client()
    revoke(client)
    revoke(client, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert revoke(client, HTTP_X_FORWARDED_FOR=forwarded).status_code == 429
