"""The FCM HTTP v1 sender against a local server playing both Google's OAuth token endpoint and
the FCM messages:send endpoint."""

import base64
import json
import time
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.management import call_command
from django.utils import timezone

from passemploi.push import fcm
from passemploi.push.models import DeviceToken, Platform
from passemploi.push.services import PushRetryLater, drop_stale_device_tokens, send_to_user
from tests.push.servers import LocalServer, Reply, json_reply

PROJECT = "passemploi-test"
MESSAGE = {"title": "Rendez-vous demain", "body": "Un rendez-vous vous attend.", "url": "/app/"}


def b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


class FakeGoogle:
    """Token endpoint + FCM: checks the JWT assertion's RS256 signature and the bearer token."""

    def __init__(self, public_key):
        self.public_key = public_key
        self.issued = 0
        self.assertions: list[dict] = []
        self.messages: list[dict] = []
        self.token_reply: Reply | None = None
        self.device_replies: dict[str, Reply] = {}
        self.server = LocalServer(self.respond)

    def respond(self, request):
        if request.path == "/token":
            return self.token(request)
        assert request.path == f"/v1/projects/{PROJECT}/messages:send"
        if request.headers.get("authorization") != f"Bearer access-{self.issued}":
            return json_reply(401, {"error": {"code": 401, "status": "UNAUTHENTICATED"}})
        message = json.loads(request.body)["message"]
        self.messages.append(message)
        reply = self.device_replies.get(message["token"])
        return reply or json_reply(200, {"name": f"projects/{PROJECT}/messages/1"})

    def token(self, request):
        if self.token_reply is not None:
            return self.token_reply
        form = parse_qs(request.body.decode())
        assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
        header, claims, signature = form["assertion"][0].split(".")
        self.public_key.verify(  # raises InvalidSignature
            b64decode(signature),
            f"{header}.{claims}".encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
        assert json.loads(b64decode(header))["alg"] == "RS256"
        self.assertions.append(json.loads(b64decode(claims)))
        self.issued += 1
        return json_reply(200, {"access_token": f"access-{self.issued}", "expires_in": 3599})


@pytest.fixture
def google(settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    fake = FakeGoogle(key.public_key())
    with fake.server:
        settings.FCM_CREDENTIALS = json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT,
                "client_email": "push@passemploi-test.iam.gserviceaccount.com",
                "private_key": key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode(),
                "token_uri": f"{fake.server.origin}/token",
            }
        )
        settings.FCM_BASE_URL = fake.server.origin
        settings.FCM_TOKEN_URI = ""
        yield fake


def device(user, token="device-token-1", platform=Platform.ANDROID) -> DeviceToken:  # noqa: S107
    return DeviceToken.objects.create(user=user, token=token, platform=platform)


def test_a_message_reaches_fcm_with_a_signed_grant_and_a_cached_token(young_person, google):
    device(young_person.user, "tok-a")
    device(young_person.user, "tok-b", Platform.IOS)
    report = send_to_user(young_person.user, **MESSAGE, tag="appointment")
    send_to_user(young_person.user, **MESSAGE)

    assert report.sent == 2
    assert google.issued == 1  # one access token, reused until it expires
    [claims] = google.assertions
    assert claims["iss"] == "push@passemploi-test.iam.gserviceaccount.com"
    assert claims["aud"] == f"{google.server.origin}/token"
    assert claims["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
    assert claims["iat"] <= time.time() < claims["exp"] <= claims["iat"] + 3600
    first = google.messages[0]
    assert first["token"] == "tok-a"
    assert first["notification"] == {"title": MESSAGE["title"], "body": MESSAGE["body"]}
    assert first["data"] == {"url": "/app/", "tag": "appointment"}
    assert first["android"]["notification"]["tag"] == "appointment"
    assert [m["token"] for m in google.messages] == ["tok-a", "tok-b", "tok-a", "tok-b"]


def test_credentials_from_a_file(young_person, google, settings, tmp_path):
    path = tmp_path / "service-account.json"
    path.write_text(settings.FCM_CREDENTIALS)
    settings.FCM_CREDENTIALS = str(path)
    device(young_person.user)
    assert send_to_user(young_person.user, **MESSAGE).sent == 1


def test_an_unregistered_token_is_deleted(young_person, google):
    device(young_person.user, "stale")
    kept = device(young_person.user, "fresh")
    google.device_replies["stale"] = json_reply(
        404,
        {
            "error": {
                "code": 404,
                "status": "NOT_FOUND",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                        "errorCode": "UNREGISTERED",
                    }
                ],
            }
        },
    )
    report = send_to_user(young_person.user, **MESSAGE)
    assert (report.sent, report.removed) == (1, 1)
    assert list(DeviceToken.objects.all()) == [kept]


@pytest.mark.parametrize(
    ("reply", "delay"),
    [(Reply(429, {"Retry-After": "30"}), 30), (Reply(503), 60), (Reply(hang=True), 60)],
)
def test_busy_fcm_is_retried_later(young_person, google, settings, reply, delay):
    settings.PUSH_TIMEOUT_SECONDS = 0.5
    device(young_person.user, "busy")
    google.device_replies["busy"] = reply
    with pytest.raises(PushRetryLater) as raised:
        send_to_user(young_person.user, **MESSAGE)
    assert raised.value.retry_after_seconds == delay
    assert DeviceToken.objects.count() == 1


def test_a_token_endpoint_failure_is_retried_later(young_person, google):
    device(young_person.user)
    google.token_reply = Reply(500)
    with pytest.raises(PushRetryLater):
        send_to_user(young_person.user, **MESSAGE)
    assert not google.messages


def test_a_revoked_access_token_is_fetched_again(young_person, google):
    device(young_person.user)
    send_to_user(young_person.user, **MESSAGE)
    google.issued += 1  # the server now expects a newer token than the cached one
    with pytest.raises(PushRetryLater):
        send_to_user(young_person.user, **MESSAGE)
    google.issued -= 1
    assert send_to_user(young_person.user, **MESSAGE).sent == 1
    assert len(google.assertions) == 2


def test_fcm_is_skipped_without_credentials(young_person, settings):
    settings.FCM_CREDENTIALS = ""
    device(young_person.user)
    report = send_to_user(young_person.user, **MESSAGE)
    assert (report.sent, report.skipped) == (0, 1)
    assert not fcm.enabled()


def test_tokens_unused_for_60_days_are_dropped(young_person):
    now = timezone.now()
    old = device(young_person.user, "old")
    recent = device(young_person.user, "recent")
    DeviceToken.objects.filter(pk=old.pk).update(last_seen_at=now - timedelta(days=61))
    DeviceToken.objects.filter(pk=recent.pk).update(last_seen_at=now - timedelta(days=59))
    assert drop_stale_device_tokens() == 1
    assert list(DeviceToken.objects.all()) == [recent]
    DeviceToken.objects.filter(pk=recent.pk).update(last_seen_at=now - timedelta(days=70))
    call_command("drop_stale_device_tokens")
    assert not DeviceToken.objects.exists()
