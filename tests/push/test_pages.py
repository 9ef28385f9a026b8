"""The push switch on the young person's profile and the service worker's push handlers."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_profile_offers_the_switch_when_web_push_is_configured(young_person, vapid):
    _, public_key = vapid
    response = client_for(young_person.user).get(reverse("youth:profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Recevoir les notifications sur ce téléphone" in html
    assert f'data-vapid-key="{public_key}"' in html
    assert 'data-subscriptions-url="/api/v1/push-subscriptions"' in html
    assert 'id="push-switch"\n       hidden' in html  # shown by the script where supported
    assert "push/device-switch.js" in html


def test_no_switch_without_vapid_keys(young_person, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    html = client_for(young_person.user).get(reverse("youth:profile")).content.decode()
    assert "push-switch" not in html
    assert "device-switch.js" not in html


def test_the_service_worker_handles_push_and_clicks(db, client):
    body = client.get(reverse("youth:service_worker")).content.decode()
    assert 'addEventListener("push"' in body
    assert "showNotification" in body
    assert 'addEventListener("notificationclick"' in body
    assert "openWindow" in body
