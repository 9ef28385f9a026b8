"""The young person's action pages: Mon suivi, the three creation steps, an action, Accueil."""

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passemploi.actions import catalogue, services
from passemploi.actions.counter import Week, local_today
from passemploi.actions.models import Action, ActionComment, ActionHistory
from passemploi.actions.timeline import span_label
from tests.conftest import client_for
from tests.factories import (
    ActionFactory,
    CounselorFactory,
    StructureFactory,
    YoungPersonFactory,
)
from tests.helpers import input_value, redirect_path, text

pytestmark = pytest.mark.django_db

CREATE = "/app/actions/nouvelle/"
TRACKING = "/app/suivi/"


def detail_url(action) -> str:
    return f"/app/actions/{action.pk}/"


def plain(response) -> str:
    """The page's text without tags and with collapsed spaces, for sentence checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response)))


def textarea_value(response, name: str) -> str | None:
    found = re.search(
        rf'<textarea[^>]*\bname="{name}"[^>]*>(.*?)</textarea>', text(response), re.DOTALL
    )
    return found.group(1).strip() if found else None


def hidden_values(response, name: str) -> list[str]:
    body = text(response)
    return re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)"', body)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def card(page: str, action) -> str:
    """The card of one action in Mon suivi."""
    rest = page.split(f'id="action-{action.pk}"', 1)[1]
    return re.split(r'id="action-|class="pe-day"|</section>', rest, maxsplit=1)[0]


def week_headings(page: str) -> list[str]:
    return re.findall(r'<h2 id="semaine-\d"[^>]*>(.*?)</h2>', page)


def today_of(young_person) -> date:
    return local_today(young_person)


@pytest.fixture
def france_travail_young_person(db):
    counselor = CounselorFactory(structure=StructureFactory(kind="FRANCE_TRAVAIL"))
    return YoungPersonFactory(counselor=counselor)


# --- pages render --------------------------------------------------------------------------------


class TestPagesRender:
    def test_every_page(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, description="Trois offres")
        for path in [
            "/app/",
            TRACKING,
            CREATE,
            CREATE + "?categorie=SANTE",
            detail_url(action),
            detail_url(action) + "modifier/",
            detail_url(action) + "supprimer/",
        ]:
            response = young_client.get(path)
            assert response.status_code == 200, path
            page = text(response)
            assert "INVALID_TEMPLATE_VARIABLE" not in page, path
            assert "<h1>" in page, path

    def test_counselor_is_refused(self, counselor_client, young_person):
        action = ActionFactory(young_person=young_person)
        assert counselor_client.get(detail_url(action)).status_code == 403
        assert counselor_client.get(CREATE).status_code == 403

    def test_france_travail_says_demarche(self, france_travail_young_person):
        young_person = france_travail_young_person
        action = ActionFactory(young_person=young_person)
        client = client_for(young_person.user)
        assert "Ajouter une démarche" in text(client.get(TRACKING))
        assert "Ajouter une démarche" in text(client.get("/app/"))
        assert "<h1>Nouvelle démarche</h1>" in text(client.get(CREATE))
        page = text(client.get(detail_url(action)))
        assert "Gérer la démarche" in page
        assert "Cette démarche ne contient aucune description" in page
        page = text(client.get(detail_url(action) + "supprimer/"))
        assert "<h1>Supprimer la démarche ?</h1>" in page

    def test_mission_locale_says_action(self, young_client):
        assert "Ajouter une action" in text(young_client.get(TRACKING))


# --- Mon suivi -----------------------------------------------------------------------------------


class TestTracking:
    def test_empty_weeks(self, young_client):
        response = young_client.get(TRACKING)
        page = text(response)
        assert "<h1>Mon suivi</h1>" in page
        assert week_headings(page) == ["Cette semaine", "Semaine prochaine"]
        assert page.count("Rien de prévu") == 14

    def test_actions_by_day_with_status_and_late(self, young_client, young_person):
        today = today_of(young_person)
        week = Week.of(today)
        late = ActionFactory(young_person=young_person, title="Relancer Pôle", due_date=week.start)
        done = ActionFactory(
            young_person=young_person, title="CV envoyé", due_date=week.start, done=True
        )
        next_week = ActionFactory(
            young_person=young_person,
            title="Visite de logement",
            category="LOGEMENT",
            due_date=week.start + timedelta(days=8),
            by_counselor=True,
        )
        far = ActionFactory(young_person=young_person, due_date=week.start + timedelta(days=21))
        page = text(young_client.get(TRACKING))
        for action in (late, done, next_week):
            assert f'id="action-{action.pk}"' in page
            assert f'href="/app/actions/{action.pk}/"' in page
        assert f"action-{far.pk}" not in page
        assert page.count("Rien de prévu") == 12
        assert page.index("Semaine prochaine") < page.index("Visite de logement")
        assert "Logement" in page and "proposée par votre conseiller" in page
        assert "Terminée" in page and "À faire" in page
        assert "En retard" not in card(page, done)
        assert ("En retard" in card(page, late)) == (week.start < today)
        assert "Terminée" in card(page, done)

    def test_late_is_by_local_today(self, young_client, young_person):
        yesterday = today_of(young_person) - timedelta(days=1)
        action = ActionFactory(young_person=young_person, due_date=yesterday, in_progress=True)
        page = text(young_client.get(f"{TRACKING}?semaine={yesterday.isoformat()}"))
        assert "En retard" in card(page, action)

    def test_week_paging(self, young_client, young_person):
        week = Week.of(today_of(young_person))
        earlier = week.shift(-3)
        action = ActionFactory(young_person=young_person, due_date=earlier.start)
        response = young_client.get(f"{TRACKING}?semaine={(earlier.start + timedelta(2))}")
        page = text(response)
        assert response.status_code == 200
        assert week_headings(page) == [
            "Semaine " + span_label(earlier),
            "Semaine " + span_label(earlier.shift(1)),
        ]
        assert f"action-{action.pk}" in page
        assert f'href="/app/suivi/?semaine={earlier.shift(-1).start.isoformat()}"' in page
        assert f'href="/app/suivi/?semaine={earlier.shift(1).start.isoformat()}"' in page
        assert "Revenir à cette semaine" in page
        assert "Semaine du lundi" in page
        last = text(young_client.get(f"{TRACKING}?semaine={week.shift(-1).start}"))
        assert week_headings(last) == ["Semaine dernière", "Cette semaine"]
        current = text(young_client.get(TRACKING))
        assert "Revenir à cette semaine" not in current
        assert f'href="/app/suivi/?semaine={week.shift(1).start.isoformat()}"' in current

    @pytest.mark.parametrize("value", ["pas-une-date", "2026-02-30", "9999-12-31", ""])
    def test_odd_week_parameter_shows_the_current_week(self, young_client, value):
        response = young_client.get(f"{TRACKING}?semaine={value}")
        assert response.status_code == 200
        assert "Cette semaine" in text(response)

    def test_week_boundary_overseas(self):
        """Sunday 21:30 in Paris is already Monday 01:30 in La Réunion: a new week there."""
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        monday = date(2026, 3, 2)
        action = ActionFactory(young_person=young_person, due_date=monday, title="Atelier CV")
        sunday = ActionFactory(young_person=young_person, due_date=monday - timedelta(days=1))
        client = client_for(young_person.user)
        with time_machine.travel(datetime(2026, 3, 1, 20, 30, tzinfo=UTC), tick=False):
            assert timezone.localdate() == date(2026, 3, 1)  # Paris: still Sunday
            response = client.get(TRACKING)
        page = text(response)
        this_week = page.split("Cette semaine", 1)[1].split("Semaine prochaine", 1)[0]
        assert "Du lundi 2 au dimanche 8 mars 2026" in this_week
        assert f"action-{action.pk}" in this_week
        assert f"action-{sunday.pk}" not in page
        today_block = this_week.split("Lundi 2 mars", 1)[1].split("Mardi 3 mars", 1)[0]
        assert "Aujourd'hui" in today_block
        # The démarche wording of France Travail structures.
        assert "Ajouter une démarche" in page

    def test_hour_counter_when_enabled(self, young_client, young_person):
        today = today_of(young_person)
        ActionFactory(young_person=young_person, due_date=today, done=True, category="EMPLOI")
        assert "Heures déclarées" not in text(young_client.get(TRACKING))
        young_person.hour_counter_enabled = True
        young_person.save()
        page = plain(young_client.get(TRACKING))
        assert "Mes heures — cette semaine" in page
        assert "Heures déclarées : 3 h sur 15 h" in page
        assert "Heures validées par votre conseiller : 0 h" in page
        assert "C'est parti !" in page

    def test_query_count_does_not_grow_with_actions(self, young_client, young_person):
        young_person.hour_counter_enabled = True
        young_person.save()
        week = Week.of(today_of(young_person))

        def count(n):
            Action.objects.filter(young_person=young_person).delete()
            for i in range(n):
                ActionFactory(
                    young_person=young_person,
                    due_date=week.start + timedelta(days=i % 14),
                    status=["not_started", "in_progress", "done", "canceled"][i % 4],
                    end_date=week.start if i % 4 == 2 else None,
                    by_counselor=i % 3 == 0,
                )
            with CaptureQueriesContext(connection) as queries:
                response = young_client.get(TRACKING)
            assert response.status_code == 200
            assert text(response).count('class="fr-card fr-card--sm') == n
            return len(queries)

        few = count(2)
        assert few == count(30)
        # Session, user (with profiles), the week's hours (actions and appointments), the weeks'
        # actions, the weeks' appointments (+ savepoints), the header's unread notifications.
        assert few <= 9


# --- creation in three steps ---------------------------------------------------------------------


def step3_data(young_person, **overrides):
    data = {
        "etape": "3",
        "categorie": "EMPLOI",
        "titre": "Candidater chez Decathlon",
        "description": "Poste de vendeur",
        "statut": "in_progress",
        "quand": "aujourdhui",
        "client_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class TestCreate:
    def test_happy_path_in_three_steps(self, young_client, young_person):
        step1 = young_client.get(CREATE)
        assert step1.status_code == 200
        page = text(step1)
        assert "Étape 1 sur 3" in page
        assert page.count('name="categorie"') == 7
        assert 'method="get"' in page

        step2 = young_client.get(CREATE, {"categorie": "EMPLOI"})
        assert step2.status_code == 200
        page = text(step2)
        assert "Étape 2 sur 3" in page
        for item in catalogue.SUGGESTIONS["EMPLOI"]:
            assert item.title in page
        assert hidden_values(step2, "categorie") == ["EMPLOI"]

        step3 = young_client.post(
            CREATE,
            {
                "etape": "2",
                "categorie": "EMPLOI",
                "titre": "Candidater chez Decathlon",
                "description": "Poste de vendeur",
            },
        )
        assert step3.status_code == 200
        page = text(step3)
        assert "Étape 3 sur 3" in page
        assert "Candidater chez Decathlon" in page
        assert "ne contient aucune description" not in page
        assert "Aujourd'hui" in page and "Demain" in page and "Hier" in page
        assert hidden_values(step3, "titre") == ["Candidater chez Decathlon"]
        assert hidden_values(step3, "description") == ["Poste de vendeur"]
        client_id = input_value(step3, "client_id")
        assert uuid.UUID(client_id)

        response = young_client.post(
            CREATE,
            {
                "etape": "3",
                "categorie": "EMPLOI",
                "titre": "Candidater chez Decathlon",
                "description": "Poste de vendeur",
                "statut": "done",
                "quand": "hier",
                "client_id": client_id,
            },
        )
        action = Action.objects.get(young_person=young_person)
        yesterday = today_of(young_person) - timedelta(days=1)
        assert response.status_code == 302
        assert response["Location"] == (
            f"/app/suivi/?semaine={Week.of(yesterday).start.isoformat()}#action-{action.pk}"
        )
        assert action.title == "Candidater chez Decathlon"
        assert action.description == "Poste de vendeur"
        assert action.category == "EMPLOI"
        assert action.status == "done"
        assert action.due_date == yesterday
        assert action.end_date == yesterday
        assert action.creator_role == "young_person"
        assert action.created_by == young_person.user
        followed = young_client.get(response["Location"])
        assert "L'action « Candidater chez Decathlon » est enregistrée." in text(followed)
        assert f"action-{action.pk}" in text(followed)

    def test_a_suggestion_gives_its_title(self, young_client, young_person):
        response = young_client.post(
            CREATE, {"etape": "2", "categorie": "SANTE", "suggestion": "2"}
        )
        assert response.status_code == 200
        assert "Demander ma carte Vitale" in text(response)
        assert "ne contient aucune description" in text(response)
        response = young_client.post(
            CREATE, step3_data(young_person, categorie="SANTE", titre=None, suggestion="2")
        )
        assert response.status_code == 302
        action = Action.objects.get(young_person=young_person)
        assert action.title == "Demander ma carte Vitale"
        assert action.status == "in_progress"
        assert action.due_date == today_of(young_person)

    def test_a_typed_title_wins_over_the_suggestion(self, young_client, young_person):
        young_client.post(
            CREATE, step3_data(young_person, suggestion="0", titre="Mon titre", quand="demain")
        )
        action = Action.objects.get(young_person=young_person)
        assert action.title == "Mon titre"
        assert action.due_date == today_of(young_person) + timedelta(days=1)

    def test_a_typed_date_wins_over_the_quick_pick(self, young_client, young_person):
        day = today_of(young_person) + timedelta(days=40)
        young_client.post(CREATE, step3_data(young_person, date=day.isoformat()))
        assert Action.objects.get(young_person=young_person).due_date == day

    def test_retry_with_the_same_client_id_creates_once(self, young_client, young_person):
        data = step3_data(young_person)
        first = young_client.post(CREATE, data)
        second = young_client.post(CREATE, data)
        assert first.status_code == second.status_code == 302
        assert Action.objects.filter(young_person=young_person).count() == 1

    def test_a_foreign_client_id_is_ignored(self, young_client, young_person):
        response = young_client.post(CREATE, step3_data(young_person, client_id="pas-un-uuid"))
        assert response.status_code == 302
        assert Action.objects.get(young_person=young_person).client_id is None

    def test_going_back_keeps_what_was_typed(self, young_client, young_person):
        response = young_client.post(CREATE, step3_data(young_person, retour="2"))
        assert response.status_code == 200
        assert "Étape 2 sur 3" in text(response)
        assert input_value(response, "titre") == "Candidater chez Decathlon"
        assert textarea_value(response, "description") == "Poste de vendeur"
        assert hidden_values(response, "statut") == ["in_progress"]
        response = young_client.post(
            CREATE, {"etape": "2", "categorie": "EMPLOI", "titre": "Autre", "retour": "1"}
        )
        assert "Étape 1 sur 3" in text(response)
        assert 'method="post"' in text(response)
        assert hidden_values(response, "titre") == ["Autre"]
        assert "(choix actuel)" in text(response)
        assert not Action.objects.exists()

    def test_no_description_warns(self, young_client):
        response = young_client.post(
            CREATE, {"etape": "2", "categorie": "EMPLOI", "titre": "Sans description"}
        )
        assert (
            "Cette action ne contient aucune description : votre conseiller risque de ne pas "
            "pouvoir la valider." in text(response)
        )

    # Bad input: a French message, the typed values kept, nothing saved.

    @pytest.mark.parametrize("category", ["PIZZA", ""])
    def test_unknown_category(self, young_client, category):
        response = young_client.get(CREATE, {"categorie": category})
        assert response.status_code == 400
        page = text(response)
        assert "Étape 1 sur 3" in page
        assert "Choisissez une catégorie dans la liste." in page
        assert "Erreur" in page.split("</title>")[0]

    def test_unknown_category_at_the_last_step_keeps_the_title(self, young_client, young_person):
        response = young_client.post(CREATE, step3_data(young_person, categorie="PIZZA"))
        assert response.status_code == 400
        assert "Choisissez une catégorie dans la liste." in text(response)
        assert hidden_values(response, "titre") == ["Candidater chez Decathlon"]
        assert hidden_values(response, "description") == ["Poste de vendeur"]
        assert not Action.objects.exists()

    def test_empty_title(self, young_client):
        response = young_client.post(
            CREATE,
            {"etape": "2", "categorie": "EMPLOI", "titre": "   ", "description": "Mon texte"},
        )
        assert response.status_code == 400
        assert "Le titre de l'action est obligatoire." in text(response)
        assert textarea_value(response, "description") == "Mon texte"
        assert 'aria-invalid="true"' in text(response)
        assert not Action.objects.exists()

    def test_empty_title_at_the_last_step_goes_back_to_step_2(self, young_client, young_person):
        response = young_client.post(CREATE, step3_data(young_person, titre=""))
        assert response.status_code == 400
        assert "Étape 2 sur 3" in text(response)
        assert "Le titre de l'action est obligatoire." in text(response)
        assert hidden_values(response, "statut") == ["in_progress"]

    def test_overlong_title(self, young_client):
        title = "x" * 256
        response = young_client.post(
            CREATE, {"etape": "2", "categorie": "EMPLOI", "titre": title, "description": "Détail"}
        )
        assert response.status_code == 400
        assert "Le titre ne doit pas dépasser 255 caractères." in text(response)
        assert input_value(response, "titre") == title
        assert textarea_value(response, "description") == "Détail"

    def test_unknown_suggestion(self, young_client):
        response = young_client.post(
            CREATE, {"etape": "2", "categorie": "EMPLOI", "suggestion": "99"}
        )
        assert response.status_code == 400
        assert "Choisissez une suggestion dans la liste." in text(response)

    def test_date_more_than_two_years_away(self, young_client, young_person):
        day = today_of(young_person) + timedelta(days=731)
        response = young_client.post(CREATE, step3_data(young_person, date=day.isoformat()))
        assert response.status_code == 400
        page = text(response)
        assert "Étape 3 sur 3" in page
        assert "La date doit être à moins de deux ans d'aujourd'hui." in page
        assert input_value(response, "date") == day.isoformat()
        assert hidden_values(response, "titre") == ["Candidater chez Decathlon"]
        assert hidden_values(response, "description") == ["Poste de vendeur"]
        assert not Action.objects.exists()

    def test_no_date(self, young_client, young_person):
        response = young_client.post(CREATE, step3_data(young_person, quand=None))
        assert response.status_code == 400
        assert "La date de l'action est obligatoire." in text(response)
        assert hidden_values(response, "titre") == ["Candidater chez Decathlon"]
        assert not Action.objects.exists()

    def test_badly_typed_date(self, young_client, young_person):
        response = young_client.post(CREATE, step3_data(young_person, date="31/02/2026"))
        assert response.status_code == 400
        assert "Saisissez une date valide, par exemple 25/03/2026." in text(response)
        assert input_value(response, "date") == "31/02/2026"

    @pytest.mark.parametrize("status", ["", "not_started", "canceled", "n'importe"])
    def test_status_is_in_progress_or_done(self, young_client, young_person, status):
        response = young_client.post(CREATE, step3_data(young_person, statut=status))
        assert response.status_code == 400
        assert "Choisissez un statut : En cours ou Terminée." in text(response)
        assert not Action.objects.exists()

    def test_france_travail_messages_say_demarche(self, france_travail_young_person):
        client = client_for(france_travail_young_person.user)
        response = client.post(
            CREATE, step3_data(france_travail_young_person, titre="", quand=None)
        )
        assert "Le titre de la démarche est obligatoire." in text(response)
        response = client.post(CREATE, step3_data(france_travail_young_person, quand=None))
        assert "La date de la démarche est obligatoire." in text(response)
        response = client.post(CREATE, step3_data(france_travail_young_person))
        followed = client.get(response["Location"])
        assert "La démarche « Candidater chez Decathlon » est enregistrée." in text(followed)


class TestBatch:
    BATCH = 1  # EMPLOI: "Rechercher des offres d'emploi", batch=True

    def test_suggestion_is_a_batch(self):
        assert catalogue.SUGGESTIONS["EMPLOI"][self.BATCH].batch

    def test_step_3_offers_several_dates(self, young_client):
        response = young_client.post(
            CREATE, {"etape": "2", "categorie": "EMPLOI", "suggestion": str(self.BATCH)}
        )
        page = text(response)
        assert page.count('type="checkbox" name="dates"') == 14
        assert "Choisissez une ou plusieurs dates" in page
        assert "(aujourd'hui)" in page
        assert 'name="quand"' not in page
        assert "Elle s'ajoute aux dates cochées." in page

    def test_n_dates_create_n_actions(self, young_client, young_person):
        today = today_of(young_person)
        days = [today - timedelta(days=2), today, today + timedelta(days=3)]
        data = step3_data(
            young_person,
            titre=None,
            suggestion=str(self.BATCH),
            statut="done",
            quand=None,
        )
        data["dates"] = [day.isoformat() for day in days]
        response = young_client.post(CREATE, data)
        assert response.status_code == 302
        actions = Action.objects.filter(young_person=young_person).order_by("due_date")
        assert [a.due_date for a in actions] == days
        assert {a.title for a in actions} == {"Rechercher des offres d'emploi"}
        assert response["Location"].startswith(f"/app/suivi/?semaine={Week.of(days[0]).start}")
        followed = text(young_client.get(response["Location"]))
        assert "3 actions « Rechercher des offres d'emploi » sont enregistrées." in followed
        # A retried batch returns the same actions.
        young_client.post(CREATE, data)
        assert Action.objects.filter(young_person=young_person).count() == 3

    def test_a_typed_date_adds_to_the_checked_ones(self, young_client, young_person):
        today = today_of(young_person)
        far = today + timedelta(days=30)
        data = step3_data(
            young_person, titre=None, suggestion=str(self.BATCH), quand=None, date=far.isoformat()
        )
        data["dates"] = [today.isoformat()]
        young_client.post(CREATE, data)
        assert sorted(Action.objects.values_list("due_date", flat=True)) == [today, far]

    def test_batch_without_date(self, young_client, young_person):
        data = step3_data(young_person, titre=None, suggestion=str(self.BATCH), quand=None)
        response = young_client.post(CREATE, data)
        assert response.status_code == 400
        assert "La date de l'action est obligatoire." in text(response)
        assert not Action.objects.exists()

    def test_a_date_outside_the_list_is_refused(self, young_client, young_person):
        data = step3_data(young_person, titre=None, suggestion=str(self.BATCH), quand=None)
        data["dates"] = ["2001-01-01"]
        response = young_client.post(CREATE, data)
        assert response.status_code == 400
        assert "Choisissez des dates dans la liste." in text(response)

    def test_a_title_of_ones_own_is_not_a_batch(self, young_client, young_person):
        response = young_client.post(
            CREATE,
            {"etape": "2", "categorie": "EMPLOI", "suggestion": str(self.BATCH), "titre": "Autre"},
        )
        assert 'name="dates"' not in text(response)
        assert 'name="quand"' in text(response)


# --- one action ----------------------------------------------------------------------------------


class TestDetail:
    def test_shows_the_action(self, young_client, young_person):
        action = ActionFactory(
            young_person=young_person,
            title="Préparer l'entretien",
            description="Chez Leroy Merlin\nmardi",
            category="FORMATION",
            due_date=date(2026, 12, 1),
        )
        page = text(young_client.get(detail_url(action)))
        assert "<h1>Préparer l'entretien</h1>" in page
        assert "Formation" in page
        assert "Mardi 1er décembre 2026" in page
        assert "Chez Leroy Merlin<br>mardi" in page
        assert "Vous" in page
        assert "ne contient aucune description" not in page
        for label in ("En cours", "Terminée", "Annulée"):
            assert f">{label}</button>" in page
        assert ">À faire</button>" not in page  # the current status
        assert f'href="/app/actions/{action.pk}/modifier/"' in page
        assert f'action="/app/actions/{action.pk}/dupliquer/"' in page
        assert f'href="/app/actions/{action.pk}/supprimer/"' in page

    def test_counselor_created_action(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        counselor = young_person.counselor.user
        page = text(young_client.get(detail_url(action)))
        assert f"Votre conseiller, {counselor.get_full_name()}" in page
        assert ">Terminée</button>" in page  # status: yes
        assert "/modifier/" not in page and "/supprimer/" not in page and "/dupliquer/" not in page

    def test_qualified_action(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, done=True)
        services.qualify_action(young_person.counselor.user, action, hours="4.5")
        page = text(young_client.get(detail_url(action)))
        assert "Qualifiée : 4,5 h" in page
        assert "</button>" in page  # comments still
        assert "Changer le statut" not in page
        assert "/modifier/" not in page and "/supprimer/" not in page
        assert "ne peut plus être modifiée" in page

    def test_history_in_local_time_with_french_labels(self):
        counselor = CounselorFactory(structure=StructureFactory(time_zone="Indian/Reunion"))
        young_person = YoungPersonFactory(counselor=counselor)
        client = client_for(young_person.user)
        with time_machine.travel(datetime(2026, 3, 10, 6, 5, tzinfo=UTC), tick=False):
            action, _ = services.create_action(
                actor=young_person.user,
                young_person=young_person,
                title="Courir",
                category="CULTURE_SPORT_LOISIRS",
                due_date=date(2026, 3, 10),
            )
            services.update_action(young_person.user, action, title="Courir 5 km", category="SANTE")
            services.change_status(counselor.user, action, "done")
        page = plain(client.get(detail_url(action)))
        assert "Création — Vous, le 10 mars 2026 à 10 h 05" in page  # UTC+4
        assert "Statut : À faire" in page
        assert "Modification — Vous" in page
        assert "Titre : Courir → devient Courir 5 km" in page
        assert "Catégorie : Loisir, sport, culture → devient Santé" in page
        assert f"Changement de statut — Votre conseiller, {counselor.user.get_full_name()}" in page
        assert "Statut : À faire → devient Terminée" in page


class TestStatus:
    def test_one_tap(self, young_client, young_person):
        action = ActionFactory(young_person=young_person)
        response = young_client.post(detail_url(action) + "statut/", {"statut": "done"})
        assert redirect_path(response) == detail_url(action)
        action.refresh_from_db()
        assert action.status == "done"
        assert action.end_date == today_of(young_person)
        assert ActionHistory.objects.filter(action=action, event="status").exists()
        page = text(young_client.get(response["Location"]))
        assert "Statut mis à jour : Terminée." in page

    def test_unknown_status(self, young_client, young_person):
        action = ActionFactory(young_person=young_person)
        response = young_client.post(detail_url(action) + "statut/", {"statut": "fini"})
        assert redirect_path(response) == detail_url(action)
        assert "Ce statut n'existe pas." in text(young_client.get(detail_url(action)))
        action.refresh_from_db()
        assert action.status == "not_started"

    def test_get_is_not_allowed(self, young_client, young_person):
        action = ActionFactory(young_person=young_person)
        assert young_client.get(detail_url(action) + "statut/").status_code == 405

    def test_on_a_counselor_action(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        young_client.post(detail_url(action) + "statut/", {"statut": "in_progress"})
        action.refresh_from_db()
        assert action.status == "in_progress"

    def test_refused_once_qualified(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, done=True)
        services.qualify_action(young_person.counselor.user, action)
        response = young_client.post(detail_url(action) + "statut/", {"statut": "canceled"})
        page = text(young_client.get(response["Location"]))
        assert "Cette action est qualifiée : son statut ne peut plus changer." in page
        action.refresh_from_db()
        assert action.status == "done"


class TestEdit:
    def test_edit(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, title="Avant")
        new_day = today_of(young_person) + timedelta(days=5)
        response = young_client.post(
            detail_url(action) + "modifier/",
            {
                "title": "Après",
                "description": "Plus de détails",
                "category": "LOGEMENT",
                "due_date": new_day.isoformat(),
                "reminder": "on",
            },
        )
        assert redirect_path(response) == detail_url(action)
        action.refresh_from_db()
        assert (action.title, action.category, action.due_date) == ("Après", "LOGEMENT", new_day)
        assert action.description == "Plus de détails"
        page = plain(young_client.get(detail_url(action)))
        assert "Vos modifications sont enregistrées." in page
        assert "Titre : Avant → devient Après" in page

    def test_bad_input_keeps_values(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, title="Avant")
        far = today_of(young_person) + timedelta(days=800)
        data = {"title": "", "description": "Gardée", "category": "EMPLOI", "due_date": "x"}
        response = young_client.post(detail_url(action) + "modifier/", data)
        assert response.status_code == 400
        page = text(response)
        assert "Le titre de l'action est obligatoire." in page
        assert "Saisissez une date valide, par exemple 25/03/2026." in page
        assert textarea_value(response, "description") == "Gardée"
        data = {"title": "Nouveau", "category": "EMPLOI", "due_date": far.isoformat()}
        response = young_client.post(detail_url(action) + "modifier/", data)
        assert response.status_code == 400
        assert "La date doit être à moins de deux ans d'aujourd'hui." in text(response)
        assert input_value(response, "title") == "Nouveau"
        data = {"title": "Nouveau", "category": "PIZZA", "due_date": far.isoformat()}
        response = young_client.post(detail_url(action) + "modifier/", data)
        assert "Choisissez une catégorie dans la liste." in text(response)
        action.refresh_from_db()
        assert action.title == "Avant"

    def test_not_on_a_counselor_action(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True, title="Du conseiller")
        for method in ("get", "post"):
            response = getattr(young_client, method)(
                detail_url(action) + "modifier/", {"title": "Piraté", "category": "EMPLOI"}
            )
            assert redirect_path(response) == detail_url(action)
        page = text(young_client.get(detail_url(action)))
        assert "Vous ne pouvez modifier que les actions que vous avez créées." in page
        action.refresh_from_db()
        assert action.title == "Du conseiller"

    def test_not_once_qualified(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, done=True, title="Validée")
        services.qualify_action(young_person.counselor.user, action)
        response = young_client.post(
            detail_url(action) + "modifier/",
            {"title": "Changée", "category": "EMPLOI", "due_date": action.due_date.isoformat()},
        )
        page = text(young_client.get(response["Location"]))
        assert "Cette action est qualifiée : elle ne peut plus être modifiée." in page
        action.refresh_from_db()
        assert action.title == "Validée"


class TestDuplicateAndDelete:
    def test_duplicate(self, young_client, young_person):
        action = ActionFactory(
            young_person=young_person, title="Sport", due_date=date(2026, 1, 5), done=True
        )
        response = young_client.post(detail_url(action) + "dupliquer/")
        copy = Action.objects.exclude(pk=action.pk).get()
        assert redirect_path(response) == detail_url(copy)
        assert copy.title == "Sport"
        assert copy.due_date == today_of(young_person)
        assert copy.status == "not_started"
        assert "L'action est dupliquée pour aujourd'hui." in text(
            young_client.get(detail_url(copy))
        )

    def test_duplicate_refused_on_a_counselor_action(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        young_client.post(detail_url(action) + "dupliquer/")
        assert Action.objects.count() == 1
        page = text(young_client.get(detail_url(action)))
        assert "Vous ne pouvez modifier que les actions que vous avez créées." in page

    def test_delete_with_a_confirmation_step(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, title="À jeter")
        confirm = young_client.get(detail_url(action) + "supprimer/")
        assert confirm.status_code == 200
        page = text(confirm)
        assert "<h1>Supprimer l'action ?</h1>" in page
        assert "« À jeter »" in page
        assert Action.objects.filter(pk=action.pk).exists()
        response = young_client.post(detail_url(action) + "supprimer/")
        assert not Action.objects.filter(pk=action.pk).exists()
        assert response["Location"] == (
            f"/app/suivi/?semaine={Week.of(action.due_date).start.isoformat()}"
        )
        assert "L'action « À jeter » est supprimée." in text(young_client.get(response["Location"]))

    @pytest.mark.parametrize("qualified", [False, True])
    def test_delete_refused(self, young_client, young_person, qualified):
        if qualified:
            action = ActionFactory(young_person=young_person, done=True)
            services.qualify_action(young_person.counselor.user, action)
            message = "Cette action est qualifiée : elle ne peut plus être modifiée."
        else:
            action = ActionFactory(young_person=young_person, by_counselor=True)
            message = "Vous ne pouvez modifier que les actions que vous avez créées."
        for method in ("get", "post"):
            response = getattr(young_client, method)(detail_url(action) + "supprimer/")
            assert redirect_path(response) == detail_url(action)
        assert Action.objects.filter(pk=action.pk).exists()
        assert message in text(young_client.get(detail_url(action)))


class TestComments:
    def test_thread_and_add(self, young_client, young_person):
        action = ActionFactory(young_person=young_person)
        counselor = young_person.counselor.user
        services.add_comment(counselor, action, "Pense à joindre ton CV.")
        response = young_client.post(detail_url(action), {"body": "C'est fait !"})
        assert response.status_code == 302
        assert response["Location"] == detail_url(action) + "#commentaires"
        comment = ActionComment.objects.get(author=young_person.user)
        assert comment.body == "C'est fait !"
        page = text(young_client.get(response["Location"]))
        assert "Votre message est envoyé." in page
        assert page.index("Pense à joindre ton CV.") < page.index("C'est fait !")
        assert counselor.get_full_name() in page
        assert "pe-comment--mine" in page

    def test_comment_on_a_counselor_action(self, young_client, young_person):
        action = ActionFactory(young_person=young_person, by_counselor=True)
        young_client.post(detail_url(action), {"body": "Question"})
        assert action.comments.count() == 1

    def test_empty_comment(self, young_client, young_person):
        action = ActionFactory(young_person=young_person)
        response = young_client.post(detail_url(action), {"body": "   "})
        assert response.status_code == 400
        assert "Le commentaire est vide." in text(response)
        assert not ActionComment.objects.exists()

    def test_overlong_comment_is_kept(self, young_client, young_person):
        action = ActionFactory(young_person=young_person)
        body = "a" * 2001
        response = young_client.post(detail_url(action), {"body": body})
        assert response.status_code == 400
        assert "Le commentaire ne doit pas dépasser 2000 caractères." in text(response)
        assert textarea_value(response, "body") == body
        assert not ActionComment.objects.exists()


class TestOtherYoungPerson:
    """Another young person's action: the very 404 of a missing one, and nothing changes."""

    @pytest.mark.parametrize(
        ("method", "suffix", "data"),
        [
            ("get", "", {}),
            ("post", "", {"body": "Coucou"}),
            ("get", "modifier/", {}),
            ("post", "modifier/", {"title": "Piraté", "category": "EMPLOI"}),
            ("post", "statut/", {"statut": "canceled"}),
            ("post", "dupliquer/", {}),
            ("get", "supprimer/", {}),
            ("post", "supprimer/", {}),
        ],
    )
    def test_404(self, young_client, young_person, method, suffix, data):
        other = YoungPersonFactory(counselor=young_person.counselor)
        action = ActionFactory(young_person=other, title="À moi")
        response = getattr(young_client, method)(detail_url(action) + suffix, data)
        assert response.status_code == 404
        missing = getattr(young_client, method)(f"/app/actions/{uuid.uuid4()}/{suffix}", data)
        assert missing.status_code == 404
        action.refresh_from_db()
        assert (action.title, action.status) == ("À moi", "not_started")
        assert Action.objects.count() == 1
        assert not ActionComment.objects.exists()


