import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passemploi.accounts import services
from passemploi.accounts.enums import Scheme
from passemploi.accounts.models import Counselor, User, YoungPerson
from passemploi.core.errors import ServiceError
from passemploi.portfolio.views import PAGE_SIZE
from tests.factories import CounselorFactory, StructureFactory, UserFactory, YoungPersonFactory
from tests.helpers import activation_path, activation_token, input_value, text

pytestmark = pytest.mark.django_db

INDEX = "/conseiller/"
TEAM = "/conseiller/equipe/"


def resend_url(young_person) -> str:
    return f"/conseiller/beneficiaires/{young_person.pk}/renvoyer-activation/"


def person(first, last, **kwargs):
    return YoungPersonFactory(user__first_name=first, user__last_name=last, **kwargs)


class TestPortfolioList:
    def test_lists_only_the_counselor_own_young_people(self, counselor, counselor_client):
        mine = person("Lina", "Camara", counselor=counselor)
        colleague = CounselorFactory(structure=counselor.structure)
        same_structure = person("Hugo", "Bonnet", counselor=colleague)
        elsewhere = person("Zoé", "Grondin", counselor=CounselorFactory())

        response = counselor_client.get(INDEX)
        assert response.status_code == 200
        page = text(response)
        assert "CAMARA Lina" in page
        assert "BONNET" not in page
        assert "GRONDIN" not in page
        assert "1 bénéficiaire suivi" in page
        assert list(response.context["page"].object_list) == [mine]
        assert same_structure not in response.context["page"].object_list
        assert elsewhere not in response.context["page"].object_list

    def test_supervisor_sees_their_own_portfolio_only(self, supervisor):
        person("Lina", "Camara", counselor=supervisor)
        person("Hugo", "Bonnet", counselor=CounselorFactory(structure=supervisor.structure))
        client = Client()
        client.force_login(supervisor.user)
        page = text(client.get(INDEX))
        assert "CAMARA Lina" in page
        assert "BONNET" not in page

    def test_archived_young_people_are_hidden(self, counselor, counselor_client):
        person("Lina", "Camara", counselor=counselor, is_archived=True)
        page = text(counselor_client.get(INDEX))
        assert "CAMARA" not in page
        assert "Vous ne suivez encore aucun bénéficiaire" in page

    def test_activation_state_and_resend_button(self, counselor, counselor_client):
        active = person("Lina", "Camara", counselor=counselor)
        pending = person("Hugo", "Bonnet", counselor=counselor, user__not_activated=True)
        response = counselor_client.get(INDEX)
        body = response.content.decode()
        rows = {
            yp: body[body.index(yp.user.last_name.upper()) :].split("</tr>", 1)[0]
            for yp in (active, pending)
        }
        assert "Non activé" not in rows[active]
        assert resend_url(active) not in rows[active]
        assert "Non activé" in rows[pending]
        assert resend_url(pending) in rows[pending]

    def test_sorted_by_last_name(self, counselor, counselor_client):
        for first, last in [("A", "Moreau"), ("B", "Bernard"), ("C", "Roux")]:
            person(first, last, counselor=counselor)
        names = [
            yp.user.last_name for yp in counselor_client.get(INDEX).context["page"].object_list
        ]
        assert names == ["Bernard", "Moreau", "Roux"]

    def test_empty_portfolio(self, counselor_client):
        page = text(counselor_client.get(INDEX))
        assert "Vous ne suivez encore aucun bénéficiaire" in page

    def test_paged_by_50(self, counselor, counselor_client):
        YoungPersonFactory.create_batch(PAGE_SIZE + 10, counselor=counselor)
        first = counselor_client.get(INDEX)
        assert PAGE_SIZE == 50
        assert len(first.context["page"].object_list) == 50
        assert "60 bénéficiaires suivis" in text(first)
        assert "1 / 2" in text(first)
        second = counselor_client.get(INDEX + "?page=2")
        assert len(second.context["page"].object_list) == 10
        seen = {yp.pk for yp in first.context["page"].object_list} | {
            yp.pk for yp in second.context["page"].object_list
        }
        assert len(seen) == 60
        # Out-of-range or garbage page numbers fall back to a real page.
        assert counselor_client.get(INDEX + "?page=99").status_code == 200
        assert counselor_client.get(INDEX + "?page=abc").context["page"].number == 1

    def test_query_count_does_not_grow_with_the_portfolio(self, counselor):
        def queries(client) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(INDEX).status_code == 200
            return len(captured)

        small, large = Client(), Client()
        for client in (small, large):
            client.force_login(counselor.user)
        YoungPersonFactory.create_batch(3, counselor=counselor)
        few = queries(small)
        YoungPersonFactory.create_batch(57, counselor=counselor, user__not_activated=True)
        many = queries(large)
        assert few == many, (few, many)
        # Three of them for the week's hours (one per counter source: actions, appointments, for
        # every young person of the page) and their late actions (one aggregate), one for the
        # young people lent temporarily to colleagues ("Reprendre").
        assert many <= 13


