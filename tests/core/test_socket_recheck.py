"""A socket re-checks its credential before pushing, at most once per SOCKET_AUTH_RECHECK_SECONDS:
revocation still reaches it within that time; archiving closes it at once."""

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from passemploi.accounts import tokens
from passemploi.core import consumers
from passemploi.core.consumers import UNAUTHENTICATED_CLOSE_CODE, push_to_user
from passemploi.portfolio.services import archive_young_person
from tests.chat.test_socket import access_token
from tests.chat.test_socket import socket as token_socket
from tests.core.test_consumers import connected, run, session_cookie
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED = {"type": "websocket.close", "code": UNAUTHENTICATED_CLOSE_CODE}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch, settings):
    settings.SOCKET_AUTH_RECHECK_SECONDS = 10
    fake = Clock()
    monkeypatch.setattr(consumers.time, "monotonic", fake)
    return fake


def test_revoked_token_reaches_the_socket_within_the_recheck_time(clock):
    young_person = YoungPersonFactory()
    token = access_token(young_person.user)
    user_id = young_person.user.pk

    async def scenario():
        communicator = token_socket(query=f"token={token}")
        accepted, _ = await communicator.connect()
        assert accepted
        await communicator.receive_json_from()  # hello
        await push_to_user(user_id, {"type": "one"})
        assert (await communicator.receive_json_from(timeout=2))["type"] == "one"
        await sync_to_async(tokens.revoke_token)(token)
        # Within the re-check time: the remembered check still holds, the event goes out.
        clock.now += 9
        await push_to_user(user_id, {"type": "two"})
        assert (await communicator.receive_json_from(timeout=2))["type"] == "two"
        # Past it: checked again, revoked, closed without pushing.
        clock.now += 2
        await push_to_user(user_id, {"type": "three"})
        output = await communicator.receive_output(timeout=2)
        await communicator.disconnect()
        return output

    assert run(scenario) == CLOSED


def test_a_busy_socket_checks_once_per_recheck_time(clock, monkeypatch):
    young_person = YoungPersonFactory()
    cookie = session_cookie(young_person.user)
    user_id = young_person.user.pk
    checks = []
    real_check = consumers._session_is_current

    async def counted(*args):
        checks.append(args)
        return await real_check(*args)

    monkeypatch.setattr(consumers, "_session_is_current", counted)

    async def scenario():
        communicator, _ = await connected(cookie)
        for n in range(5):
            await push_to_user(user_id, {"type": f"event.{n}"})
            assert (await communicator.receive_json_from(timeout=2))["type"] == f"event.{n}"
        clock.now += 11
        await push_to_user(user_id, {"type": "later"})
        await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()

    run(scenario)
    assert len(checks) == 2  # the first event, then once the re-check time has passed


def test_archiving_closes_the_young_person_sockets_at_once(clock):
    young_person = YoungPersonFactory()
    cookie = session_cookie(young_person.user)

    def archive():
        from django.db import transaction

        with transaction.atomic():
            archive_young_person(
                young_person.counselor.user,
                young_person,
                reason="moved",
                end_date=timezone.localdate(),
            )

    async def scenario():
        communicator, _ = await connected(cookie)
        await push_to_user(young_person.user.pk, {"type": "one"})
        await communicator.receive_json_from(timeout=2)  # the check is now remembered
        await sync_to_async(archive)()
        output = await communicator.receive_output(timeout=2)
        await communicator.disconnect()
        return output

    assert run(scenario) == CLOSED
