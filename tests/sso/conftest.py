from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from passemploi.sso import providers
from tests.sso.provider import Provider


@pytest.fixture(scope="module")
def _server():
    server = Provider()
    yield server
    server.stop()


@pytest.fixture
def op(_server, settings):
    """The local provider, reset, configured as ProConnect and FranceConnect."""
    _server.keys = _server.keys[:1]
    _server.sign_with = _server.keys[0]
    _server.next_claims = {}
    _server.id_token_overrides = {}
    _server.userinfo_as_jwt = False
    _server.authorize_error = ""
    _server.jwks_requests = 0
    _server.token_requests.clear()
    _server.logouts.clear()
    settings.SSO_PROVIDERS = {
        "proconnect": _server.settings(),
        "franceconnect": _server.settings(),
        "ft_connect": {"discovery_url": "", "client_id": ""},
    }
    providers.clear_cache()
    yield _server
    providers.clear_cache()


def authorize(client, name="proconnect"):
    """Press the provider's button: the provider's redirect back to the callback URL."""
    response = client.post(reverse("sso:start", args=[name]))
    assert response.status_code == 302, response.content
    answer = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    return f"{callback.path}?{callback.query}"


def sign_in(client, name="proconnect"):
    return client.get(authorize(client, name))