def create_data(**overrides):
    data = {
        "first_name": "Inès",
        "last_name": "Diallo",
        "email": "ines.diallo@exemple.fr",
        "scheme": Scheme.CEJ,
        "planned_end_date": "",
        "partner_id": "",
    }
    data.update(overrides)
    return data


class TestCreateYoungPerson:
    def test_happy_path(self, counselor, counselor_client, django_capture_on_commit_callbacks):
        end = timezone.localdate() + dt.timedelta(days=365)
        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(
                INDEX,
                create_data(
                    email="Ines.Diallo@Exemple.fr",
                    scheme=Scheme.PACEA,
                    planned_end_date=end.isoformat(),
                    partner_id="1234567",
                ),
            )
        assert response.status_code == 302
        assert response["Location"] == INDEX

        young_person = YoungPerson.objects.select_related("user").get()
        assert young_person.counselor == counselor
        assert young_person.structure == counselor.structure
        assert young_person.user.email == "ines.diallo@exemple.fr"
        assert young_person.scheme == Scheme.PACEA
        assert young_person.planned_end_date == end
        assert young_person.partner_id == "1234567"
        assert not young_person.user.is_activated

        assert [m.to for m in mail.outbox] == [["ines.diallo@exemple.fr"]]
        assert activation_path().startswith("/activation/")
        assert "http://testserver/activation/" in mail.outbox[0].body
        services.check_activation_token(activation_token())

        page = text(counselor_client.get(INDEX))
        assert "Inès Diallo a été ajouté(e) à votre portefeuille" in page
        assert "DIALLO Inès" in page
        assert "Non activé" in page

    def test_link_in_the_email_opens_the_activation_page(
        self, counselor_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            counselor_client.post(INDEX, create_data())
        response = Client().get(activation_path())
        assert response.status_code == 200
        assert "ines.diallo@exemple.fr" in text(response)

    def assert_refused(self, response, message, typed):
        assert response.status_code == 400
        assert message in text(response)
        for name, value in typed.items():
            assert input_value(response, name) == value, name
        assert not YoungPerson.objects.filter(user__last_name="Diallo").exists()
        assert mail.outbox == []

    def test_duplicate_email(self, counselor_client, django_capture_on_commit_callbacks):
        UserFactory(email="ines.diallo@exemple.fr")
        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(
                INDEX, create_data(email="INES.Diallo@exemple.fr", partner_id="42")
            )
        self.assert_refused(
            response,
            "Un compte existe déjà avec cette adresse e-mail.",
            {"first_name": "Inès", "last_name": "Diallo", "partner_id": "42"},
        )
        assert User.objects.filter(email__iexact="ines.diallo@exemple.fr").count() == 1

    def test_malformed_email(self, counselor_client):
        response = counselor_client.post(INDEX, create_data(email="ines.diallo@"))
        self.assert_refused(
            response,
            "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
            {"first_name": "Inès", "last_name": "Diallo", "email": "ines.diallo@"},
        )

    def test_missing_first_name(self, counselor_client):
        response = counselor_client.post(INDEX, create_data(first_name=""))
        self.assert_refused(
            response,
            "Ce champ est obligatoire.",
            {"last_name": "Diallo", "email": "ines.diallo@exemple.fr"},
        )

    def test_blank_first_name(self, counselor_client):
        response = counselor_client.post(INDEX, create_data(first_name="   "))
        assert response.status_code == 400
        assert not YoungPerson.objects.exists()

    def test_end_date_in_the_past(self, counselor_client):
        yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        response = counselor_client.post(INDEX, create_data(planned_end_date=yesterday))
        self.assert_refused(
            response,
            "La date de fin prévue doit être aujourd'hui ou plus tard.",
            {"email": "ines.diallo@exemple.fr", "planned_end_date": yesterday},
        )

    def test_unknown_scheme(self, counselor_client):
        response = counselor_client.post(INDEX, create_data(scheme="GARANTIE_JEUNES"))
        assert response.status_code == 400
        assert "Sélectionnez un choix valide" in text(response)
        assert not YoungPerson.objects.exists()

    def test_errors_are_tied_to_their_field(self, counselor_client):
        UserFactory(email="ines.diallo@exemple.fr")
        response = counselor_client.post(INDEX, create_data())
        assert response.context["form"].errors == {
            "email": ["Un compte existe déjà avec cette adresse e-mail."]
        }

    def test_young_person_cannot_create(self, young_client):
        assert young_client.post(INDEX, create_data()).status_code == 403
        assert YoungPerson.objects.count() == 1


class TestResendActivation:
    def test_sends_a_new_link(
        self, counselor, counselor_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            young_person = services.create_young_person(
                counselor=counselor,
                first_name="Inès",
                last_name="Diallo",
                email="ines.diallo@exemple.fr",
                scheme=Scheme.CEJ,
            )
        first = activation_token()
        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(resend_url(young_person), follow=True)
        assert response.redirect_chain == [(INDEX, 302)]
        assert "Un nouvel e-mail d'activation a été envoyé à ines.diallo@exemple.fr." in text(
            response
        )
        assert len(mail.outbox) == 2
        second = activation_token(mail.outbox[1])
        assert second != first
        with pytest.raises(ServiceError):
            services.check_activation_token(first)
        services.check_activation_token(second)

    def test_get_is_refused(self, counselor, counselor_client):
        young_person = YoungPersonFactory(counselor=counselor, user__not_activated=True)
        assert counselor_client.get(resend_url(young_person)).status_code == 405
        assert mail.outbox == []

    def test_already_activated(
        self, counselor, counselor_client, django_capture_on_commit_callbacks
    ):
        young_person = YoungPersonFactory(counselor=counselor)
        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(resend_url(young_person), follow=True)
        assert "Ce compte est déjà activé." in text(response)
        assert mail.outbox == []

    @pytest.mark.parametrize("whose", ["colleague", "other_structure"])
    def test_someone_else_young_person_is_not_found(
        self, counselor, counselor_client, whose, django_capture_on_commit_callbacks
    ):
        owner = CounselorFactory(
            structure=counselor.structure if whose == "colleague" else StructureFactory()
        )
        young_person = YoungPersonFactory(counselor=owner, user__not_activated=True)
        with django_capture_on_commit_callbacks(execute=True):
            response = counselor_client.post(resend_url(young_person))
        assert response.status_code == 404
        assert "Page non trouvée" in text(response)
        assert mail.outbox == []

    def test_unknown_id(self, counselor_client):
        response = counselor_client.post(
            "/conseiller/beneficiaires/00000000-0000-0000-0000-000000000000/renvoyer-activation/"
        )
        assert response.status_code == 404

    def test_supervisor_may_resend_within_their_structure(
        self, supervisor, django_capture_on_commit_callbacks
    ):
        colleague = CounselorFactory(structure=supervisor.structure)
        young_person = YoungPersonFactory(counselor=colleague, user__not_activated=True)
        client = Client()
        client.force_login(supervisor.user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(resend_url(young_person))
        assert response.status_code == 302
        assert [m.to for m in mail.outbox] == [[young_person.user.email]]


def counselor_data(**overrides):
    data = {"first_name": "Karim", "last_name": "Haddad", "email": "karim.haddad@exemple.fr"}
    data.update(overrides)
    return data


class TestTeam:
    @pytest.fixture
    def supervisor_client(self, supervisor):
        client = Client()
        client.force_login(supervisor.user)
        return client

    def test_lists_the_structure_counselors(self, supervisor, supervisor_client, counselor):
        CounselorFactory(user__last_name="Ailleurs")
        page = text(supervisor_client.get(TEAM))
        assert counselor.user.email in page
        assert supervisor.user.email in page
        assert "AILLEURS" not in page

    def test_creates_a_counselor(
        self, supervisor, supervisor_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = supervisor_client.post(
                TEAM, counselor_data(email="Karim.Haddad@Exemple.fr", is_supervisor="on")
            )
        assert response.status_code == 302
        assert response["Location"] == TEAM
        created = Counselor.objects.select_related("user").get(user__last_name="Haddad")
        assert created.structure == supervisor.structure
        assert created.is_supervisor is True
        assert created.user.email == "karim.haddad@exemple.fr"
        assert not created.user.is_activated
        assert [m.to for m in mail.outbox] == [["karim.haddad@exemple.fr"]]
        page = text(supervisor_client.get(TEAM))
        assert "Le compte de Karim Haddad a été créé" in page
        assert "Non activé" in page

    def test_creates_a_plain_counselor_by_default(
        self, supervisor_client, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            supervisor_client.post(TEAM, counselor_data())
        assert Counselor.objects.get(user__last_name="Haddad").is_supervisor is False

    def test_duplicate_email(self, supervisor_client, young_person):
        response = supervisor_client.post(TEAM, counselor_data(email=young_person.user.email))
        assert response.status_code == 400
        assert "Un compte existe déjà avec cette adresse e-mail." in text(response)
        assert input_value(response, "first_name") == "Karim"
        assert not Counselor.objects.filter(user__last_name="Haddad").exists()

    def test_non_supervisor_is_refused(self, counselor_client):
        assert counselor_client.get(TEAM).status_code == 403
        response = counselor_client.post(TEAM, counselor_data())
        assert response.status_code == 403
        assert "Accès refusé" in text(response)
        assert not Counselor.objects.filter(user__last_name="Haddad").exists()

    def test_team_link_only_for_supervisors(self, supervisor_client, counselor_client):
        assert 'href="/conseiller/equipe/"' in supervisor_client.get(INDEX).content.decode()
        assert 'href="/conseiller/equipe/"' not in counselor_client.get(INDEX).content.decode()


class TestProfile:
    def test_shows_the_counselor(self, counselor, counselor_client):
        page = text(counselor_client.get("/conseiller/profil/"))
        assert counselor.user.email in page
        assert counselor.structure.name in page
        assert "Conseiller superviseur" not in page
