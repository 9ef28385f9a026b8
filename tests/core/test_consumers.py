"""The /ws/events/ socket through the real ASGI application: origin check, session auth, layer.

Runs on whichever channel layer the settings give: Redis when REDIS_URL is set, else in-memory.
"""

import functools
import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from passemploi.core.consumers import UNAUTHENTICATED_CLOSE_CODE, push_to_user
from tests.factories import CounselorFactory, UserFactory, YoungPersonFactory

PATH = "/ws/events/"
ORIGIN = (b"origin", b"http://testserver")

pytestmark = pytest.mark.django_db(transaction=True)


@functools.cache
def _client() -> Client:
    return Client()  # one for the module: each new client loads the middleware again


def session_cookie(user) -> str:
    """The Cookie header of a browser that signed in as user."""
    client = _client()
    client.cookies.clear()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def socket(cookie: str | None = None, origin=ORIGIN) -> WebsocketCommunicator:
    headers = [origin] if origin else []
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, PATH, headers=headers)


async def connected(cookie: str) -> tuple[WebsocketCommunicator, dict]:
    """An open socket and its hello message."""
    communicator = socket(cookie)
    accepted, code = await communicator.connect()
    assert accepted, f"refused with {code}"
    return communicator, await communicator.receive_json_from()


def run(coroutine_function, *args):
    return async_to_sync(coroutine_function)(*args)


async def refused(communicator: WebsocketCommunicator):
    accepted, code = await communicator.connect()
    await communicator.disconnect()
    return accepted, code


def test_anonymous_is_closed_with_4401():
    assert run(refused, socket()) == (False, UNAUTHENTICATED_CLOSE_CODE)


@pytest.mark.parametrize(
    "cookie",
    [
        f"{settings.SESSION_COOKIE_NAME}=not-a-session-key",
        f"{settings.SESSION_COOKIE_NAME}=0123456789abcdef0123456789abcdef",  # unknown key
        "csrftoken=abc",
        "",
    ],
)
def test_unknown_sessions_are_closed_with_4401(cookie):
    assert run(refused, socket(cookie)) == (False, UNAUTHENTICATED_CLOSE_CODE)


