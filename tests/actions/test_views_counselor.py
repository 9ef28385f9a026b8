"""The counselor's action pages: a young person's Actions tab (counter, weeks, filters, paging),
creating an action for several young people, an action's page (comments, history, edit,
qualification), Pilotage → Actions à qualifier, and the portfolio's week columns."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passemploi.accounts import services as account_services
from passemploi.actions import services
from passemploi.actions.catalogue import PREDEFINED
from passemploi.actions.models import Action, ActionComment, ActionHistory
from passemploi.actions.views_counselor import PAGE_SIZE
from passemploi.core.errors import ServiceError
from tests.conftest import client_for
from tests.factories import (
    ActionFactory,
    CounselorFactory,
    StructureFactory,
    YoungPersonFactory,
)
from tests.helpers import input_value, redirect_path, text

pytestmark = pytest.mark.django_db

# Wednesday 11 March 2026, 10:00 in Paris: the week runs from Monday 9 to Sunday 15 March.
NOW = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 11)
CREATE = "/conseiller/actions/nouvelle/"
TO_QUALIFY = "/conseiller/pilotage/actions-a-qualifier/"


@pytest.fixture(autouse=True)
def frozen():
    # Autouse: frozen before any fixture signs a client in (the session keeps its login time).
    with time_machine.travel(NOW, tick=False):
        yield


def tab_url(young_person) -> str:
    return f"/conseiller/beneficiaires/{young_person.pk}/actions/"


def counter_url(young_person) -> str:
    return f"/conseiller/beneficiaires/{young_person.pk}/compteur-heures/"


def detail_url(action) -> str:
    return f"/conseiller/actions/{action.pk}/"


def edit_url(action) -> str:
    return f"/conseiller/actions/{action.pk}/modifier/"


def comment_url(action) -> str:
    return f"/conseiller/actions/{action.pk}/commentaires/"


def qualify_url(action) -> str:
    return f"/conseiller/actions/{action.pk}/qualifier/"


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def done(young_person, **kwargs):
    return ActionFactory(young_person=young_person, done=True, **kwargs)


def plain(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(response)))


def row_of(body: str, needle: str) -> str:
    """The table row (<tr>...</tr>) holding needle."""
    return next(row for row in body.split("<tr>") if needle in row).split("</tr>", 1)[0]


def errors_of(response) -> str:
    """The text of the page's error messages (field errors and alerts)."""
    body = text(response)
    found = re.findall(r'class="fr-(?:error-text|message--error)[^"]*"[^>]*>\s*([^<]+)', body)
    found += re.findall(r'role="alert">\s*(?:<h2[^>]*>[^<]*</h2>)?\s*<p>([^<]+)', body)
    return " | ".join(item.strip() for item in found)


@pytest.fixture
def other_client(other_structure_counselor):
    return client_for(other_structure_counselor.user)


# --- a young person's Actions tab ----------------------------------------------------------------


