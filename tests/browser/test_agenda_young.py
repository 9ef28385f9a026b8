"""A young person's agenda on a 360 px phone: Événements, registering to a session, finding it
in Mon suivi, unregistering with a reason, an appointment's page and the calendar subscription.
axe-core on every page, and no page scrolls sideways."""

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passemploi.agenda.models import Participation
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    ParticipationFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.browser

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(days: int, hour: int):
    moment = (timezone.now() + timedelta(days=days)).astimezone(PARIS)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def test_young_person_registers_to_a_session_and_unregisters(live_server, phone_page):
    young_person = YoungPersonFactory(user__first_name="Inès")
    counselor = young_person.counselor
    appointment = AppointmentFactory(
        counselor=counselor,
        title="Point sur votre recherche d'emploi",
        starts_at=at(1, 10),
        address="12 rue de la Paix, 75002 Paris, au 3e étage, bureau des conseillers",
        comment="Apportez votre dernier bulletin de salaire.",
    )
    ParticipationFactory(appointment=appointment, young_person=young_person)
    session = AppointmentFactory(
        session=True,
        counselor=counselor,
        title="Atelier CV et lettre de motivation",
        starts_at=at(2, 14),
        duration_minutes=120,
        max_participants=5,
    )
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, young_person.user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Inès")
    expect(page.get_by_role("main")).to_contain_text("Point sur votre recherche d'emploi")
    check_page(page, "Accueil")

    # The appointment: local time, map link, advice.
    page.get_by_role("link", name="Point sur votre recherche d'emploi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Point sur votre recherche d'emploi")
    expect(page.get_by_role("main")).to_contain_text("De 10 h 00 à 11 h 00")
    expect(page.get_by_role("link", name="Voir sur une carte")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/search\?query=12\+rue")
    )
    expect(page.get_by_role("link", name="Ajouter à mon agenda")).to_be_visible()
    expect(page.get_by_role("link", name="Prévenir mon conseiller")).to_have_attribute(
        "href", "/app/messages/"
    )
    check_page(page, "Point sur votre recherche d'emploi")

    # Événements: the session, with its seats.
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Événements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Événements")
    offered = page.locator(f"#session-{session.pk}")
    expect(offered).to_contain_text("5 places restantes")
    check_page(page, "Événements")
    offered.get_by_role("link", name="Atelier CV et lettre de motivation").click()

    # Its page: register.
    expect(page.get_by_role("main")).to_contain_text("Vous n'êtes pas inscrit.")
    check_page(page, "Atelier CV et lettre de motivation")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Vous êtes inscrit à « Atelier CV et lettre de motivation »."
    )
    expect(page.get_by_role("main")).to_contain_text("4 places restantes sur 5")
    check_page(page, "Atelier CV et lettre de motivation")
    assert Participation.objects.get(appointment=session).young_person == young_person

    nav.get_by_role("link", name="Événements").click()
    expect(page.locator(f"#inscription-{session.pk}")).to_contain_text("Inscrit")
    check_page(page, "Événements")

    # Mon suivi: on its day, beside the actions.
    nav.get_by_role("link", name="Mon suivi").click()
    card = page.locator(f"#rdv-{session.pk}")
    expect(card).to_contain_text("14 h 00")
    expect(card).to_contain_text("Inscrit")
    expect(page.locator(f"#rdv-{appointment.pk}")).to_contain_text("10 h 00")
    check_page(page, "Mon suivi")
    card.get_by_role("link", name="Atelier CV et lettre de motivation").click()

    # Unregister: a reason is required.
    expect(page.get_by_role("main")).to_contain_text("Vous êtes inscrit.")
    page.get_by_role("button", name="Me désinscrire").click()
    reason = page.get_by_label(label("Pourquoi vous désinscrivez-vous ?"))
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Indiquez pourquoi vous vous désinscrivez.")).to_be_visible()
    check_page(page, re.compile("^Erreur — Atelier CV"))
    reason.fill("J'ai un entretien d'embauche ce jour-là.")
    page.get_by_role("button", name="Me désinscrire").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Votre désinscription de « Atelier CV et lettre de motivation » est enregistrée."
    )
    expect(page.get_by_role("main")).to_contain_text("Vous vous êtes désinscrit le")
    check_page(page, "Atelier CV et lettre de motivation")
    participation = Participation.objects.get(appointment=session)
    assert participation.attendance == "unregistered"
    assert participation.unregistration_reason == "J'ai un entretien d'embauche ce jour-là."

    # Mon suivi no longer shows it.
    nav.get_by_role("link", name="Mon suivi").click()
    expect(page.locator(f"#rdv-{session.pk}")).to_have_count(0)

    # The calendar subscription, from the profile.
    page.get_by_role("link", name="Profil").click()
    page.get_by_role("link", name=re.compile("Synchroniser mes rendez-vous")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Synchroniser mon agenda")
    link = page.get_by_label(label("Votre lien d'abonnement"))
    old = link.input_value()
    assert re.fullmatch(r"https?://[^/]+/calendrier/[\w-]+\.ics", old)
    check_page(page, "Synchroniser mon agenda")
    page.get_by_role("button", name="Révoquer ce lien").click()
    expect(page.get_by_role("status")).to_contain_text("L'ancien lien ne fonctionne plus.")
    assert link.input_value() != old
    check_page(page, "Synchroniser mon agenda")
