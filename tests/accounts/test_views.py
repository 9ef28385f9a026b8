import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from passemploi.accounts import services
from passemploi.accounts.enums import Scheme
from passemploi.accounts.middleware import LOGIN_AT_KEY
from passemploi.accounts.models import User
from passemploi.accounts.terms import CURRENT_TERMS_VERSION
from tests.conftest import client_for
from tests.factories import PASSWORD, UserFactory, YoungPersonFactory
from tests.helpers import activation_path, input_value, redirect_path, reset_path, text

pytestmark = pytest.mark.django_db

LOGIN = "/connexion/"
WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."
LOCKED = "Trop de tentatives de connexion"
NEW_PASSWORD = "Une-phrase-de-passe-robuste-2026"
T0 = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)


def sign_in(client, email, password=PASSWORD, **kwargs):
    return client.post(LOGIN, {"username": email, "password": password}, **kwargs)


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


class TestSignIn:
    def test_page_renders(self, client):
        response = client.get(LOGIN)
        assert response.status_code == 200
        page = text(response)
        assert "Connexion à Pass Emploi" in page
        assert 'name="username"' in page
        assert 'type="password"' in page

    def test_email_is_prefilled_from_the_query_string(self, client):
        response = client.get(LOGIN + "?email=ines@exemple.fr")
        assert input_value(response, "username") == "ines@exemple.fr"

    @pytest.mark.parametrize("typed", ["Ines.Diallo@Exemple.FR", "  ines.diallo@exemple.fr  "])
    def test_email_is_case_insensitive(self, client, counselor, typed):
        counselor.user.email = "ines.diallo@exemple.fr"
        counselor.user.save()
        response = sign_in(client, typed)
        assert response.status_code == 302
        assert signed_in(client)

    def test_wrong_password(self, client, counselor):
        response = sign_in(client, counselor.user.email, "pas-le-bon-mot-de-passe")
        assert response.status_code == 200
        assert WRONG_CREDENTIALS in text(response)
        assert not signed_in(client)

    def test_unknown_email_gets_the_same_message(self, client):
        response = sign_in(client, "inconnu@exemple.fr")
        assert WRONG_CREDENTIALS in text(response)
        assert not signed_in(client)

    def test_not_activated_account_cannot_sign_in(self, client):
        user = YoungPersonFactory(user__not_activated=True).user
        response = sign_in(client, user.email, "")
        assert not signed_in(client)
        assert response.status_code == 200

    def test_deactivated_account_cannot_sign_in(self, client, counselor):
        counselor.user.is_active = False
        counselor.user.save()
        sign_in(client, counselor.user.email)
        assert not signed_in(client)

    def test_counselor_lands_on_their_space(self, client, counselor):
        response = sign_in(client, counselor.user.email, follow=True)
        assert response.redirect_chain == [("/", 302), ("/conseiller/", 302)]
        assert response.status_code == 200
        assert "Portefeuille" in text(response)

    def test_young_person_lands_on_their_space(self, client, young_person):
        response = sign_in(client, young_person.user.email, follow=True)
        assert response.redirect_chain == [("/", 302), ("/app/", 302)]
        assert response.status_code == 200
        assert f"Bonjour {young_person.user.first_name}" in text(response)

    def test_next_parameter_is_honoured(self, client, counselor):
        response = client.post(
            LOGIN,
            {"username": counselor.user.email, "password": PASSWORD, "next": "/conseiller/profil/"},
        )
        assert response["Location"] == "/conseiller/profil/"

    def test_external_next_is_ignored(self, client, counselor):
        response = client.post(
            LOGIN,
            {"username": counselor.user.email, "password": PASSWORD, "next": "https://evil.com/"},
        )
        assert response["Location"] == "/"

    def test_signed_in_user_is_sent_away_from_the_login_page(self, counselor_client):
        response = counselor_client.get(LOGIN)
        assert response.status_code == 302

    def test_anonymous_home_goes_to_login(self, client):
        response = client.get("/")
        assert redirect_path(response) == LOGIN

    def test_anonymous_private_page_goes_to_login_with_next(self, client):
        response = client.get("/conseiller/")
        assert response.status_code == 302
        assert response["Location"] == "/connexion/?next=/conseiller/"

    def test_sign_in_records_the_first_login_once(self, young_person):
        user = young_person.user
        assert user.first_login_at is None
        with time_machine.travel(T0, tick=False) as traveller:
            sign_in(Client(), user.email)
            traveller.shift(dt.timedelta(days=2))
            sign_in(Client(), user.email)
        user.refresh_from_db()
        assert user.first_login_at == T0
        assert user.last_login == T0 + dt.timedelta(days=2)