class TestActionsTab:
    def test_header_counter_and_weeks(self, counselor_client, young_person):
        done(young_person, title="Envoyer trois candidatures", due_date=TODAY - timedelta(days=1))
        ActionFactory(
            young_person=young_person,
            title="Suivre un atelier CV",
            category="FORMATION",
            in_progress=True,
            due_date=TODAY + timedelta(days=1),
        )
        ActionFactory(young_person=young_person, title="Appeler la CAF", due_date=date(2026, 3, 3))
        qualified = done(young_person, title="Visite d'entreprise", due_date=date(2026, 3, 5))
        services.qualify_action(young_person.counselor.user, qualified, hours=Decimal("2.5"))

        response = counselor_client.get(tab_url(young_person))
        assert response.status_code == 200
        page = text(response)
        assert f"{young_person.user.last_name.upper()} {young_person.user.first_name}" in page
        assert "Contrat d'Engagement Jeune" in page
        assert "Compte activé" in page
        # 3 h (done, EMPLOI) + 3 h (in progress, due this week, FORMATION); nothing validated.
        assert "Déclarées : 6 h · Validées : 0 h" in plain(response)
        assert "Cette semaine, du 9 au 15 mars 2026" in page
        # Most recent week first.
        this_week = page.index("<caption>Cette semaine, du 9 au 15 mars 2026</caption>")
        last_week = page.index("<caption>Semaine dernière, du 2 au 8 mars 2026</caption>")
        assert this_week < last_week
        assert this_week < page.index("Envoyer trois candidatures") < last_week
        assert last_week < page.index("Appeler la CAF")
        assert "4 actions" in page

    def test_late_actions_are_marked(self, counselor_client, young_person):
        ActionFactory(young_person=young_person, title="En attente", due_date=date(2026, 3, 2))
        ActionFactory(young_person=young_person, title="À venir", due_date=date(2026, 3, 20))
        done(young_person, title="Faite", due_date=date(2026, 3, 2))
        body = counselor_client.get(tab_url(young_person)).content.decode()
        rows = {
            title: body[body.index(title) :].split("</tr>", 1)[0]
            for title in ("En attente", "À venir", "Faite")
        }
        assert "En retard" in rows["En attente"]
        assert "En retard" not in rows["À venir"]
        assert "En retard" not in rows["Faite"]

    def test_filters_by_status_and_category(self, counselor_client, young_person):
        done(young_person, title="Faite emploi")
        done(young_person, title="Faite santé", category="SANTE")
        ActionFactory(young_person=young_person, title="À faire santé", category="SANTE")

        page = text(counselor_client.get(tab_url(young_person) + "?status=done"))
        assert "Faite emploi" in page and "Faite santé" in page
        assert "À faire santé" not in page

        page = text(counselor_client.get(tab_url(young_person) + "?status=done&category=SANTE"))
        assert "Faite santé" in page
        assert "Faite emploi" not in page and "À faire santé" not in page
        assert "1 action correspondant aux filtres" in page

        page = text(counselor_client.get(tab_url(young_person) + "?category=LOGEMENT"))
        assert "Aucune action ne correspond à ces filtres." in page

        # An unknown value filters nothing.
        response = counselor_client.get(tab_url(young_person) + "?status=perdu")
        assert response.status_code == 200
        assert "3 actions" in text(response)

    def test_paging_keeps_the_filters(self, counselor_client, young_person):
        for day in range(PAGE_SIZE + 5):
            done(young_person, due_date=TODAY - timedelta(days=day))
        first = counselor_client.get(tab_url(young_person) + "?status=done")
        assert len(first.context["page"].object_list) == PAGE_SIZE
        assert "?status=done&amp;page=2" in first.content.decode()
        second = counselor_client.get(tab_url(young_person) + "?status=done&page=2")
        assert len(second.context["page"].object_list) == 5

    def test_query_count_does_not_grow_with_the_actions(self, counselor, young_person):
        done(young_person)
        ActionFactory(young_person=young_person, due_date=date(2026, 3, 2))
        few = count_queries(client_for(counselor.user), tab_url(young_person))
        for day in range(40):
            ActionFactory(
                young_person=young_person,
                due_date=TODAY - timedelta(days=day),
                status=["not_started", "in_progress", "done", "canceled"][day % 4],
                end_date=TODAY - timedelta(days=day) if day % 4 == 2 else None,
                by_counselor=day % 2 == 0,
            )
        ActionComment.objects.create(
            action=Action.objects.first(), author=counselor.user, body="Bravo"
        )
        many = count_queries(client_for(counselor.user), tab_url(young_person))
        assert few == many, (few, many)

    def test_supervisor_of_the_structure_opens_it(self, supervisor, young_person):
        assert client_for(supervisor.user).get(tab_url(young_person)).status_code == 200

    def test_a_colleague_gets_404(self, structure, young_person):
        colleague = CounselorFactory(structure=structure)
        assert client_for(colleague.user).get(tab_url(young_person)).status_code == 404

    def test_france_travail_young_people_have_demarches(self, db):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        page = text(client_for(counselor.user).get(tab_url(young_person)))
        assert "Créer une démarche" in page
        assert "Aucune démarche pour l'instant." in page


class TestHourCounterToggle:
    def test_switch_on_and_off(self, counselor_client, young_person):
        assert young_person.hour_counter_enabled is False
        page = text(counselor_client.get(tab_url(young_person)))
        assert "Le compteur n'est pas affiché au bénéficiaire." in page
        assert "Afficher le compteur au bénéficiaire" in page

        response = counselor_client.post(counter_url(young_person), {"enabled": "True"})
        assert redirect_path(response) == tab_url(young_person)
        young_person.refresh_from_db()
        assert young_person.hour_counter_enabled is True
        page = text(counselor_client.get(tab_url(young_person)))
        assert "Le compteur d'heures est maintenant affiché à" in page
        assert "Masquer le compteur au bénéficiaire" in page

        counselor_client.post(counter_url(young_person), {"enabled": "False"})
        young_person.refresh_from_db()
        assert young_person.hour_counter_enabled is False

    def test_get_is_not_allowed(self, counselor_client, young_person):
        assert counselor_client.get(counter_url(young_person)).status_code == 405

    def test_service_refuses_a_young_person(self, young_person):
        with pytest.raises(ServiceError) as error:
            account_services.set_hour_counter(young_person.user, young_person, True)
        assert error.value.status == 403
        young_person.refresh_from_db()
        assert young_person.hour_counter_enabled is False