# --- Accueil -------------------------------------------------------------------------------------


class TestHome:
    def test_this_week(self, young_client, young_person):
        today = today_of(young_person)
        week = Week.of(today)
        ActionFactory(young_person=young_person, due_date=week.end)
        ActionFactory(young_person=young_person, due_date=week.end, done=True)
        ActionFactory(young_person=young_person, due_date=week.end, status="canceled")
        ActionFactory(young_person=young_person, due_date=week.start - timedelta(days=3))
        page = plain(young_client.get("/app/"))
        assert "Bonjour" in page and "vous accompagne" in page
        assert "2 actions prévues cette semaine, dont 1 terminée" in page
        assert "1 action en retard" in page
        assert 'href="/app/suivi/"' in text(young_client.get("/app/"))
        assert "Heures déclarées" not in page

    def test_nothing_this_week(self, young_client):
        page = plain(young_client.get("/app/"))
        assert "0 action prévue cette semaine" in page
        assert "Aucune action en retard" in page

    def test_counter_when_enabled(self, young_client, young_person):
        young_person.hour_counter_enabled = True
        young_person.save()
        today = today_of(young_person)
        for _ in range(3):
            ActionFactory(young_person=young_person, due_date=today, done=True, category="SANTE")
        action = ActionFactory(young_person=young_person, due_date=today, done=True)
        services.qualify_action(young_person.counselor.user, action, hours=Decimal("4"))
        page = plain(young_client.get("/app/"))
        assert "Mes heures cette semaine" in page
        assert "Heures déclarées : 10 h sur 15 h" in page
        assert "Heures validées par votre conseiller : 4 h" in page
        assert "Très bien, vous y êtes presque !" in page
