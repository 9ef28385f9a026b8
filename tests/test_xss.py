"""User content renders inert: every free-text field of every object gets script and HTML
payloads (a pre_save hook rewrites them as the objects are created), then every page of the
access walk is read by someone allowed to see it, and no payload may come out unescaped."""

import pytest
from django.db import models
from django.db.models.signals import pre_save

from passemploi.chat import services as chat_services
from tests.test_access_walk import (
    IDENTITIES,
    PAGE_ROUTES,
    PAGES,
    PUBLIC,
    ROLE_IDENTITIES,
    World,
    _owns,
    path_for,
)

SCRIPT = "<script>alert(1)</script>"
TAG = '"><img src=x onerror=alert(2)>'
PAYLOAD = f"{SCRIPT}{TAG}"
# Apps whose rows are machinery, not user content.
INFRASTRUCTURE = {"sessions", "axes", "admin", "otp_totp", "contenttypes", "auth"}
# Fields whose value the app parses or that never reach a page as text.
SKIPPED = {"password", "token", "token_hash", "key", "wrapped_key", "time_zone", "storage_key"}


def _free_text(field) -> bool:
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.EmailField | models.URLField | models.SlugField)
        and not field.choices
        and field.name not in SKIPPED
        and (field.max_length is None or field.max_length >= 100)
    )


def _poison(sender, instance, raw=False, **kwargs):
    if sender._meta.app_label in INFRASTRUCTURE:
        return
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if _free_text(field) and isinstance(value, str) and value and PAYLOAD not in value:
            setattr(instance, field.attname, (PAYLOAD + value)[: field.max_length])


@pytest.fixture
def poisoned_world(db):
    pre_save.connect(_poison, dispatch_uid="xss-poison")
    try:
        world = World()
        young_person = world.users["young_person"].young_person
        conversation = chat_services.conversation_of(young_person)
        chat_services.send_message(young_person.user, conversation, PAYLOAD + " salut")
        chat_services.send_message(young_person.counselor.user, conversation, PAYLOAD + " ok")
        yield world
    finally:
        pre_save.disconnect(dispatch_uid="xss-poison")


def _reader(policy) -> str | None:
    for identity in ROLE_IDENTITIES:
        if policy.access in IDENTITIES[identity] and _owns(policy, identity):
            if identity != "anonymous" or policy.access == PUBLIC:
                return identity
    return None


GET_PAGES = sorted(key for key, policy in PAGES.items() if policy.method == "get")


@pytest.mark.parametrize("key", GET_PAGES)
def test_pages_render_user_content_inert(key, poisoned_world):
    policy, route = PAGES[key], PAGE_ROUTES[key]
    identity = _reader(policy)
    if identity is None:
        pytest.skip("no identity reads this page")
    path = path_for(route, policy, poisoned_world, identity)
    response = poisoned_world.client(identity).get(path)
    if not response.get("Content-Type", "").startswith("text/html"):
        # Downloads (CSV, iCalendar), the manifest and the service worker are not rendered as
        # pages; with nosniff the browser never reads them as HTML.
        assert response.get("X-Content-Type-Options") == "nosniff", path
        return
    body = response.content.decode(errors="replace")
    assert SCRIPT not in body, f"{path} as {identity}"
    assert TAG not in body, f"{path} as {identity}"


def test_the_payload_really_reaches_pages(poisoned_world):
    """Guard against a vacuous pass: the conversation page shows the escaped payload."""
    client = poisoned_world.client("young_person")
    body = client.get("/app/messages/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