# --- creating an action for one or several young people ------------------------------------------


def create_data(people, **overrides):
    data = {
        "young_people": [str(yp.pk) for yp in people],
        "predefined": "",
        "title": "Préparer le forum de l'emploi",
        "category": "EMPLOI",
        "description": "Forum du 20 mars",
        "due_date": "2026-03-20",
    }
    data.update(overrides)
    return data


@pytest.fixture
def two(counselor):
    return [
        YoungPersonFactory(counselor=counselor, user__last_name="Bernard"),
        YoungPersonFactory(counselor=counselor, user__last_name="Moreau"),
    ]


class TestCreate:
    def test_form_lists_the_portfolio_and_preselects(self, counselor, counselor_client, two):
        colleague = CounselorFactory(structure=counselor.structure)
        colleague_one = YoungPersonFactory(counselor=colleague)
        archived = YoungPersonFactory(counselor=counselor, is_archived=True)
        response = counselor_client.get(CREATE + f"?beneficiaire={two[1].pk}")
        assert response.status_code == 200
        body = response.content.decode()
        assert "BERNARD" in body and "MOREAU" in body
        assert str(colleague_one.pk) not in body
        assert str(archived.pk) not in body
        checked = re.findall(
            r'<input type="checkbox" name="young_people" value="([^"]+)"[^>]*checked', body
        )
        assert checked == [str(two[1].pk)]
        assert input_value(response, "due_date") == "2026-03-11"
        # The catalogue is offered.
        assert PREDEFINED[0][0].replace("'", "&#x27;") in body

    def test_a_garbage_preselection_checks_nothing(self, counselor_client, two):
        response = counselor_client.get(CREATE + "?beneficiaire=pas-un-uuid")
        assert response.status_code == 200
        assert " checked" not in response.content.decode()

    def test_for_several_young_people_from_the_catalogue(self, counselor, counselor_client, two):
        index = next(i for i, (t, _) in enumerate(PREDEFINED) if t == "Mettre à jour son CV")
        response = counselor_client.post(
            CREATE, create_data(two, predefined=str(index), title="", category="")
        )
        assert redirect_path(response) == "/conseiller/"
        actions = Action.objects.order_by("young_person__user__last_name")
        assert [a.young_person for a in actions] == two
        for action in actions:
            assert action.title == "Mettre à jour son CV"
            assert action.category == "EMPLOI"
            assert action.description == "Forum du 20 mars"
            assert action.due_date == date(2026, 3, 20)
            assert action.creator_role == "counselor"
            assert action.created_by == counselor.user
            assert action.status == "not_started"
        page = text(counselor_client.get("/conseiller/"))
        assert "L'action « Mettre à jour son CV » a été créée pour 2 bénéficiaires." in page

    def test_catalogue_category_can_be_overridden(self, counselor_client, two):
        index = next(i for i, (t, _) in enumerate(PREDEFINED) if t == "Mettre à jour son CV")
        counselor_client.post(
            CREATE, create_data(two[:1], predefined=str(index), title="", category="FORMATION")
        )
        assert Action.objects.get().category == "FORMATION"

    def test_for_one_young_person_with_a_free_title(self, counselor_client, young_person):
        response = counselor_client.post(CREATE, create_data([young_person]))
        assert redirect_path(response) == tab_url(young_person)
        action = Action.objects.get()
        assert action.title == "Préparer le forum de l'emploi"
        assert action.history.get().event == "created"
        page = text(counselor_client.get(tab_url(young_person)))
        assert "a été créée pour 1 bénéficiaire." in page
        assert "Préparer le forum de l'emploi" in page

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"title": "   "}, "Choisissez une action du catalogue ou saisissez un titre."),
            ({"title": "x" * 256}, "Le titre ne doit pas dépasser 255 caractères."),
            ({"category": "CUISINE"}, "Choisissez une catégorie dans la liste."),
            ({"category": ""}, "Choisissez une catégorie dans la liste."),
            ({"young_people": []}, "Choisissez au moins un bénéficiaire."),
            ({"due_date": "2028-03-12"}, "La date doit être à moins de deux ans d'aujourd'hui."),
            ({"due_date": "2024-03-10"}, "La date doit être à moins de deux ans d'aujourd'hui."),
            ({"due_date": ""}, "La date de l'action est obligatoire."),
            ({"due_date": "demain"}, "Saisissez une date valide"),
            ({"predefined": "99"}, "Choisissez une action du catalogue."),
            ({"predefined": "0"}, "pas les deux"),
        ],
    )
    def test_bad_input(self, counselor_client, two, overrides, message):
        response = counselor_client.post(CREATE, create_data(two, **overrides))
        assert response.status_code == 400
        assert message in text(response)
        assert 'aria-invalid="true"' in response.content.decode()
        assert not Action.objects.exists()
        # What was typed is still there.
        assert "Forum du 20 mars" in text(response)
        assert response["Content-Type"].startswith("text/html")
        assert "<title>" in response.content.decode()
        assert "Erreur" in text(response).split("</title>")[0]

    @pytest.mark.parametrize("whose", ["colleague", "other_structure"])
    def test_a_young_person_of_another_portfolio_is_refused(
        self, counselor, counselor_client, two, whose
    ):
        structure = counselor.structure if whose == "colleague" else StructureFactory()
        stranger = YoungPersonFactory(counselor=CounselorFactory(structure=structure))
        response = counselor_client.post(CREATE, create_data([*two, stranger]))
        assert response.status_code == 400
        assert "Ce bénéficiaire ne fait pas partie de votre portefeuille." in text(response)
        assert not Action.objects.exists()

    def test_garbage_young_person_id_is_refused(self, counselor_client, two):
        response = counselor_client.post(
            CREATE, create_data(two, young_people=[str(two[0].pk), "pas-un-uuid"])
        )
        assert response.status_code == 400
        assert "Ce bénéficiaire ne fait pas partie de votre portefeuille." in text(response)
        assert not Action.objects.exists()


