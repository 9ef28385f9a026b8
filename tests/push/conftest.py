import base64
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from passemploi.push import fcm, services
from passemploi.push.management.commands.generate_vapid_keys import generate_vapid_keys
from passemploi.push.models import PushSubscription


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class BrowserKeys:
    """What a browser holds for one subscription: a P-256 key pair and a 16-byte auth secret."""

    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = os.urandom(16)

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)


@pytest.fixture
def browser_keys():
    return BrowserKeys()


@pytest.fixture
def vapid(settings):
    """Fresh VAPID keys in the settings; returns (private, public)."""
    private, public = generate_vapid_keys()
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_PUBLIC_KEY = public
    settings.VAPID_SUBJECT = "mailto:support@passemploi.test"
    return private, public


@pytest.fixture(autouse=True)
def _fresh_push_state():
    fcm.token_cache.clear()
    services._warned_disabled.clear()
    yield
    fcm.token_cache.clear()


def make_subscription(user, endpoint: str, keys: BrowserKeys | None = None) -> PushSubscription:
    keys = keys or BrowserKeys()
    return PushSubscription.objects.create(
        user=user, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth
    )