@pytest.fixture
def no_slowdown(settings):
    """Isolate django-axes' lock from the slow-down that precedes it (tested on its own)."""
    settings.LOGIN_SLOWDOWN_FREE_FAILURES = 1000


@pytest.mark.usefixtures("no_slowdown")
class TestLockout:
    def test_locked_after_the_failure_limit_even_with_the_right_password(self, client, counselor):
        assert settings.AXES_FAILURE_LIMIT == 5
        email = counselor.user.email
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, email, "mauvais").status_code == 200
        response = sign_in(client, email, "mauvais")
        assert response.status_code == 429
        assert LOCKED in text(response)

        response = sign_in(client, email)
        assert response.status_code == 429
        page = text(response)
        assert LOCKED in page
        assert "Connexion à Pass Emploi" in page
        assert not signed_in(client)

    def test_one_failure_short_of_the_limit_still_signs_in(self, client, counselor):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, counselor.user.email, "mauvais")
        assert sign_in(client, counselor.user.email).status_code == 302
        assert signed_in(client)

    def test_success_resets_the_counter(self, client, counselor):
        email = counselor.user.email
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, email, "mauvais")
        sign_in(client, email)
        client.post("/deconnexion/")
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, email, "mauvais")
        assert sign_in(client, email).status_code == 302

    def test_failures_count_whatever_the_email_case(self, client, counselor):
        email = counselor.user.email
        for variant in [email, email.upper(), email.title(), f" {email} ", email.upper()]:
            sign_in(client, variant, "mauvais")
        assert sign_in(client, email).status_code == 429

    def test_lock_is_per_account(self, client, counselor, young_person):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, counselor.user.email, "mauvais")
        assert sign_in(client, young_person.user.email).status_code == 302

    def test_still_locked_just_before_the_cool_off_ends(self, counselor):
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            for _ in range(settings.AXES_FAILURE_LIMIT):
                sign_in(client, counselor.user.email, "mauvais")
            traveller.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1))
            assert sign_in(client, counselor.user.email).status_code == 429
        assert not signed_in(client)

    def test_unlocked_after_the_cool_off(self, counselor):
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            for _ in range(settings.AXES_FAILURE_LIMIT):
                sign_in(client, counselor.user.email, "mauvais")
            traveller.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))
            assert sign_in(client, counselor.user.email).status_code == 302
            assert client.get("/conseiller/").status_code == 200

    def test_attempts_during_the_lockout_restart_the_cool_off(self, counselor):
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            for _ in range(settings.AXES_FAILURE_LIMIT):
                sign_in(client, counselor.user.email, "mauvais")
            traveller.shift(settings.AXES_COOLOFF_TIME / 2)
            assert sign_in(client, counselor.user.email).status_code == 429
            traveller.shift(settings.AXES_COOLOFF_TIME / 2 + dt.timedelta(seconds=1))
            assert sign_in(client, counselor.user.email).status_code == 429


class TestLogout:
    def test_get_is_refused(self, counselor_client):
        response = counselor_client.get("/deconnexion/")
        assert response.status_code == 405
        assert signed_in(counselor_client)

    def test_post_signs_out(self, counselor_client):
        response = counselor_client.post("/deconnexion/")
        assert redirect_path(response) == LOGIN
        assert not signed_in(counselor_client)
        assert counselor_client.get("/conseiller/").status_code == 302