# --- an action's page -----------------------------------------------------------------------------


class TestDetail:
    def test_shows_status_dates_creator_comments_and_history(
        self, counselor, counselor_client, young_person
    ):
        action, _ = services.create_action(
            actor=young_person.user,
            young_person=young_person,
            title="Réviser le code",
            category="CITOYENNETE",
            due_date=date(2026, 3, 13),
            description="Série 4",
        )
        with time_machine.travel(datetime(2026, 3, 11, 15, 5, tzinfo=UTC), tick=False):
            services.change_status(young_person.user, action, "in_progress")
        with time_machine.travel(datetime(2026, 3, 11, 15, 10, tzinfo=UTC), tick=False):
            services.add_comment(young_person.user, action, "J'ai commencé.")
        with time_machine.travel(datetime(2026, 3, 11, 15, 20, tzinfo=UTC), tick=False):
            services.add_comment(counselor.user, action, "Super !")

        response = counselor_client.get(detail_url(action))
        assert response.status_code == 200
        page = text(response)
        assert "<h1" in page and "Réviser le code" in page
        assert "En cours" in page
        assert "Citoyenneté" in page
        assert "13/03/2026" in page  # due date
        assert "Série 4" in page
        creator = f"{young_person.user.get_full_name()} (bénéficiaire), le 11/03/2026 à 10:00"
        assert creator in plain(response)
        comments = page[page.index('id="commentaires"') :]
        assert comments.index("J'ai commencé.") < comments.index("Super !")
        assert "(bénéficiaire)" in comments
        history = page[page.index('id="historique"') :]
        # Local time (Paris, UTC+1 in March).
        assert "Changement de statut</strong> — " in history
        assert "le 11/03/2026 à 16:05" in history
        assert "Statut : À faire → En cours" in history
        assert "Création" in history
        assert "INVALID_TEMPLATE_VARIABLE" not in page

    def test_history_in_an_overseas_structure_time(self, db):
        counselor = CounselorFactory(structure=StructureFactory(overseas=True))
        young_person = YoungPersonFactory(counselor=counselor)
        action, _ = services.create_action(
            actor=counselor.user,
            young_person=young_person,
            title="Faire une démarche",
            category="EMPLOI",
            due_date=TODAY,
        )
        page = text(client_for(counselor.user).get(detail_url(action)))
        # 09:00 UTC is 13:00 in La Réunion (UTC+4).
        assert "le 11/03/2026 à 13:00" in page[page.index('id="historique"') :]

    def test_query_count_does_not_grow_with_comments_and_history(self, counselor, young_person):
        action = done(young_person)
        services.add_comment(counselor.user, action, "Un")
        few = count_queries(client_for(counselor.user), detail_url(action))
        for n in range(10):
            services.add_comment(young_person.user if n % 2 else counselor.user, action, f"{n}")
            services.update_action(counselor.user, action, title=f"Titre {n}")
        many = count_queries(client_for(counselor.user), detail_url(action))
        assert few == many, (few, many)


