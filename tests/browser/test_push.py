"""The "Recevoir les notifications sur ce téléphone" switch in a real Chromium with the service
worker running: subscribing posts the subscription to the API, unsubscribing deletes it.

Headless Chromium has no push service to reach (no network), so only `PushManager.subscribe`
and `getSubscription` are replaced, by an init script returning a subscription object like the
browser's; everything else (service worker, permission, page script, CSRF, API) is real."""

import base64
import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from passemploi.push.management.commands.generate_vapid_keys import generate_vapid_keys
from passemploi.push.models import PushSubscription
from tests.browser.conftest import PHONE, TIMEOUT_MS, _watch, check_page
from tests.browser.test_onboarding import sign_in
from tests.factories import PASSWORD, YoungPersonFactory
from tests.push.conftest import BrowserKeys

pytestmark = pytest.mark.browser

SWITCH = "Recevoir les notifications sur ce téléphone"
ENDPOINT = "https://push.example.net/wpush/browser-test"

FAKE_PUSH_MANAGER = """
(() => {
  let current = null;
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    window.__applicationServerKey = btoa(String.fromCharCode(...key));
    current = {
      endpoint: %(endpoint)s,
      toJSON() {
        return { endpoint: this.endpoint, expirationTime: null, keys: %(keys)s };
      },
      unsubscribe() { current = null; return Promise.resolve(true); },
    };
    return Promise.resolve(current);
  };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
})();
"""


@pytest.fixture
def vapid_keys(settings):
    private, public = generate_vapid_keys()
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, public
    return public


def phone_with_service_worker(browser, live_server, init_script: str):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", service_workers="allow", **PHONE
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(init_script)
    return context, _watch(context.new_page())


def test_the_switch_subscribes_and_unsubscribes_this_phone(browser, live_server, vapid_keys):
    young_person = YoungPersonFactory()
    keys = BrowserKeys()
    script = FAKE_PUSH_MANAGER % {
        "endpoint": json.dumps(ENDPOINT),
        "keys": json.dumps({"p256dh": keys.p256dh, "auth": keys.auth}),
    }
    context, page = phone_with_service_worker(browser, live_server, script)
    try:
        page.goto(f"{live_server.url}/connexion/")
        sign_in(page, young_person.user.email, PASSWORD)
        page.goto(live_server.url + reverse("youth:profile"))
        switch = page.get_by_text(SWITCH)
        expect(switch).to_be_visible()  # the service worker is ready
        check_page(page, "Profil")

        switch.click()
        expect(page.get_by_role("status")).to_have_text("Notifications activées sur ce téléphone.")
        subscription = PushSubscription.objects.get()
        assert subscription.user == young_person.user
        assert (subscription.endpoint, subscription.p256dh) == (ENDPOINT, keys.p256dh)
        sent_key = base64.b64decode(page.evaluate("window.__applicationServerKey"))
        assert base64.urlsafe_b64encode(sent_key).rstrip(b"=").decode() == vapid_keys
        expect(page.get_by_label(SWITCH)).to_be_checked()

        switch.click()
        expect(page.get_by_role("status")).to_have_text(
            "Notifications désactivées sur ce téléphone."
        )
        assert not PushSubscription.objects.exists()
        check_page(page, "Profil")
    finally:
        context.close()


def test_the_switch_stays_hidden_in_a_browser_without_push(browser, live_server, vapid_keys):
    young_person = YoungPersonFactory()
    context, page = phone_with_service_worker(browser, live_server, "delete window.PushManager;")
    try:
        page.goto(f"{live_server.url}/connexion/")
        sign_in(page, young_person.user.email, PASSWORD)
        page.goto(live_server.url + reverse("youth:profile"))
        check_page(page, "Profil")
        # Once the service worker is ready the script has run and kept the switch hidden.
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        expect(page.get_by_text(SWITCH)).to_be_hidden()
    finally:
        context.close()


def test_the_service_worker_shows_a_pushed_notification(browser, live_server, vapid_keys):
    """A push message delivered to the real service worker (through the DevTools protocol, as a
    push service would) becomes a notification with the payload's title, body, tag and URL."""
    young_person = YoungPersonFactory()
    context, page = phone_with_service_worker(browser, live_server, "")
    try:
        page.goto(f"{live_server.url}/connexion/")
        sign_in(page, young_person.user.email, PASSWORD)
        page.goto(live_server.url + reverse("youth:profile"))
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        cdp = context.new_cdp_session(page)
        registrations = []
        cdp.on(
            "ServiceWorker.workerRegistrationUpdated",
            lambda event: registrations.extend(event["registrations"]),
        )
        cdp.send("ServiceWorker.enable")
        for _ in range(50):  # the registrations arrive as protocol events
            if registrations:
                break
            page.wait_for_timeout(100)
        [registration] = [r for r in registrations if not r.get("isDeleted")]
        payload = {
            "title": "Nouveau message",
            "body": "Nouveau message de votre conseiller",
            "url": "/app/messages/",
            "tag": "chat",
        }
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server.url,
                "registrationId": registration["registrationId"],
                "data": json.dumps(payload),
            },
        )
        shown = page.evaluate(
            """async () => {
              const registration = await navigator.serviceWorker.ready;
              for (let i = 0; i < 50; i++) {
                const notifications = await registration.getNotifications();
                if (notifications.length) {
                  const n = notifications[0];
                  return { title: n.title, body: n.body, tag: n.tag, url: n.data.url };
                }
                await new Promise((resolve) => setTimeout(resolve, 100));
              }
              return null;
            }"""
        )
        assert shown == payload
    finally:
        context.close()