@pytest.fixture
def activation(counselor, django_capture_on_commit_callbacks):
    """A young person just created, and the path of their activation link."""
    with django_capture_on_commit_callbacks(execute=True):
        young_person = services.create_young_person(
            counselor=counselor,
            first_name="Inès",
            last_name="Diallo",
            email="ines.diallo+cej@exemple.fr",
            scheme=Scheme.CEJ,
        )
    return young_person, activation_path()


def activate(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, {"password1": password, "password2": confirm or password})


class TestActivationPage:
    def test_valid_link_shows_the_form(self, client, activation):
        _, path = activation
        response = client.get(path)
        assert response.status_code == 200
        page = text(response)
        assert "Bonjour Inès" in page
        assert "ines.diallo+cej@exemple.fr" in page
        assert 'name="password1"' in page
        assert 'name="password2"' in page

    def test_password_mismatch(self, client, activation):
        young_person, path = activation
        response = activate(client, path, NEW_PASSWORD, NEW_PASSWORD + "x")
        assert "Les deux mots de passe ne sont pas identiques." in text(response)
        young_person.user.refresh_from_db()
        assert not young_person.user.is_activated
        assert client.get(path).status_code == 200

    def test_weak_password_is_explained_and_the_link_still_works(self, client, activation):
        young_person, path = activation
        response = activate(client, path, "12345678")
        page = text(response)
        assert "Ce mot de passe est trop court" in page
        assert "Ce mot de passe est entièrement numérique" in page
        young_person.user.refresh_from_db()
        assert not young_person.user.is_activated
        assert activate(client, path).status_code == 302

    def test_success_redirects_to_login_with_the_email(self, client, activation):
        young_person, path = activation
        response = activate(client, path)
        assert redirect_path(response) == LOGIN
        login_page = client.get(response["Location"])
        assert "Votre compte est activé" in text(login_page)
        assert input_value(login_page, "username") == "ines.diallo+cej@exemple.fr"
        young_person.user.refresh_from_db()
        assert young_person.user.is_activated
        assert not signed_in(client)
        assert sign_in(client, "ines.diallo+cej@exemple.fr", NEW_PASSWORD).status_code == 302

    def test_reused_link(self, client, activation):
        _, path = activation
        activate(client, path)
        for response in (client.get(path), activate(client, path, "Encore-un-autre-2026")):
            assert response.status_code == 400
            page = text(response)
            assert "Ce lien ne permet pas d'activer le compte" in page
            assert "Ce lien d'activation a déjà servi" in page
        assert User.objects.get(email="ines.diallo+cej@exemple.fr").check_password(NEW_PASSWORD)

    def test_expired_link(self, counselor, django_capture_on_commit_callbacks):
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            with django_capture_on_commit_callbacks(execute=True):
                services.create_young_person(
                    counselor=counselor,
                    first_name="Inès",
                    last_name="Diallo",
                    email="ines@exemple.fr",
                    scheme=Scheme.CEJ,
                )
            traveller.shift(settings.ACTIVATION_LINK_VALIDITY + dt.timedelta(seconds=1))
            response = client.get(activation_path())
        assert response.status_code == 400
        assert "Ce lien d'activation a expiré" in text(response)

    def test_garbage_link(self, client, db):
        response = client.get("/activation/nimporte-quoi/")
        assert response.status_code == 400
        page = text(response)
        assert "Ce lien d'activation n'est pas valide." in page
        assert '<html lang="fr"' in page

    def test_link_replaced_by_a_resend(
        self, client, activation, django_capture_on_commit_callbacks
    ):
        young_person, first = activation
        with django_capture_on_commit_callbacks(execute=True):
            services.resend_activation(young_person)
        assert client.get(first).status_code == 400
        assert client.get(activation_path()).status_code == 200


