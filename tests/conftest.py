import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from passemploi.core.consumers import user_group
from tests.factories import PASSWORD, CounselorFactory, StructureFactory, YoungPersonFactory


@pytest.fixture
def structure(db):
    return StructureFactory()


@pytest.fixture
def counselor(structure):
    return CounselorFactory(structure=structure)


@pytest.fixture
def supervisor(structure):
    return CounselorFactory(structure=structure, supervisor=True)


@pytest.fixture
def young_person(counselor):
    return YoungPersonFactory(counselor=counselor)


@pytest.fixture
def other_structure_counselor(db):
    """A counselor of another structure, with a young person of their own."""
    counselor = CounselorFactory(structure=StructureFactory())
    YoungPersonFactory(counselor=counselor)
    return counselor


def client_for(user) -> Client:
    """A signed-in client. Support staff always pass the second factor at sign-in, so their
    session is marked verified by a confirmed TOTP device, as the real sign-in leaves it."""
    client = Client()
    client.force_login(user)
    if user.is_staff:
        verify_session(client, user)
    return client


def verify_session(client, user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def counselor_client(counselor):
    return client_for(counselor.user)


@pytest.fixture
def young_client(young_person):
    return client_for(young_person.user)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def attachment_storage(settings, tmp_path_factory):
    """Chat attachments go to a temporary directory, never under var/ (tests/chat has its own,
    one per test)."""
    location = tmp_path_factory.getbasetemp() / "attachments"
    settings.CHAT_ATTACHMENTS_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(location)},
    }
    return location


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The sign-in slow-down lives in the cache: no test inherits another's failures."""
    cache.clear()
    yield


class Inbox:
    """Events a test channel received from a user's group (as a socket of that user would)."""

    def __init__(self, layer, channel):
        self.layer, self.channel = layer, channel

    def events(self) -> list[dict]:
        """Every event pushed so far (waits briefly for each)."""

        async def drain():
            events = []
            while True:
                # A loaded machine may take a moment for the first; the rest follow quickly.
                wait = 0.2 if events else 1.0
                try:
                    message = await asyncio.wait_for(self.layer.receive(self.channel), wait)
                except TimeoutError:
                    return events
                assert message["type"] == "user.event"
                events.append(message["event"])

        return async_to_sync(drain)()


@pytest.fixture
def listen():
    """Subscribe a test channel of the real channel layer to users' groups, as a socket does."""
    layer = get_channel_layer()
    joined = []

    def subscribe(user) -> Inbox:
        # A plain channel name (no "!"): the Redis layer then reads it directly, from whichever
        # event loop async_to_sync runs, instead of through a buffer bound to one loop.
        channel = f"test-inbox.{uuid.uuid4().hex}"
        async_to_sync(layer.group_add)(user_group(user.pk), channel)
        joined.append((user_group(user.pk), channel))
        return Inbox(layer, channel)

    yield subscribe
    for group, channel in joined:
        async_to_sync(layer.group_discard)(group, channel)
