"""Redis unreachable (a real connection refused: nothing listens on the port): pages, the API
and message sending keep working, live delivery is skipped, and a client catches up from the
database with nothing missing once Redis is back."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from passemploi.accounts import tokens
from passemploi.chat import services as chat_services
from passemploi.chat.models import Message
from tests.conftest import client_for
from tests.factories import PASSWORD

DEAD = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down():
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "passemploi.core.cache.ResilientRedisCache",
                "LOCATION": DEAD,
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        },
        CHANNEL_LAYERS={
            "default": {
                "BACKEND": "passemploi.core.channel_layer.BoundedRedisChannelLayer",
                "CONFIG": {"hosts": [{"address": DEAD}]},
            }
        },
    ):
        yield


def test_the_cache_itself_fails_open(redis_down):
    assert cache.get("anything", "fallback") == "fallback"
    cache.set("k", 1)
    assert cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {}


def test_sign_in_api_and_messages_keep_working(redis_down, young_person, caplog):
    client = Client()
    signed_in = client.post(
        "/connexion/", {"username": young_person.user.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    token = tokens.issue_token_pair(young_person.user)["access_token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert Client().get("/api/v1/me", **auth).status_code == 200
    conversation = chat_services.conversation_of(young_person)
    response = Client().post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        {"body": "Toujours là ?"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    assert Message.objects.filter(conversation=conversation).count() == 1


def test_a_client_catches_up_after_the_outage(young_person, django_capture_on_commit_callbacks):
    conversation = chat_services.conversation_of(young_person)
    with override_settings(
        CHANNEL_LAYERS={
            "default": {
                "BACKEND": "passemploi.core.channel_layer.BoundedRedisChannelLayer",
                "CONFIG": {"hosts": [{"address": DEAD}]},
            }
        }
    ):
        # The push after commit fails (logged); the write stands.
        with django_capture_on_commit_callbacks(execute=True):
            chat_services.send_message(young_person.counselor.user, conversation, "Message 1")
            chat_services.send_message(young_person.counselor.user, conversation, "Message 2")
    # Redis is back: the young person's app asks for everything after the last seq it saw.
    client = client_for(young_person.user)
    page = client.get(f"/api/v1/conversations/{conversation.pk}/messages?after=0")
    assert page.status_code == 200
    assert [m["seq"] for m in page.json()["items"]] == [1, 2]