class TestPasswordReset:
    RESET = "/mot-de-passe-oublie/"

    def request_reset(self, client, email):
        return client.post(self.RESET, {"email": email}, follow=True)

    def test_known_and_unknown_emails_get_the_same_answer(self, client, counselor):
        known = self.request_reset(client, counselor.user.email)
        unknown = self.request_reset(client, "personne.inconnue@exemple.fr")
        assert (
            known.redirect_chain
            == unknown.redirect_chain
            == [("/mot-de-passe-oublie/envoye/", 302)]
        )
        assert known.status_code == unknown.status_code == 200
        assert "Vérifiez votre boîte e-mail" in text(unknown)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [counselor.user.email]
        assert mail.outbox[0].subject == "Réinitialisation de votre mot de passe Pass Emploi"

    def test_email_case_does_not_matter(self, client, counselor):
        self.request_reset(client, counselor.user.email.upper())
        assert [m.to for m in mail.outbox] == [[counselor.user.email]]

    def test_no_email_for_a_not_activated_account(self, client):
        user = YoungPersonFactory(user__not_activated=True).user
        response = self.request_reset(client, user.email)
        assert response.redirect_chain == [("/mot-de-passe-oublie/envoye/", 302)]
        assert mail.outbox == []

    def test_no_email_for_a_deactivated_account(self, client):
        user = UserFactory(is_active=False)
        self.request_reset(client, user.email)
        assert mail.outbox == []

    def test_reset_link_works_once(self, client, young_person):
        self.request_reset(client, young_person.user.email)
        link = reset_path()
        form_page = client.get(link, follow=True)
        assert form_page.status_code == 200
        set_password_url = form_page.redirect_chain[-1][0]
        assert 'name="new_password1"' in text(form_page)

        response = client.post(
            set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert redirect_path(response) == "/reinitialisation/terminee/"
        young_person.user.refresh_from_db()
        assert young_person.user.check_password(NEW_PASSWORD)

        again = Client().get(link, follow=True)
        assert "Ce lien n'est plus valable" in text(again)
        assert 'name="new_password1"' not in text(again)
        assert sign_in(Client(), young_person.user.email, NEW_PASSWORD).status_code == 302

    def test_reset_enforces_the_password_rules(self, client, young_person):
        self.request_reset(client, young_person.user.email)
        form_page = client.get(reset_path(), follow=True)
        response = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "court", "new_password2": "court"},
        )
        assert response.status_code == 200
        assert "Ce mot de passe est trop court" in text(response)
        young_person.user.refresh_from_db()
        assert young_person.user.check_password(PASSWORD)


