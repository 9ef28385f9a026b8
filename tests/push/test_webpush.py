"""Web Push against a real local HTTP server acting as the browser's push service."""

import base64
import json
import time

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from passemploi.push.models import PushDelivery, PushSubscription
from passemploi.push.services import PushRetryLater, send_to_user
from tests.push.conftest import make_subscription
from tests.push.servers import LocalServer, Reply

MESSAGE = {
    "title": "Nouveau message",
    "body": "Nouveau message de votre conseiller",
    "url": "/app/messages/",
    "tag": "chat",
}


def b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def verify_vapid(authorization: str, public_key: str) -> dict:
    """Check the `vapid t=<JWT>,k=<key>` header (RFC 8292): ES256 signature, claims."""
    scheme, params = authorization.split(" ", 1)
    assert scheme == "vapid"
    parts = dict(item.split("=", 1) for item in params.split(","))
    assert parts["k"] == public_key
    header_b64, claims_b64, signature_b64 = parts["t"].split(".")
    assert json.loads(b64decode(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = b64decode(signature_b64)
    assert len(signature) == 64
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(public_key))
    key.verify(  # raises InvalidSignature
        encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        ),
        f"{header_b64}.{claims_b64}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    return json.loads(b64decode(claims_b64))


def test_the_push_service_receives_an_encrypted_signed_message(young_person, vapid, browser_keys):
    _, public_key = vapid
    with LocalServer(lambda request: Reply(201)) as server:
        subscription = make_subscription(
            young_person.user, f"{server.origin}/wpush/v2/abc", browser_keys
        )
        report = send_to_user(young_person.user, **MESSAGE, key="notification:1")

    assert (report.sent, report.removed, report.retry) == (1, 0, 0)
    [request] = server.requests
    assert request.path == "/wpush/v2/abc"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert int(request.headers["ttl"]) > 0
    payload = http_ece.decrypt(
        request.body,
        private_key=browser_keys.private_key,
        auth_secret=browser_keys.auth_secret,
        version="aes128gcm",
    )
    assert json.loads(payload) == MESSAGE
    assert b"conseiller" not in request.body  # encrypted, not plain text
    claims = verify_vapid(request.headers["authorization"], public_key)
    assert claims["aud"] == server.origin
    assert claims["sub"] == "mailto:support@passemploi.test"
    assert time.time() + 11 * 3600 < claims["exp"] <= time.time() + 12 * 3600
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None
    assert subscription.failure_count == 0


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted_at_once(young_person, vapid, status):
    with LocalServer(lambda request: Reply(status)) as server:
        make_subscription(young_person.user, f"{server.origin}/gone")
        kept = make_subscription(young_person.user, f"{server.origin}/other")
        server.respond = lambda request: Reply(status if request.path == "/gone" else 201)
        report = send_to_user(young_person.user, **MESSAGE)
    assert (report.sent, report.removed) == (1, 1)
    assert list(PushSubscription.objects.all()) == [kept]


def test_429_asks_to_retry_after_the_delay_the_service_gave(young_person, vapid):
    with LocalServer(lambda request: Reply(429, {"Retry-After": "120"})) as server:
        subscription = make_subscription(young_person.user, f"{server.origin}/busy")
        with pytest.raises(PushRetryLater) as raised:
            send_to_user(young_person.user, **MESSAGE, key="n:429")
    assert raised.value.retry_after_seconds == 120
    assert raised.value.report.retry == 1
    subscription.refresh_from_db()
    assert subscription.failure_count == 1
    assert not PushDelivery.objects.exists()


def test_500_is_retried_later_and_the_subscription_kept(young_person, vapid):
    with LocalServer(lambda request: Reply(500)) as server:
        make_subscription(young_person.user, f"{server.origin}/down")
        with pytest.raises(PushRetryLater) as raised:
            send_to_user(young_person.user, **MESSAGE)
    assert raised.value.retry_after_seconds == 60
    assert PushSubscription.objects.count() == 1


def test_a_service_that_never_answers_times_out_and_is_retried(young_person, vapid, settings):
    settings.PUSH_TIMEOUT_SECONDS = 0.5
    with LocalServer(lambda request: Reply(hang=True)) as server:
        make_subscription(young_person.user, f"{server.origin}/slow")
        started = time.monotonic()
        with pytest.raises(PushRetryLater):
            send_to_user(young_person.user, **MESSAGE)
        elapsed = time.monotonic() - started
    assert elapsed < 3
    assert PushSubscription.objects.count() == 1


def test_a_retry_with_the_same_key_skips_the_targets_already_reached(young_person, vapid):
    with LocalServer(lambda request: Reply(201)) as server:
        make_subscription(young_person.user, f"{server.origin}/ok")
        make_subscription(young_person.user, f"{server.origin}/flaky")
        server.respond = lambda request: Reply(503 if request.path == "/flaky" else 201)
        with pytest.raises(PushRetryLater) as raised:
            send_to_user(young_person.user, **MESSAGE, key="notification:7")
        assert raised.value.report.sent == 1

        server.respond = lambda request: Reply(201)
        report = send_to_user(young_person.user, **MESSAGE, key="notification:7")
        assert (report.sent, report.already_sent) == (1, 1)
        again = send_to_user(young_person.user, **MESSAGE, key="notification:7")
        assert (again.sent, again.already_sent, again.skipped) == (0, 2, 0)
    paths = [request.path for request in server.requests]
    assert paths.count("/ok") == 1
    assert paths.count("/flaky") == 2


def test_push_is_skipped_when_vapid_is_not_configured(young_person, settings, caplog):
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_PUBLIC_KEY = ""
    with LocalServer(lambda request: Reply(201)) as server:
        make_subscription(young_person.user, f"{server.origin}/x")
        report = send_to_user(young_person.user, **MESSAGE)
    assert (report.sent, report.skipped) == (0, 1)
    assert not server.requests
    assert "Web Push disabled" in caplog.text


def test_other_users_subscriptions_get_nothing(young_person, vapid):
    from tests.factories import YoungPersonFactory

    other = YoungPersonFactory()
    with LocalServer(lambda request: Reply(201)) as server:
        make_subscription(other.user, f"{server.origin}/theirs")
        report = send_to_user(young_person.user, **MESSAGE)
    assert report.sent == 0
    assert not server.requests
