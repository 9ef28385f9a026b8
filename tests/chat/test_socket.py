"""The /ws/ socket of pages and API clients: access-token auth (query string or subprotocol),
session auth, and the events a send through the API raises."""

import asyncio
import json
from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from config.asgi import application
from passemploi.accounts import tokens
from passemploi.chat import services
from passemploi.core.consumers import UNAUTHENTICATED_CLOSE_CODE
from tests.core.test_consumers import session_cookie
from tests.factories import YoungPersonFactory

PATH = "/ws/"
ORIGIN = (b"origin", b"http://testserver")

pytestmark = pytest.mark.django_db(transaction=True)


def run(coroutine_function, *args):
    return async_to_sync(coroutine_function)(*args)


def socket(query="", subprotocols=None, cookie=None) -> WebsocketCommunicator:
    headers = [ORIGIN]
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(
        application,
        PATH + (f"?{query}" if query else ""),
        headers=headers,
        subprotocols=subprotocols,
    )


async def refused(communicator):
    accepted, code = await communicator.connect()
    await communicator.disconnect()
    return accepted, code


def access_token(user) -> str:
    return tokens.issue_token_pair(user)["access_token"]


def api_send(user, conversation, body):
    response = Client().post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        json.dumps({"body": body}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {access_token(user)}"},
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize("how", ["query", "subprotocol"])
def test_token_socket_gets_hello_then_message_created(how):
    young_person = YoungPersonFactory()
    counselor = young_person.counselor.user
    conversation = services.conversation_of(young_person)
    token = access_token(young_person.user)

    async def scenario():
        if how == "query":
            communicator = socket(query=f"token={token}")
        else:
            communicator = socket(subprotocols=[f"bearer.{token}"])
        accepted, subprotocol = await communicator.connect()
        assert accepted
        if how == "subprotocol":
            assert subprotocol == f"bearer.{token}"
        hello = await communicator.receive_json_from()
        await communicator.send_json_to({"type": "ping"})
        pong = await communicator.receive_json_from()
        sent = await sync_to_async(api_send)(counselor, conversation, "Bonjour !")
        event = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return hello, pong, sent, event

    hello, pong, sent, event = run(scenario)
    assert hello == {"type": "hello", "user_id": str(young_person.user.pk), "role": "young_person"}
    assert pong == {"type": "pong"}
    assert event == {
        "type": "message.created",
        "conversation_id": str(conversation.pk),
        "seq": 1,
        "message_id": sent["id"],
    }
    assert "Bonjour" not in json.dumps(event)  # notices only, never content


@pytest.mark.parametrize("problem", ["unknown", "empty", "expired", "revoked", "inactive"])
@pytest.mark.parametrize("how", ["query", "subprotocol"])
def test_invalid_token_is_closed_with_4401(problem, how):
    young_person = YoungPersonFactory()
    token = access_token(young_person.user)
    if problem == "unknown":
        token = "not-a-token"
    elif problem == "empty":
        token = ""
    elif problem == "revoked":
        tokens.revoke_token(token)
    elif problem == "inactive":
        young_person.user.is_active = False
        young_person.user.save(update_fields=["is_active"])
    if how == "query":
        communicator = socket(query=f"token={token}")
    else:
        communicator = socket(subprotocols=[f"bearer.{token}"])
    if problem == "expired":
        with time_machine.travel(timezone.now() + timedelta(days=2)):
            result = run(refused, communicator)
    else:
        result = run(refused, communicator)
    assert result == (False, UNAUTHENTICATED_CLOSE_CODE)


def test_invalid_token_wins_over_a_valid_session():
    user = YoungPersonFactory().user
    communicator = socket(query="token=not-a-token", cookie=session_cookie(user))
    assert run(refused, communicator) == (False, UNAUTHENTICATED_CLOSE_CODE)


def test_anonymous_is_closed_with_4401():
    assert run(refused, socket()) == (False, UNAUTHENTICATED_CLOSE_CODE)


def test_session_socket_still_works_and_gets_events():
    young_person = YoungPersonFactory()
    conversation = services.conversation_of(young_person)
    cookie = session_cookie(young_person.counselor.user)

    async def scenario():
        communicator = socket(cookie=cookie)
        accepted, _ = await communicator.connect()
        assert accepted
        hello = await communicator.receive_json_from()
        await sync_to_async(api_send)(young_person.user, conversation, "Salut")
        event = await communicator.receive_json_from(timeout=3)
        await communicator.disconnect()
        return hello, event

    hello, event = run(scenario)
    assert hello["role"] == "counselor"
    assert event["type"] == "message.created" and event["seq"] == 1


def test_socket_of_a_revoked_token_closes_on_the_next_event():
    young_person = YoungPersonFactory()
    conversation = services.conversation_of(young_person)
    token = access_token(young_person.user)

    async def scenario():
        communicator = socket(query=f"token={token}")
        accepted, _ = await communicator.connect()
        assert accepted
        await communicator.receive_json_from()
        await sync_to_async(tokens.revoke_token)(token)
        await sync_to_async(api_send)(young_person.counselor.user, conversation, "Bonjour")
        output = await communicator.receive_output(timeout=3)
        await asyncio.sleep(0)
        await communicator.disconnect()
        return output

    output = run(scenario)
    assert output == {"type": "websocket.close", "code": UNAUTHENTICATED_CLOSE_CODE}