class TestSessionPolicy:
    def test_counselor_session_is_short(self, client, counselor):
        sign_in(client, counselor.user.email)
        assert client.session.get_expiry_age() == settings.COUNSELOR_SESSION_IDLE == 30 * 60

    def test_young_person_session_is_long(self, client, young_person):
        sign_in(client, young_person.user.email)
        assert client.session.get_expiry_age() == settings.YOUNG_PERSON_SESSION_AGE
        assert settings.YOUNG_PERSON_SESSION_AGE > settings.COUNSELOR_SESSION_ABSOLUTE

    def test_counselor_idle_timeout_slides_with_activity(self, counselor):
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            client.force_login(counselor.user)
            for _ in range(3):  # 87 minutes of activity, never 30 idle ones
                traveller.shift(dt.timedelta(minutes=29))
                assert client.get("/conseiller/").status_code == 200
            traveller.shift(dt.timedelta(minutes=30, seconds=1))
            response = client.get("/conseiller/")
        assert response.status_code == 302
        assert redirect_path(response) == LOGIN

    def test_counselor_signed_out_after_12_hours_even_when_active(self, counselor):
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            client.force_login(counselor.user)
            elapsed = dt.timedelta()
            step = dt.timedelta(minutes=25)
            while elapsed + step <= dt.timedelta(hours=12):
                traveller.shift(step)
                elapsed += step
                assert client.get("/conseiller/").status_code == 200, elapsed
            traveller.shift(dt.timedelta(hours=12) - elapsed + dt.timedelta(seconds=1))
            response = client.get("/conseiller/profil/")
            assert response.status_code == 302
            assert redirect_path(response) == LOGIN
            assert parse_qs(urlsplit(response["Location"]).query) == {
                "next": ["/conseiller/profil/"]
            }
            assert not signed_in(client)
            login_page = client.get(response["Location"])
        assert "Votre session a expiré. Veuillez vous reconnecter." in text(login_page)

    def test_counselor_session_without_login_time_is_ended(self, counselor_client):
        session = counselor_client.session
        session[LOGIN_AT_KEY] = time.time() - settings.COUNSELOR_SESSION_ABSOLUTE - 1
        session.save()
        assert redirect_path(counselor_client.get("/conseiller/")) == LOGIN
        session = counselor_client.session
        assert SESSION_KEY not in session

    def test_support_staff_follow_the_counselor_limits(self, db):
        client = client_for(UserFactory(is_staff=True, is_superuser=True))
        assert client.session.get_expiry_age() == settings.COUNSELOR_SESSION_IDLE
        assert client.get("/admin/").status_code == 200
        session = client.session
        session[LOGIN_AT_KEY] = time.time() - settings.COUNSELOR_SESSION_ABSOLUTE - 1
        session.save()
        assert redirect_path(client.get("/admin/")) == LOGIN
        assert not signed_in(client)

    def test_counselor_login_time_is_not_reset_by_activity(self, counselor_client):
        login_at = counselor_client.session[LOGIN_AT_KEY]
        counselor_client.get("/conseiller/")
        assert counselor_client.session[LOGIN_AT_KEY] == login_at
        assert counselor_client.session.get_expiry_age() == settings.COUNSELOR_SESSION_IDLE

    def test_young_person_is_not_subject_to_the_counselor_limits(self, young_person):
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            client.force_login(young_person.user)
            traveller.shift(dt.timedelta(days=2))
            assert client.get("/app/").status_code == 200
            traveller.shift(dt.timedelta(seconds=settings.YOUNG_PERSON_SESSION_AGE + 1))
            response = client.get("/app/")
        assert redirect_path(response) == LOGIN


class TestTermsGate:
    @pytest.mark.parametrize("path", ["/app/", "/app/suivi/", "/app/messages/", "/app/profil/"])
    def test_pending_terms_redirect_to_the_terms_page(self, path):
        young_person = YoungPersonFactory(terms_pending=True)
        client = Client()
        client.force_login(young_person.user)
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/app/cgu/"

    def test_terms_page_for_a_first_acceptance(self):
        young_person = YoungPersonFactory(terms_pending=True)
        client = Client()
        client.force_login(young_person.user)
        response = client.get("/app/cgu/")
        assert response.status_code == 200
        page = text(response)
        assert "Conditions générales d'utilisation" in page
        assert CURRENT_TERMS_VERSION in page
        assert "ont changé" not in page
        assert client.get("/cgu/").status_code == 200

    def test_older_version_is_asked_again(self):
        young_person = YoungPersonFactory(terms_version="2020-01-01")
        client = Client()
        client.force_login(young_person.user)
        assert client.get("/app/")["Location"] == "/app/cgu/"
        page = text(client.get("/app/cgu/"))
        assert "Les conditions d'utilisation ont changé" in page

    def test_accepting_returns_to_home(self):
        young_person = YoungPersonFactory(terms_version="2020-01-01")
        client = Client()
        client.force_login(young_person.user)
        response = client.post("/app/cgu/", {"accept": "on"}, follow=True)
        assert response.redirect_chain == [("/app/", 302)]
        assert "Accueil — Pass Emploi" in text(response)
        young_person.refresh_from_db()
        assert young_person.terms_version == CURRENT_TERMS_VERSION
        assert young_person.terms_accepted_at is not None
        assert client.get("/app/suivi/").status_code == 200

    def test_not_ticking_the_box_is_refused(self):
        young_person = YoungPersonFactory(terms_pending=True)
        client = Client(enforce_csrf_checks=True)
        client.force_login(young_person.user)
        client.get("/app/cgu/")
        # What a browser sends for an unticked box: the CSRF token and nothing else.
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        response = client.post("/app/cgu/", {"csrfmiddlewaretoken": token})
        assert response.status_code == 400
        assert "Vous devez accepter les conditions pour continuer." in text(response)
        young_person.refresh_from_db()
        assert young_person.terms_version == ""

    def test_counselors_are_not_gated(self, counselor_client):
        assert counselor_client.get("/conseiller/").status_code == 200