def test_inactive_user_is_closed_with_4401():
    user = UserFactory()
    cookie = session_cookie(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert run(refused, socket(cookie)) == (False, UNAUTHENTICATED_CLOSE_CODE)


def test_logged_out_session_is_closed_with_4401():
    cookie = session_cookie(UserFactory())
    _client().post("/deconnexion/")  # the same browser signs out
    assert run(refused, socket(cookie)) == (False, UNAUTHENTICATED_CLOSE_CODE)


@pytest.mark.parametrize(
    "origin", [(b"origin", b"https://evil.example"), (b"origin", b"null"), None]
)
def test_foreign_or_missing_origin_is_refused_even_when_signed_in(origin):
    accepted, _code = run(refused, socket(session_cookie(UserFactory()), origin=origin))
    assert not accepted


@pytest.mark.parametrize(
    ("make_user", "role"),
    [
        (lambda: YoungPersonFactory().user, "young_person"),
        (lambda: CounselorFactory().user, "counselor"),
        (lambda: CounselorFactory(supervisor=True).user, "counselor"),
        (lambda: UserFactory(is_staff=True), "support"),
        (lambda: UserFactory(), "none"),
    ],
)
def test_signed_in_user_gets_hello_with_their_role(make_user, role):
    user = make_user()
    cookie = session_cookie(user)

    async def scenario():
        communicator, hello = await connected(cookie)
        await communicator.disconnect()
        return hello

    assert run(scenario) == {"type": "hello", "user_id": str(user.pk), "role": role}


def test_ping_pong_and_unknown_messages():
    cookie = session_cookie(YoungPersonFactory().user)

    async def scenario():
        communicator, _hello = await connected(cookie)
        answers = []
        for message in (
            {"type": "ping"},
            {"type": "pong"},
            {"type": "PING"},
            {"kind": "ping"},
            ["ping"],
            "ping",
            None,
            {"type": "ping", "extra": 1},
        ):
            await communicator.send_json_to(message)
            answers.append(await communicator.receive_json_from())
        assert await communicator.receive_nothing()
        await communicator.disconnect()
        return answers

    pong, error = {"type": "pong"}, {"type": "error", "code": "unknown_message"}
    assert run(scenario) == [pong, error, error, error, error, error, error, pong]


def test_frames_that_are_not_json_text_are_unknown_messages():
    """A malformed frame answers an error and keeps the socket open, it does not crash it."""
    cookie = session_cookie(CounselorFactory().user)

    async def scenario():
        communicator, _hello = await connected(cookie)
        answers = []
        for frame in ({"text_data": "not json"}, {"text_data": "{"}, {"bytes_data": b"\x00"}):
            await communicator.send_to(**frame)
            answers.append(await communicator.receive_json_from())
        await communicator.send_json_to({"type": "ping"})
        answers.append(await communicator.receive_json_from())
        await communicator.disconnect()
        return answers

    error = {"type": "error", "code": "unknown_message"}
    assert run(scenario) == [error, error, error, {"type": "pong"}]


def test_push_to_user_reaches_every_socket_of_that_user_only():
    alice = YoungPersonFactory()
    bob = YoungPersonFactory(counselor=alice.counselor)
    counselor = alice.counselor.user
    alice_cookies = [session_cookie(alice.user), session_cookie(alice.user)]  # two devices
    bob_cookie, counselor_cookie = session_cookie(bob.user), session_cookie(counselor)
    event = {"type": "notification", "title": "Nouveau rendez-vous", "id": str(uuid.uuid4())}

    async def scenario():
        alice_tab, _ = await connected(alice_cookies[0])
        alice_phone, _ = await connected(alice_cookies[0])
        alice_laptop, _ = await connected(alice_cookies[1])
        bob_socket, _ = await connected(bob_cookie)
        counselor_socket, _ = await connected(counselor_cookie)

        await push_to_user(alice.user.pk, event)
        received = [await s.receive_json_from() for s in (alice_tab, alice_phone, alice_laptop)]
        assert received == [event, event, event]
        assert await bob_socket.receive_nothing(timeout=0.3)
        assert await counselor_socket.receive_nothing(timeout=0.1)

        # A closed socket leaves the group; the others still get events.
        await alice_tab.disconnect()
        await push_to_user(str(alice.user.pk), {"type": "second"})
        assert await alice_phone.receive_json_from() == {"type": "second"}
        assert await alice_laptop.receive_json_from() == {"type": "second"}
        assert await bob_socket.receive_nothing(timeout=0.3)

        await push_to_user(bob.user.pk, {"type": "for-bob"})
        assert await bob_socket.receive_json_from() == {"type": "for-bob"}
        assert await alice_phone.receive_nothing(timeout=0.3)

        for communicator in (alice_phone, alice_laptop, bob_socket, counselor_socket):
            await communicator.disconnect()

    run(scenario)


def test_push_to_a_user_without_sockets_is_harmless():
    run(push_to_user, uuid.uuid4(), {"type": "nobody-listens"})


def test_signing_out_closes_that_device_sockets_only():
    young = YoungPersonFactory()
    phone, laptop = Client(), Client()
    phone.force_login(young.user)
    laptop.force_login(young.user)
    name = settings.SESSION_COOKIE_NAME
    phone_cookie = f"{name}={phone.cookies[name].value}"
    laptop_cookie = f"{name}={laptop.cookies[name].value}"

    async def scenario():
        phone_socket, _ = await connected(phone_cookie)
        laptop_socket, _ = await connected(laptop_cookie)
        response = await sync_to_async(phone.post)("/deconnexion/")
        assert response.status_code == 302
        closed = await phone_socket.receive_output(timeout=1)
        assert closed == {"type": "websocket.close", "code": UNAUTHENTICATED_CLOSE_CODE}
        # The other device stays connected and still gets the user's events.
        await push_to_user(young.user.pk, {"type": "still-here"})
        assert await laptop_socket.receive_json_from() == {"type": "still-here"}
        await laptop_socket.disconnect()

    run(scenario)


def test_push_on_an_expired_session_closes_the_socket_instead():
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    counselor = CounselorFactory()
    cookie = session_cookie(counselor.user)
    session_key = cookie.split("=", 1)[1]

    async def scenario():
        communicator, _ = await connected(cookie)
        # Idle timeout reached while the tab stayed open: the session row has expired.
        await sync_to_async(Session.objects.filter(session_key=session_key).update)(
            expire_date=timezone.now()
        )
        await push_to_user(counselor.user.pk, {"type": "secret"})
        closed = await communicator.receive_output(timeout=1)
        assert closed == {"type": "websocket.close", "code": UNAUTHENTICATED_CLOSE_CODE}

    run(scenario)


def test_signing_out_everywhere_closes_every_device_socket():
    young = YoungPersonFactory()
    phone, laptop = Client(), Client()
    phone.force_login(young.user)
    laptop.force_login(young.user)
    name = settings.SESSION_COOKIE_NAME
    cookies = [f"{name}={c.cookies[name].value}" for c in (phone, laptop)]

    async def scenario():
        sockets = [(await connected(cookie))[0] for cookie in cookies]
        response = await sync_to_async(phone.post)("/compte/deconnexion-partout/")
        assert response.status_code == 302
        for device in sockets:
            closed = await device.receive_output(timeout=1)
            assert closed == {"type": "websocket.close", "code": UNAUTHENTICATED_CLOSE_CODE}

    run(scenario)
