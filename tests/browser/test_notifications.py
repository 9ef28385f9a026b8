"""The young person's notification centre on a 360 px phone: the header badge, opening a
notice, marking everything read, the switches. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from passemploi.notifications import services
from passemploi.notifications.enums import Kind, Topic
from passemploi.notifications.models import NotificationPreferences
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import sign_in
from tests.factories import PASSWORD, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_notification_centre_on_a_phone(live_server, phone_page):
    young_person = YoungPersonFactory(user__first_name="Inès")
    user = young_person.user
    services.notify(
        user,
        kind=Kind.MESSAGE,
        topic=Topic.MESSAGES,
        title="Nouveau message",
        body="Nouveau message de votre conseiller",
        link="/app/messages/",
        key="browser:message",
    )
    services.notify(
        user,
        kind=Kind.APPOINTMENT,
        topic=Topic.APPOINTMENTS,
        title="Nouveau rendez-vous",
        body="Entretien individuel le 12/03/2026 à 10:00.",
        link="/app/",
        key="browser:appointment",
    )
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, user.email, PASSWORD)
    bell = page.get_by_role("link", name="Notifications, 2 non lues")
    expect(bell).to_be_visible()
    check_page(page, "Accueil")

    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator(".pe-notification--unread")).to_have_count(2)
    check_page(page, "Notifications")

    # Opening one marks it read and leads to its object.
    page.get_by_role("button", name=re.compile("Nouveau rendez-vous")).click()
    expect(page).to_have_url(f"{live_server.url}/app/")
    expect(page.get_by_role("link", name="Notifications, 1 non lue")).to_be_visible()

    page.get_by_role("link", name="Notifications, 1 non lue").click()
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_text("Toutes vos notifications sont marquées comme lues.")).to_be_visible()
    expect(page.locator(".pe-notification--unread")).to_have_count(0)
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    check_page(page, "Notifications")

    page.get_by_role("link", name="Choisir mes notifications").click()
    check_page(page, "Mes notifications")
    page.get_by_text("Actualités de ma structure", exact=True).click()  # its switch
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos préférences sont enregistrées.")).to_be_visible()
    check_page(page, "Mes notifications")
    prefs = NotificationPreferences.objects.get(user=user)
    assert prefs.news is False and prefs.messages is True