class TestRoleSpaces:
    @pytest.mark.parametrize("path", ["/app/", "/app/suivi/", "/app/profil/", "/app/cgu/"])
    def test_counselor_is_refused_the_young_person_space(self, counselor_client, path):
        response = counselor_client.get(path)
        assert response.status_code == 403
        page = text(response)
        assert "Accès refusé" in page
        assert "Vous n'avez pas accès à cette page avec votre compte." in page

    @pytest.mark.parametrize("path", ["/conseiller/", "/conseiller/equipe/", "/conseiller/profil/"])
    def test_young_person_is_refused_the_counselor_space(self, young_client, path):
        response = young_client.get(path)
        assert response.status_code == 403
        assert "Accès refusé" in text(response)

    def test_supervisor_is_also_a_counselor(self, supervisor):
        client = Client()
        client.force_login(supervisor.user)
        assert client.get("/conseiller/").status_code == 200
        assert client.get("/app/").status_code == 403

    def test_account_without_role(self, db):
        client = Client()
        client.force_login(UserFactory())
        response = client.get("/")
        assert response.status_code == 403
        assert "Votre compte n'a pas encore d'espace" in text(response)

    def test_support_agent_goes_to_the_admin(self, db):
        client = Client()
        client.force_login(UserFactory(is_staff=True))
        assert client.get("/")["Location"] == "/admin/"


class TestSlowdown:
    """Before the lock, each failure past the second makes the next attempt wait longer."""

    def test_third_attempt_after_two_failures_must_wait(self, counselor):
        client = Client()
        email = counselor.user.email
        with time_machine.travel(T0, tick=False) as traveller:
            for _ in range(2):
                assert "Adresse e-mail ou mot de passe incorrect." in text(
                    sign_in(client, email, "mauvais")
                )
            sign_in(client, email, "mauvais")  # third failure: 2 s to wait
            refused = sign_in(client, email)  # even the right password
            assert refused.status_code == 200
            assert "patientez 2 secondes" in text(refused)
            assert not signed_in(client)
            traveller.shift(dt.timedelta(seconds=2))
            assert sign_in(client, email).status_code == 302

    def test_waits_double_then_the_account_locks(self, counselor):
        client = Client()
        email = counselor.user.email
        with time_machine.travel(T0, tick=False) as traveller:
            for _ in range(3):
                sign_in(client, email, "mauvais")
            traveller.shift(dt.timedelta(seconds=2))
            sign_in(client, email, "mauvais")  # fourth failure: 4 s to wait
            traveller.shift(dt.timedelta(seconds=3))
            assert "patientez 1 seconde " in text(sign_in(client, email, "mauvais"))
            traveller.shift(dt.timedelta(seconds=1))
            assert sign_in(client, email, "mauvais").status_code == 429  # fifth: locked

    def test_slowdown_is_per_email_and_reset_by_success(self, counselor, young_person):
        client = Client()
        with time_machine.travel(T0, tick=False) as traveller:
            for _ in range(3):
                sign_in(client, counselor.user.email, "mauvais")
            assert sign_in(Client(), young_person.user.email).status_code == 302
            traveller.shift(dt.timedelta(seconds=2))
            assert sign_in(client, counselor.user.email).status_code == 302
            client.post("/deconnexion/")
            for _ in range(2):
                sign_in(client, counselor.user.email, "mauvais")
            assert sign_in(client, counselor.user.email).status_code == 302