class TestComment:
    def test_add(self, counselor, counselor_client, young_person):
        action = ActionFactory(young_person=young_person)
        response = counselor_client.post(comment_url(action), {"body": "  Pensez au CV.  "})
        assert response.status_code == 302
        assert response["Location"] == detail_url(action) + "#commentaires"
        comment = ActionComment.objects.get()
        assert (comment.action, comment.author, comment.body) == (
            action,
            counselor.user,
            "Pensez au CV.",
        )
        assert "Votre commentaire a été ajouté." in text(counselor_client.get(detail_url(action)))

    def test_empty_is_refused(self, counselor_client, young_person):
        action = ActionFactory(young_person=young_person)
        response = counselor_client.post(comment_url(action), {"body": "   "})
        assert response.status_code == 400
        assert "Le commentaire est vide." in text(response)
        assert not ActionComment.objects.exists()

    def test_too_long_is_refused_and_kept(self, counselor_client, young_person):
        action = ActionFactory(young_person=young_person)
        body = "Très long. " * 200
        response = counselor_client.post(comment_url(action), {"body": body})
        assert response.status_code == 400
        assert "Le commentaire ne doit pas dépasser 2000 caractères." in text(response)
        assert body.strip() in text(response)
        assert not ActionComment.objects.exists()


class TestEdit:
    def test_prefilled_and_saved_with_history(self, counselor, counselor_client, young_person):
        action = ActionFactory(young_person=young_person, title="Ancien titre")
        response = counselor_client.get(edit_url(action))
        assert response.status_code == 200
        assert input_value(response, "title") == "Ancien titre"
        assert input_value(response, "due_date") == action.due_date.isoformat()

        response = counselor_client.post(
            edit_url(action),
            {
                "title": "Nouveau titre",
                "category": "SANTE",
                "description": "",
                "due_date": "2026-03-18",
                "start_date": "",
                "reminder": "on",
            },
        )
        assert redirect_path(response) == detail_url(action)
        action.refresh_from_db()
        assert (action.title, action.category, action.due_date) == (
            "Nouveau titre",
            "SANTE",
            date(2026, 3, 18),
        )
        entry = action.history.get(event="updated")
        assert entry.actor == counselor.user
        assert entry.changes["title"] == ["Ancien titre", "Nouveau titre"]
        page = text(counselor_client.get(detail_url(action)))
        assert "Titre : Ancien titre → Nouveau titre" in page

    def test_bad_input_keeps_what_was_typed(self, counselor_client, young_person):
        action = ActionFactory(young_person=young_person, title="Ancien titre")
        response = counselor_client.post(
            edit_url(action),
            {"title": "Titre tapé", "category": "EMPLOI", "due_date": "2030-01-01"},
        )
        assert response.status_code == 400
        assert "La date doit être à moins de deux ans d'aujourd'hui." in text(response)
        assert input_value(response, "title") == "Titre tapé"
        action.refresh_from_db()
        assert action.title == "Ancien titre"

    def test_not_once_qualified(self, counselor, counselor_client, young_person):
        action = done(young_person, title="Qualifiée")
        services.qualify_action(counselor.user, action)
        assert (
            "Modifier"
            not in text(counselor_client.get(detail_url(action)))
            .split('id="qualifier"')[0]
            .split("</h1>")[1]
        )
        response = counselor_client.get(edit_url(action))
        assert redirect_path(response) == detail_url(action)
        response = counselor_client.post(
            edit_url(action), {"title": "Autre", "category": "EMPLOI", "due_date": "2026-03-11"}
        )
        assert redirect_path(response) == detail_url(action)
        action.refresh_from_db()
        assert action.title == "Qualifiée"
        page = text(counselor_client.get(detail_url(action)))
        assert "Cette action est qualifiée : elle ne peut plus être modifiée." in page


