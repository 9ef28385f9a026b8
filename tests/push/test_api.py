"""The push API: registering and removing subscriptions and device tokens, bad input, ownership.
Every answer is checked against the published OpenAPI document."""

import pytest
from django.test import Client

from passemploi.push.models import DeviceToken, PushSubscription
from tests.accounts.test_api import documented, openapi  # noqa: F401  (openapi: a fixture)
from tests.actions.test_api import call  # noqa: F401 (a fixture)
from tests.factories import UserFactory, YoungPersonFactory
from tests.push.conftest import BrowserKeys

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/api/v1/push-subscriptions"
DEVICES = "/api/v1/devices"
DEVICE = "/api/v1/devices/{token}"
VAPID_KEY = "/api/v1/push/vapid-public-key"
ENDPOINT = "https://push.example.net/wpush/v2/abc"


def subscription(endpoint=ENDPOINT, keys=None) -> dict:
    keys = keys or BrowserKeys()
    # As the browser's PushSubscription.toJSON() gives it.
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
    }


def test_subscribe_is_idempotent_on_the_endpoint(call, young_person):
    user = young_person.user
    status, body = call(user, "post", SUBSCRIPTIONS, subscription())
    assert status == 201
    assert body["endpoint"] == ENDPOINT
    assert body["last_success_at"] is None
    new_keys = BrowserKeys()
    status, _ = call(user, "post", SUBSCRIPTIONS, subscription(keys=new_keys))
    assert status == 200
    [stored] = PushSubscription.objects.all()
    assert (stored.user, stored.p256dh, stored.auth) == (user, new_keys.p256dh, new_keys.auth)


def test_padded_base64_keys_are_accepted_and_stored_unpadded(call, young_person):
    keys = BrowserKeys()
    data = subscription(keys=keys)
    data["keys"]["auth"] += "=="
    assert call(young_person.user, "post", SUBSCRIPTIONS, data)[0] == 201
    assert PushSubscription.objects.get().auth == keys.auth


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"endpoint": "http://push.example.net/x"}, "invalid_endpoint", "endpoint"),
        ({"endpoint": "pas une url"}, "invalid_endpoint", "endpoint"),
        ({"keys": {"p256dh": "abc", "auth": BrowserKeys().auth}}, "invalid_key", "keys.p256dh"),
        ({"keys": {"p256dh": "A" * 87, "auth": BrowserKeys().auth}}, "invalid_key", "keys.p256dh"),
        ({"keys": {"p256dh": BrowserKeys().p256dh, "auth": "a+b/"}}, "invalid_key", "keys.auth"),
        ({"keys": {"p256dh": BrowserKeys().p256dh, "auth": "AAAA"}}, "invalid_key", "keys.auth"),
    ],
)
def test_a_malformed_subscription_is_refused(call, young_person, change, code, field):
    status, body = call(young_person.user, "post", SUBSCRIPTIONS, subscription() | change)
    assert status == 422
    assert body["code"] == code
    assert field in body["fields"]
    assert body["message"]
    assert not PushSubscription.objects.exists()


def test_a_subscription_without_keys_is_a_validation_error(call, young_person):
    status, body = call(young_person.user, "post", SUBSCRIPTIONS, {"endpoint": ENDPOINT})
    assert (status, body["code"]) == (422, "validation_error")


def test_unsubscribe_only_ones_own(call, young_person):
    other = YoungPersonFactory().user
    call(young_person.user, "post", SUBSCRIPTIONS, subscription())
    status, body = call(other, "delete", SUBSCRIPTIONS, {"endpoint": ENDPOINT})
    assert (status, body["code"]) == (404, "not_found")
    assert PushSubscription.objects.count() == 1
    assert call(young_person.user, "delete", SUBSCRIPTIONS, {"endpoint": ENDPOINT})[0] == 204
    assert not PushSubscription.objects.exists()


def test_the_last_account_signed_in_on_a_browser_gets_its_subscription(call, young_person):
    other = YoungPersonFactory().user
    call(young_person.user, "post", SUBSCRIPTIONS, subscription())
    assert call(other, "post", SUBSCRIPTIONS, subscription())[0] == 200
    assert PushSubscription.objects.get().user == other


def test_register_a_device_then_refresh_it(call, young_person):
    user = young_person.user
    status, body = call(user, "post", DEVICES, {"platform": "android", "token": "fcm:abc-1"})
    assert status == 201
    assert (body["platform"], body["platform_label"]) == ("android", "Android")
    first_seen = DeviceToken.objects.get().last_seen_at
    status, body = call(user, "post", DEVICES, {"platform": "android", "token": "fcm:abc-1"})
    assert status == 200
    assert DeviceToken.objects.get().last_seen_at >= first_seen
    assert DeviceToken.objects.count() == 1


@pytest.mark.parametrize("platform", ["windows", "", "IOS"])
def test_an_unknown_platform_is_refused(call, young_person, platform):
    status, body = call(young_person.user, "post", DEVICES, {"platform": platform, "token": "t"})
    assert status == 422
    assert body["code"] == "unknown_platform"
    assert "platform" in body["fields"]
    assert not DeviceToken.objects.exists()


def test_an_empty_token_is_refused(call, young_person):
    status, body = call(young_person.user, "post", DEVICES, {"platform": "ios", "token": " "})
    assert (status, body["code"]) == (422, "invalid_token")


def test_delete_only_ones_own_device(call, young_person):
    call(young_person.user, "post", DEVICES, {"platform": "ios", "token": "tok-9"})
    other = YoungPersonFactory().user
    status, body = call(other, "delete", DEVICE, token="tok-9")
    assert (status, body["code"]) == (404, "not_found")
    assert call(young_person.user, "delete", DEVICE, token="tok-9")[0] == 204
    assert not DeviceToken.objects.exists()


def test_vapid_public_key(call, young_person, vapid):
    _, public_key = vapid
    assert call(young_person.user, "get", VAPID_KEY) == (200, {"public_key": public_key})


def test_vapid_public_key_is_null_when_web_push_is_off(call, young_person, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    assert call(young_person.user, "get", VAPID_KEY) == (200, {"public_key": None})


def test_anonymous_and_other_roles_are_refused(call):
    status, body = call(None, "post", DEVICES, {"platform": "ios", "token": "t"})
    assert (status, body["code"]) == (401, "not_authenticated")
    status, body = call(UserFactory(is_staff=True), "post", SUBSCRIPTIONS, subscription())
    assert status == 403


def test_the_web_page_session_needs_the_csrf_token(young_person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(young_person.user)
    response = client.post(SUBSCRIPTIONS, subscription(), content_type="application/json")
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()
