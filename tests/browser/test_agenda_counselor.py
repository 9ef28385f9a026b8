"""The counselor's agenda in a real browser on a desktop screen: a collective session created,
seen in the week, a young person registered, and once it has started (moved into the past in
the database) closed from Pilotage → Rendez-vous à clore with attendance marked. axe-core checks
every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from passemploi.agenda.models import Appointment
from tests.browser.conftest import check_page
from tests.browser.test_onboarding import label, sign_in
from tests.factories import PASSWORD, CounselorFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def choose(radio) -> None:
    """With the keyboard, as the DSFR's drawn circle covers the real input from the mouse."""
    radio.press("Space")
    expect(radio).to_be_checked()


def test_counselor_creates_registers_and_closes_a_session(live_server, desktop_page):
    counselor = CounselorFactory(user__first_name="Claire", user__last_name="Fontaine")
    lina = YoungPersonFactory(
        counselor=counselor, user__first_name="Lina", user__last_name="Camara"
    )
    # A colleague's young person: sessions are open to the whole structure.
    hugo = YoungPersonFactory(
        counselor=CounselorFactory(structure=counselor.structure),
        user__first_name="Hugo",
        user__last_name="Bonnet",
    )
    day = timezone.localdate() + timedelta(days=1)
    page = desktop_page

    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, counselor.user.email, PASSWORD)
    menu = page.get_by_role("navigation", name="Espace conseiller")
    menu.get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    check_page(page, "Mon agenda")

    # --- A collective session -------------------------------------------------------------------
    page.get_by_role("link", name="Créer une session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer une session collective")
    check_page(page, "Créer une session collective")

    # A mistake first: the end before the start, said next to the field; nothing typed is lost.
    page.get_by_label(label("Type")).select_option(label="Atelier")
    page.get_by_label(label("Titre")).fill("Atelier CV")
    page.get_by_label(label("Date")).fill(day.isoformat())
    page.get_by_label(label("Heure de début")).fill("09:30")
    page.get_by_label(label("Heure de fin")).fill("09:00")
    page.get_by_label(label("Modalité")).select_option(label="En présentiel à la structure")
    page.get_by_label(label("Adresse")).fill("Salle 2, 12 rue de la Paix")
    page.get_by_label(label("Nombre de places")).fill("8")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_text("L'heure de fin doit être après l'heure de début.")).to_be_visible()
    expect(page.get_by_label(label("Heure de fin"))).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(label("Titre"))).to_have_value("Atelier CV")
    check_page(page, "Erreur — Créer une session collective")

    page.get_by_label(label("Heure de fin")).fill("11:30")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_role("status")).to_contain_text("La session « Atelier CV » a été créée.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier CV")
    expect(page.get_by_role("main")).to_contain_text("8 places restantes")
    check_page(page, "Atelier CV")
    session = Appointment.objects.get(title="Atelier CV")
    assert session.is_session and session.duration_minutes == 120

    # --- The week ---------------------------------------------------------------------------------
    page.goto(f"{live_server.url}/conseiller/agenda/?semaine={day.isoformat()}")
    entry = page.get_by_role("listitem").filter(has_text="Atelier CV")
    expect(entry).to_contain_text("09:30 – 11:30")
    expect(entry).to_contain_text("0 inscrit / 8 places")
    expect(entry).to_contain_text("À venir")
    check_page(page, "Mon agenda")
    page.get_by_role("link", name="Agenda de la structure").click()
    expect(page.get_by_role("link", name="Atelier CV")).to_be_visible()
    check_page(page, "Agenda de la structure")

    # --- Registering young people of the structure ----------------------------------------------
    page.get_by_role("link", name="Atelier CV").click()
    register = page.get_by_role("form", name="Inscrire un bénéficiaire")
    register.get_by_label(label("Bénéficiaire")).select_option(label="CAMARA Lina")
    register.get_by_role("button", name="Inscrire").click()
    expect(page.get_by_role("status")).to_contain_text("Lina Camara est inscrit(e) à la session.")
    register.get_by_label(label("Bénéficiaire")).select_option(label="BONNET Hugo")
    register.get_by_role("button", name="Inscrire").click()
    participants = page.get_by_role("region", name="Participants")
    expect(participants.get_by_role("row")).to_have_count(3)  # header + two registrants
    expect(page.get_by_role("main")).to_contain_text("6 places restantes")
    check_page(page, "Atelier CV")

    page.get_by_role("link", name="Feuille d'émargement").click()
    expect(page.get_by_role("row", name=re.compile("CAMARA Lina"))).to_be_visible()
    check_page(page, "Feuille d'émargement")

    # --- It took place: closed from Pilotage → Rendez-vous à clore ------------------------------
    started = timezone.now() - timedelta(hours=1)
    Appointment.objects.filter(pk=session.pk).update(
        starts_at=started, local_date=timezone.localtime(started).date()
    )
    page.goto(f"{live_server.url}/conseiller/agenda/")
    menu.get_by_role("link", name="Rendez-vous à clore").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous à clore")
    check_page(page, "Rendez-vous à clore")

    page.get_by_role("link", name=label("Clore")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clore la session")
    check_page(page, "Clore « Atelier CV »")

    # Hugo forgotten: the form says so, and keeps Lina's answer.
    choose(page.get_by_role("group", name=label("CAMARA Lina")).get_by_label("Présent"))
    page.get_by_role("button", name="Clore et enregistrer les présences").click()
    expect(page.get_by_text("Indiquez la présence de BONNET Hugo.")).to_be_visible()
    lina_group = page.get_by_role("group", name=label("CAMARA Lina"))
    expect(lina_group.get_by_label("Présent")).to_be_checked()
    check_page(page, "Erreur — Clore")

    choose(page.get_by_role("group", name=label("BONNET Hugo")).get_by_label("Absent"))
    page.get_by_role("button", name="Clore et enregistrer les présences").click()
    expect(page.get_by_role("status")).to_contain_text(
        "« Atelier CV » est clos : 1 présent sur 2 participants."
    )
    expect(page.get_by_role("list", name="État")).to_contain_text("Clos")
    expect(page.get_by_role("row", name=re.compile("CAMARA Lina"))).to_contain_text("Présent")
    expect(page.get_by_role("row", name=re.compile("BONNET Hugo"))).to_contain_text("Absent")
    check_page(page, "Atelier CV")
    attendance = dict(session.participations.values_list("young_person_id", "attendance"))
    assert attendance == {lina.pk: "present", hugo.pk: "absent"}

    menu.get_by_role("link", name="Rendez-vous à clore").click()
    expect(page.get_by_role("main")).to_contain_text("Aucun rendez-vous n'attend d'être clos.")
    check_page(page, "Rendez-vous à clore")


def test_agenda_pages_on_a_phone(live_server, phone_page):
    """The week is a list of days: usable at 360 px without sideways scroll, like every page."""
    counselor = CounselorFactory()
    young_person = YoungPersonFactory(counselor=counselor, user__last_name="Abdallah-Fernandes")
    now = timezone.now()
    session = Appointment.objects.create(
        structure=counselor.structure,
        counselor=counselor,
        type="INFORMATION_COLLECTIVE",
        title="Information collective sur les métiers de la logistique et du transport",
        starts_at=now - timedelta(hours=1),
        local_date=timezone.localtime(now - timedelta(hours=1)).date(),
        duration_minutes=90,
        modality="at_structure",
        address="Espace emploi, 145 boulevard de la République, 93200 Saint-Denis",
        is_session=True,
        max_participants=12,
        visible=True,
        self_registration=True,
    )
    session.participations.create(young_person=young_person)
    page = phone_page
    page.goto(f"{live_server.url}/connexion/")
    sign_in(page, counselor.user.email, PASSWORD)
    for path, title in [
        ("/conseiller/agenda/", "Mon agenda"),
        ("/conseiller/agenda/?vue=structure", "Agenda de la structure"),
        ("/conseiller/agenda/nouveau/", "Créer un rendez-vous"),
        ("/conseiller/agenda/sessions/nouvelle/", "Créer une session collective"),
        (f"/conseiller/agenda/{session.pk}/", "Information collective"),
        (f"/conseiller/agenda/{session.pk}/modifier/", "Modifier"),
        (f"/conseiller/agenda/{session.pk}/annuler/", "Annuler"),
        (f"/conseiller/agenda/{session.pk}/desinscrire/", "Désinscrire"),
        (f"/conseiller/agenda/{session.pk}/clore/", "Clore"),
        (f"/conseiller/agenda/{session.pk}/emargement/", "Feuille d'émargement"),
        ("/conseiller/pilotage/a-clore/", "Rendez-vous à clore"),
    ]:
        page.goto(f"{live_server.url}{path}")
        check_page(page, title)