class TestQualify:
    def test_form_is_prefilled(self, counselor_client, young_person):
        action = done(young_person, category="PROJET_PROFESSIONNEL", description="Avec la CCI")
        action.title = "Enquête métier"
        action.save()
        response = counselor_client.get(detail_url(action))
        body = response.content.decode()
        assert re.search(r'<option value="PROJET_PROFESSIONNEL" selected>', body)
        assert input_value(response, "hours") == "2"
        assert input_value(response, "end_date") == action.end_date.isoformat()
        assert "Enquête métier - Avec la CCI</textarea>" in text(response)

    def test_qualify_with_the_defaults_shown(self, counselor, counselor_client, young_person):
        action = done(young_person, title="Envoyer un CV")
        response = counselor_client.post(
            qualify_url(action),
            {
                "code": "EMPLOI",
                "hours": "3",
                "start_date": action.end_date.isoformat(),
                "end_date": action.end_date.isoformat(),
                "comment": "Envoyer un CV",
            },
        )
        assert redirect_path(response) == detail_url(action)
        action.refresh_from_db()
        assert action.is_qualified
        assert action.qualification_code == "EMPLOI"
        assert action.qualified_hours == Decimal(3)
        assert action.qualified_by == counselor.user
        page = text(counselor_client.get(detail_url(action)))
        assert "L'action « Envoyer un CV » est qualifiée (Emploi, 3 heures)." in page
        # Read-only once qualified: no form, the qualification shown.
        assert qualify_url(action) not in page
        qualification = page[page.index('id="qualifier"') : page.index('id="commentaires"')]
        assert "Emploi" in qualification and "3 h" in qualification
        assert f"par {counselor.user.get_full_name()}" in qualification

    def test_custom_hours(self, counselor_client, young_person):
        action = done(young_person)
        counselor_client.post(qualify_url(action), {"code": "FORMATION", "hours": "4.5"})
        action.refresh_from_db()
        assert (action.qualification_code, action.qualified_hours) == ("FORMATION", Decimal("4.5"))

    def test_non_snp_counts_zero_hours(self, counselor_client, young_person):
        action = done(young_person)
        counselor_client.post(qualify_url(action), {"code": "NON_SNP", "hours": "3"})
        action.refresh_from_db()
        assert action.qualification_code == "NON_SNP"
        assert action.qualified_hours == Decimal(0)

    def test_comment_over_255_is_refused_and_kept(self, counselor_client, young_person):
        action = done(young_person)
        comment = "c" * 256
        response = counselor_client.post(
            qualify_url(action), {"code": "EMPLOI", "hours": "3", "comment": comment}
        )
        assert response.status_code == 400
        assert "Le commentaire ne doit pas dépasser 255 caractères." in text(response)
        assert comment in text(response)
        action.refresh_from_db()
        assert not action.is_qualified

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"hours": "beaucoup"}, "Saisissez un nombre d'heures valide."),
            ({"hours": "120"}, "Le nombre d'heures doit être compris entre 0 et 99,9."),
            ({"hours": "2.25"}, "Une décimale au plus."),
            ({"code": "SIESTE"}, "Choisissez un code de qualification dans la liste."),
            (
                {"start_date": "2026-03-10", "end_date": "2026-03-01"},
                "La date de fin doit suivre la date de début.",
            ),
        ],
    )
    def test_bad_input(self, counselor_client, young_person, data, message):
        action = done(young_person)
        response = counselor_client.post(qualify_url(action), {"code": "EMPLOI", **data})
        assert response.status_code == 400
        assert message in text(response)
        action.refresh_from_db()
        assert not action.is_qualified
        assert not action.history.exists()

    def test_an_action_not_done_is_refused(self, counselor_client, young_person):
        action = ActionFactory(young_person=young_person, title="Pas finie", in_progress=True)
        page = text(counselor_client.get(detail_url(action)))
        assert qualify_url(action) not in page
        assert "L'action pourra être qualifiée une fois terminée." in page
        response = counselor_client.post(qualify_url(action), {"code": "EMPLOI"})
        assert redirect_path(response) == detail_url(action)
        action.refresh_from_db()
        assert not action.is_qualified
        page = text(counselor_client.get(detail_url(action)))
        assert "« Pas finie » n'est pas terminée" in page

    def test_an_action_already_qualified_is_refused(
        self, counselor, counselor_client, young_person
    ):
        action = done(young_person)
        services.qualify_action(counselor.user, action, hours="1")
        response = counselor_client.post(qualify_url(action), {"code": "NON_SNP"})
        assert redirect_path(response) == detail_url(action)
        action.refresh_from_db()
        assert (action.qualification_code, action.qualified_hours) == ("EMPLOI", Decimal(1))
        assert "Cette action est déjà qualifiée." in text(counselor_client.get(detail_url(action)))


