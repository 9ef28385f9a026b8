"""Support sees push targets without the endpoint or keys that would let anyone push."""

from django.urls import reverse

from passemploi.push.models import DeviceToken
from tests.accounts.test_admin import admin_client, support  # noqa: F401 (fixtures)
from tests.push.conftest import make_subscription


def test_support_lists_targets_without_their_secrets(admin_client, young_person):  # noqa: F811
    subscription = make_subscription(young_person.user, "https://push.example.net/wpush/secret-id")
    DeviceToken.objects.create(user=young_person.user, platform="ios", token="secret-token")
    for name in ("pushsubscription", "devicetoken"):
        listing = admin_client.get(reverse(f"admin:push_{name}_changelist"))
        assert listing.status_code == 200
        assert young_person.user.email in listing.content.decode()
    page = admin_client.get(reverse("admin:push_pushsubscription_change", args=[subscription.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "push.example.net" in html
    assert "secret-id" not in html and subscription.p256dh not in html
    listing = admin_client.get(reverse("admin:push_devicetoken_changelist")).content.decode()
    assert "secret-token" not in listing
