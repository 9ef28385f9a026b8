"""The agenda journey of the issue, across both spaces: the counselor creates a collective
session at a desk, a young person registers from Événements on a phone, another is refused
because it is full, the counselor closes it marking presence, and the young person's counter
counts the workshop as validated hours. axe-core on every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passemploi.agenda.models import Appointment, Participation
from tests.browser.conftest import check_page
from tests.browser.test_agenda_counselor import choose
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_session_created_registered_full_and_closed(live_server, phone_page, new_page):
    counselor = CounselorFactory()
    lina = YoungPersonFactory(
        counselor=counselor,
        user__first_name="Lina",
        user__last_name="Camara",
        hour_counter_enabled=True,
    )
    hugo = YoungPersonFactory(counselor=counselor, user__first_name="Hugo")
    day = timezone.localdate() + timedelta(days=1)

    # --- The counselor creates a one-seat workshop ---
    desk = new_page("desktop")
    desk.goto(f"{live_server.url}/connexion/")
    sign_in(desk, counselor.user.email, PASSWORD)
    desk.goto(f"{live_server.url}/conseiller/agenda/sessions/nouvelle/")
    desk.get_by_label(label("Type")).select_option(label="Atelier")
    desk.get_by_label(label("Titre")).fill("Atelier entretien d'embauche")
    desk.get_by_label(label("Date")).fill(day.isoformat())
    desk.get_by_label(label("Heure de début")).fill("14:00")
    desk.get_by_label(label("Heure de fin")).fill("16:00")
    desk.get_by_label(label("Modalité")).select_option(label="En présentiel à la structure")
    desk.get_by_label(label("Adresse")).fill("Salle 1, 3 place de la Mairie")
    desk.get_by_label(label("Nombre de places")).fill("1")
    check_page(desk, "Créer une session collective")
    desk.get_by_role("button", name="Créer la session").click()
    expect(desk.get_by_role("status")).to_contain_text("a été créée")
    session = Appointment.objects.get(title="Atelier entretien d'embauche")
    assert (session.is_session, session.max_participants, session.visible) == (True, 1, True)

    # --- Lina registers from Événements, on her phone ---
    phone = phone_page
    phone.goto(f"{live_server.url}/connexion/")
    sign_in(phone, lina.user.email, PASSWORD)
    phone.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Événements"
    ).click()
    offered = phone.locator(f"#session-{session.pk}")
    expect(offered).to_contain_text("1 place restante")
    check_page(phone, "Événements")
    offered.get_by_role("link", name="Atelier entretien d'embauche").click()
    phone.get_by_role("button", name="M'inscrire").click()
    expect(phone.get_by_role("status")).to_contain_text("Vous êtes inscrit")
    check_page(phone, "Atelier entretien d'embauche")

    # --- Hugo comes too late: the session is full ---
    hugo_page = new_page("phone")
    hugo_page.goto(f"{live_server.url}/connexion/")
    sign_in(hugo_page, hugo.user.email, PASSWORD)
    hugo_page.goto(f"{live_server.url}/app/evenements/")
    expect(hugo_page.locator(f"#session-{session.pk}")).to_contain_text("Complet")
    check_page(hugo_page, "Événements")
    hugo_page.goto(f"{live_server.url}/app/agenda/{session.pk}/")
    expect(hugo_page.get_by_role("button", name="M'inscrire")).to_have_count(0)
    check_page(hugo_page, "Atelier entretien d'embauche")
    registered = Participation.objects.filter(appointment=session)
    assert list(registered.values_list("young_person", flat=True)) == [lina.pk]

    # --- It took place; the counselor closes it, marking Lina present ---
    started = timezone.now() - timedelta(minutes=10)
    Appointment.objects.filter(pk=session.pk).update(
        starts_at=started, local_date=timezone.localtime(started).date()
    )
    desk.goto(f"{live_server.url}/conseiller/pilotage/a-clore/")
    check_page(desk, "Rendez-vous à clore")
    desk.get_by_role("link", name=label("Clore")).click()
    choose(desk.get_by_role("group", name=label("CAMARA Lina")).get_by_label("Présent"))
    check_page(desk, re.compile("Clore"))
    desk.get_by_role("button", name="Clore et enregistrer les présences").click()
    expect(desk.get_by_role("row", name=re.compile("CAMARA Lina"))).to_contain_text("Présent")
    check_page(desk, "Atelier entretien d'embauche")

    # --- Lina's counter: the workshop counts 4 validated hours this week ---
    phone.goto(f"{live_server.url}/app/suivi/")
    expect(phone.get_by_role("main")).to_contain_text("Heures validées par votre conseiller : 4 h")
    check_page(phone, "Mon suivi")