# --- Pilotage → Actions à qualifier ---------------------------------------------------------------


@pytest.fixture
def pending(counselor, two):
    """Two done actions to qualify, plus what the page must leave out."""
    first = done(two[0], title="CV", due_date=date(2026, 3, 2))
    second = done(two[1], title="Atelier", category="FORMATION", due_date=date(2026, 3, 9))
    ActionFactory(young_person=two[0], title="Pas finie", in_progress=True)
    qualified = done(two[0], title="Déjà qualifiée")
    services.qualify_action(counselor.user, qualified)
    colleague = CounselorFactory(structure=counselor.structure)
    done(YoungPersonFactory(counselor=colleague), title="Autre")
    done(YoungPersonFactory(counselor=counselor, is_archived=True), title="Archivée")
    return [first, second]


class TestToQualify:
    def test_lists_done_unqualified_actions_of_the_portfolio(self, counselor_client, pending):
        response = counselor_client.get(TO_QUALIFY)
        assert response.status_code == 200
        page = text(response)
        assert list(response.context["page"].object_list) == pending
        for title in ("Pas finie", "Déjà qualifiée", "Autre", "Archivée"):
            assert f">{title}<" not in page
        assert "2 actions terminées à qualifier" in page
        row = row_of(page, ">Atelier<")
        assert "MOREAU" in row
        assert "Formation" in row and "09/03/2026" in row and "3 h" in row
        assert detail_url(pending[1]) + "#qualifier" in row
        # The side menu's Pilotage leads here.
        assert re.search(
            r'href="/conseiller/pilotage/actions-a-qualifier/"\s+aria-current="page">Pilotage',
            page,
        )

    def test_bulk_qualify(self, counselor, counselor_client, pending):
        response = counselor_client.post(TO_QUALIFY, {"actions": [a.pk for a in pending]})
        assert redirect_path(response) == TO_QUALIFY
        for action in pending:
            action.refresh_from_db()
            assert action.is_qualified
            assert action.qualification_code == action.category
            assert action.qualified_by == counselor.user
        assert pending[0].qualified_hours == Decimal(3)
        assert pending[0].qualification_comment == "CV"
        page = text(counselor_client.get(TO_QUALIFY))
        assert "2 actions qualifiées avec les valeurs par défaut." in page
        assert "0 action terminée à qualifier" in page

    def test_bulk_is_all_or_nothing(self, counselor_client, pending, two):
        not_done = Action.objects.get(title="Pas finie")
        response = counselor_client.post(
            TO_QUALIFY, {"actions": [pending[0].pk, not_done.pk, pending[1].pk]}
        )
        assert response.status_code == 400
        assert "« Pas finie » n'est pas terminée" in errors_of(response)
        assert not Action.objects.filter(pk__in=[a.pk for a in pending], qualified_at__isnull=False)
        assert not ActionHistory.objects.filter(event="qualified", action__in=pending).exists()
        # The selection is kept.
        body = response.content.decode()
        for action in pending:
            assert re.search(rf'value="{action.pk}"\s+checked', body)

    def test_an_action_outside_the_portfolio_is_refused(self, counselor_client, pending, db):
        elsewhere = done(YoungPersonFactory(counselor=CounselorFactory()))
        response = counselor_client.post(TO_QUALIFY, {"actions": [pending[0].pk, elsewhere.pk]})
        assert response.status_code == 400
        assert "n'existe plus ou ne vous est pas accessible" in text(response)
        assert not Action.objects.filter(qualified_at__isnull=False).exclude(title="Déjà qualifiée")

    def test_nothing_selected(self, counselor_client, pending):
        response = counselor_client.post(TO_QUALIFY, {})
        assert response.status_code == 400
        assert "Sélectionnez au moins une action." in text(response)

    def test_query_count_does_not_grow(self, counselor, two):
        done(two[0])
        few = count_queries(client_for(counselor.user), TO_QUALIFY)
        for n in range(20):
            done(YoungPersonFactory(counselor=counselor), category=["SANTE", "EMPLOI"][n % 2])
        many = count_queries(client_for(counselor.user), TO_QUALIFY)
        assert few == many, (few, many)

    def test_bulk_query_count_is_fixed_per_action(self, counselor, two):
        """Qualifying costs the same per action whatever the selection (no per-row fetch)."""
        actions = [done(two[n % 2]) for n in range(6)]
        client = client_for(counselor.user)
        with CaptureQueriesContext(connection) as two_of_them:
            client.post(TO_QUALIFY, {"actions": [a.pk for a in actions[:2]]})
        with CaptureQueriesContext(connection) as four_of_them:
            client.post(TO_QUALIFY, {"actions": [a.pk for a in actions[2:]]})
        per_action = (len(four_of_them) - len(two_of_them)) / 2
        assert per_action <= 4, per_action  # savepoint, update, history, release
        assert Action.objects.filter(qualified_at__isnull=False).count() == 6


# --- the portfolio's week columns ----------------------------------------------------------------


class TestPortfolioColumns:
    def test_names_link_to_the_file_hours_and_late(self, counselor, counselor_client, two):
        done(two[0], category="EMPLOI")
        qualified = done(two[0], category="SANTE")
        services.qualify_action(counselor.user, qualified)
        ActionFactory(young_person=two[1], due_date=date(2026, 3, 1))
        ActionFactory(young_person=two[1], in_progress=True, due_date=date(2026, 3, 10))
        body = counselor_client.get("/conseiller/").content.decode()
        rows = {yp: row_of(body, yp.user.last_name.upper()) for yp in two}
        assert f'href="{reverse("portfolio:file", args=[two[0].pk])}"' in rows[two[0]]
        # The file leads on to the actions tab.
        file_page = counselor_client.get(reverse("portfolio:file", args=[two[0].pk]))
        assert f'href="{tab_url(two[0])}"' in file_page.content.decode()
        # 3 h + 2 h declared, the qualified 2 h validated.
        assert "5 h / 2 h" in rows[two[0]]
        assert "0" in rows[two[0]] and "en retard" not in rows[two[0]]
        # Late: due on 1 and 10 March, not done (in progress this week counts 3 h).
        assert "3 h / 0 h" in rows[two[1]]
        assert "2 en retard" in rows[two[1]]

    def test_query_count_does_not_grow_with_portfolio_and_actions(self, counselor):
        def with_actions(young_person):
            done(young_person)
            ActionFactory(young_person=young_person, due_date=date(2026, 3, 1))
            return young_person

        with_actions(YoungPersonFactory(counselor=counselor))
        few = count_queries(client_for(counselor.user), "/conseiller/")
        for _ in range(25):
            with_actions(YoungPersonFactory(counselor=counselor))
        many = count_queries(client_for(counselor.user), "/conseiller/")
        assert few == many, (few, many)


# --- another structure's counselor: 404 on every object URL --------------------------------------


class TestOtherStructure:
    def test_404_everywhere(self, other_client, counselor, young_person):
        action = done(young_person)
        for method, url, data in [
            ("get", tab_url(young_person), None),
            ("post", counter_url(young_person), {"enabled": "True"}),
            ("get", detail_url(action), None),
            ("get", edit_url(action), None),
            ("post", edit_url(action), {"title": "Piraté", "category": "EMPLOI"}),
            ("post", comment_url(action), {"body": "Coucou"}),
            ("post", qualify_url(action), {"code": "NON_SNP"}),
        ]:
            response = getattr(other_client, method)(url, data or {})
            assert response.status_code == 404, (method, url, response.status_code)
        young_person.refresh_from_db()
        action.refresh_from_db()
        assert young_person.hour_counter_enabled is False
        assert action.title != "Piraté"
        assert not action.is_qualified
        assert not ActionComment.objects.exists()

    def test_create_preselection_ignores_a_stranger(self, other_client, young_person):
        body = other_client.get(CREATE + f"?beneficiaire={young_person.pk}").content.decode()
        assert str(young_person.pk) not in body

    def test_bulk_qualify_ignores_a_stranger(self, other_client, young_person):
        action = done(young_person)
        response = other_client.post(TO_QUALIFY, {"actions": [action.pk]})
        assert response.status_code == 400
        action.refresh_from_db()
        assert not action.is_qualified

    def test_young_person_gets_403(self, young_client, young_person):
        action = done(young_person)
        for url in (tab_url(young_person), detail_url(action), CREATE, TO_QUALIFY):
            assert young_client.get(url).status_code == 403
