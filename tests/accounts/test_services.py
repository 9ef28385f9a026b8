import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from passemploi.accounts import services
from passemploi.accounts.enums import Role, Scheme, TokenPurpose
from passemploi.accounts.models import AccountToken, Counselor, User, YoungPerson
from passemploi.accounts.terms import CURRENT_TERMS_VERSION
from passemploi.core.errors import ServiceError
from tests.factories import UserFactory, YoungPersonFactory
from tests.helpers import activation_token

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "Une-phrase-de-passe-robuste-2026"
T0 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)


def new_young_person(counselor, **overrides):
    data = {
        "counselor": counselor,
        "first_name": "Inès",
        "last_name": "Diallo",
        "email": "ines.diallo@exemple.fr",
        "scheme": Scheme.CEJ,
    }
    data.update(overrides)
    return services.create_young_person(**data)


def counts():
    return User.objects.count(), YoungPerson.objects.count(), AccountToken.objects.count()


class TestCreateYoungPerson:
    def test_creates_an_unactivated_account_in_the_counselor_structure(
        self, counselor, django_capture_on_commit_callbacks
    ):
        end = timezone.localdate() + dt.timedelta(days=180)
        with django_capture_on_commit_callbacks(execute=True):
            young_person = new_young_person(
                counselor,
                first_name="  Inès ",
                email="  Ines.Diallo@Exemple.FR ",
                planned_end_date=end,
                partner_id=" 1234567 ",
                scheme=Scheme.PACEA,
            )

        young_person.refresh_from_db()
        user = young_person.user
        assert user.email == "ines.diallo@exemple.fr"
        assert user.first_name == "Inès"
        assert not user.has_usable_password()
        assert user.activated_at is None
        assert user.role == Role.YOUNG_PERSON
        assert young_person.counselor == counselor
        assert young_person.structure == counselor.structure
        assert young_person.scheme == Scheme.PACEA
        assert young_person.planned_end_date == end
        assert young_person.partner_id == "1234567"
        assert young_person.start_date == timezone.localdate()
        assert young_person.terms_version == ""

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["ines.diallo@exemple.fr"]
        assert message.subject == "Activez votre compte Pass Emploi"
        assert "Bonjour Inès" in message.body
        assert "http://testserver/activation/" in message.body
        token = services.check_activation_token(activation_token(message))
        assert token.user == user
        assert token.purpose == TokenPurpose.ACTIVATION

    def test_link_uses_the_given_base_url(self, counselor, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            new_young_person(counselor, base_url="https://pass.exemple.gouv.fr/")
        assert "https://pass.exemple.gouv.fr/activation/" in mail.outbox[0].body

    def test_no_email_leaves_before_the_transaction_commits(
        self, counselor, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            new_young_person(counselor)
        assert mail.outbox == []
        assert len(callbacks) == 1

    @pytest.mark.parametrize(
        "email", ["ines.diallo@exemple.fr", "INES.DIALLO@EXEMPLE.FR", " Ines.Diallo@exemple.fr "]
    )
    def test_duplicate_email_is_refused_whatever_its_case(
        self, counselor, email, django_capture_on_commit_callbacks
    ):
        UserFactory(email="ines.diallo@exemple.fr")
        before = counts()
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(ServiceError) as caught:
                new_young_person(counselor, email=email)
        assert caught.value.code == "email_taken"
        assert caught.value.field == "email"
        assert caught.value.status == 409
        assert caught.value.message == "Un compte existe déjà avec cette adresse e-mail."
        assert counts() == before
        assert mail.outbox == []

    @pytest.mark.parametrize(
        "email", ["", "ines", "ines@", "ines diallo@exemple.fr", "@exemple.fr"]
    )
    def test_malformed_email(self, counselor, email):
        before = counts()
        with pytest.raises(ServiceError) as caught:
            new_young_person(counselor, email=email)
        assert caught.value.code == "invalid_email"
        assert caught.value.field == "email"
        assert "nom@exemple.fr" in caught.value.message
        assert counts() == before

    @pytest.mark.parametrize(
        ("field", "code", "message"),
        [
            ("first_name", "first_name_required", "Le prénom est obligatoire."),
            ("last_name", "last_name_required", "Le nom est obligatoire."),
        ],
    )
    @pytest.mark.parametrize("blank", ["", "   "])
    def test_missing_names(self, counselor, field, code, message, blank):
        before = counts()
        with pytest.raises(ServiceError) as caught:
            new_young_person(counselor, **{field: blank})
        assert (caught.value.code, caught.value.field, caught.value.message) == (
            code,
            field,
            message,
        )
        assert caught.value.fields() == {field: [message]}
        assert counts() == before

    @pytest.mark.parametrize("scheme", ["", "cej", "GARANTIE_JEUNES"])
    def test_invalid_scheme(self, counselor, scheme):
        before = counts()
        with pytest.raises(ServiceError) as caught:
            new_young_person(counselor, scheme=scheme)
        assert caught.value.code == "invalid_scheme"
        assert caught.value.field == "scheme"
        assert counts() == before

    def test_every_scheme_is_accepted(self, counselor):
        for i, scheme in enumerate(Scheme.values):
            young_person = new_young_person(counselor, email=f"jeune{i}@exemple.fr", scheme=scheme)
            assert young_person.scheme == scheme

    def test_end_date_in_the_past_is_refused(self, counselor):
        before = counts()
        with pytest.raises(ServiceError) as caught:
            new_young_person(
                counselor, planned_end_date=timezone.localdate() - dt.timedelta(days=1)
            )
        assert caught.value.code == "end_date_in_past"
        assert caught.value.field == "planned_end_date"
        assert counts() == before

    def test_end_date_today_is_accepted(self, counselor):
        young_person = new_young_person(counselor, planned_end_date=timezone.localdate())
        assert young_person.planned_end_date == timezone.localdate()

    def test_today_is_the_structure_local_day_not_utc(self, counselor):
        # 23:30 UTC on 16 November is already 17 November in Paris.
        with time_machine.travel(dt.datetime(2026, 11, 16, 23, 30, tzinfo=dt.UTC), tick=False):
            young_person = new_young_person(counselor)
            with pytest.raises(ServiceError):
                new_young_person(
                    counselor, email="autre@exemple.fr", planned_end_date=dt.date(2026, 11, 16)
                )
        assert young_person.start_date == dt.date(2026, 11, 17)


class TestCreateCounselor:
    def test_creates_an_unactivated_counselor(self, structure, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            counselor = services.create_counselor(
                structure=structure,
                first_name="Karim",
                last_name="Haddad",
                email="Karim.Haddad@Exemple.fr",
                is_supervisor=True,
            )
        counselor.refresh_from_db()
        assert counselor.structure == structure
        assert counselor.is_supervisor is True
        assert counselor.user.email == "karim.haddad@exemple.fr"
        assert counselor.user.role == Role.COUNSELOR
        assert not counselor.user.has_usable_password()
        assert not counselor.user.is_activated
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["karim.haddad@exemple.fr"]
        services.check_activation_token(activation_token())

    def test_not_supervisor_by_default(self, structure):
        counselor = services.create_counselor(
            structure=structure, first_name="Karim", last_name="Haddad", email="k@exemple.fr"
        )
        assert counselor.is_supervisor is False

    def test_duplicate_email(self, structure, young_person):
        before = Counselor.objects.count(), User.objects.count()
        with pytest.raises(ServiceError) as caught:
            services.create_counselor(
                structure=structure,
                first_name="Karim",
                last_name="Haddad",
                email=young_person.user.email.upper(),
            )
        assert caught.value.code == "email_taken"
        assert (Counselor.objects.count(), User.objects.count()) == before


@pytest.fixture
def pending(counselor, django_capture_on_commit_callbacks):
    """A young person just created by their counselor, and the raw token of their email."""
    with django_capture_on_commit_callbacks(execute=True):
        young_person = new_young_person(counselor)
    return young_person, activation_token()


class TestActivationToken:
    def test_only_the_hash_is_stored(self, pending):
        young_person, raw = pending
        stored = AccountToken.objects.get(user=young_person.user)
        assert stored.token_hash == services.hash_secret(raw)
        assert raw not in stored.token_hash

    def test_valid_token_activates_the_account(self, pending):
        young_person, raw = pending
        user = services.activate_account(raw, STRONG_PASSWORD)
        user.refresh_from_db()
        assert user == young_person.user
        assert user.is_activated
        assert user.check_password(STRONG_PASSWORD)

    def test_token_is_single_use(self, pending):
        _, raw = pending
        services.activate_account(raw, STRONG_PASSWORD)
        with pytest.raises(ServiceError) as caught:
            services.check_activation_token(raw)
        assert caught.value.code == "token_used"
        with pytest.raises(ServiceError) as caught:
            services.activate_account(raw, "Un-autre-mot-de-passe-2026")
        assert caught.value.code == "token_used"
        user = User.objects.get(email="ines.diallo@exemple.fr")
        assert user.check_password(STRONG_PASSWORD)

    @pytest.mark.parametrize("raw", ["", "inconnu", "x" * 43])
    def test_unknown_token(self, pending, raw):
        with pytest.raises(ServiceError) as caught:
            services.check_activation_token(raw)
        assert caught.value.code == "invalid_token"

    def test_expires_after_24_hours(self, counselor, django_capture_on_commit_callbacks):
        with time_machine.travel(T0, tick=False) as traveller:
            with django_capture_on_commit_callbacks(execute=True):
                new_young_person(counselor)
            raw = activation_token()
            traveller.shift(dt.timedelta(hours=23, minutes=59))
            services.check_activation_token(raw)
            traveller.shift(dt.timedelta(minutes=1))
            with pytest.raises(ServiceError) as caught:
                services.check_activation_token(raw)
            assert caught.value.code == "token_expired"
            with pytest.raises(ServiceError):
                services.activate_account(raw, STRONG_PASSWORD)
        assert not User.objects.get(email="ines.diallo@exemple.fr").is_activated

    def test_resend_invalidates_the_previous_link(
        self, pending, django_capture_on_commit_callbacks
    ):
        young_person, first = pending
        with django_capture_on_commit_callbacks(execute=True):
            services.resend_activation(young_person)
        assert len(mail.outbox) == 2
        second = activation_token(mail.outbox[1])
        assert second != first
        with pytest.raises(ServiceError) as caught:
            services.check_activation_token(first)
        assert caught.value.code == "token_expired"
        services.activate_account(second, STRONG_PASSWORD)
        young_person.user.refresh_from_db()
        assert young_person.user.is_activated

    def test_resend_gives_a_fresh_24_hours(self, counselor, django_capture_on_commit_callbacks):
        with time_machine.travel(T0, tick=False) as traveller:
            with django_capture_on_commit_callbacks(execute=True):
                young_person = new_young_person(counselor)
            traveller.shift(dt.timedelta(hours=30))
            with django_capture_on_commit_callbacks(execute=True):
                services.resend_activation(young_person)
            traveller.shift(dt.timedelta(hours=23))
            services.activate_account(activation_token(), STRONG_PASSWORD)

    def test_resend_refused_once_activated(self, pending, django_capture_on_commit_callbacks):
        young_person, raw = pending
        services.activate_account(raw, STRONG_PASSWORD)
        young_person = YoungPerson.objects.select_related("user").get(pk=young_person.pk)
        tokens_before = AccountToken.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(ServiceError) as caught:
                services.resend_activation(young_person)
        assert caught.value.code == "already_activated"
        assert caught.value.status == 409
        assert len(mail.outbox) == 1  # only the first email
        assert AccountToken.objects.count() == tokens_before

    @pytest.mark.parametrize(
        "weak",
        [
            "Court-1",  # shorter than 12 characters
            "abcdefghijk",  # 11 characters
            "834729104658",  # digits only
            "password1234",  # too common
            "ines.diallo@exemple",  # too close to the email
        ],
    )
    def test_weak_password_is_refused_and_the_link_stays_usable(self, pending, weak):
        young_person, raw = pending
        with pytest.raises(ServiceError) as caught:
            services.activate_account(raw, weak)
        assert caught.value.code == "weak_password"
        assert caught.value.field == "password"
        assert caught.value.message
        user = User.objects.get(pk=young_person.user.pk)
        assert not user.is_activated
        assert not user.has_usable_password()
        services.check_activation_token(raw)
        services.activate_account(raw, STRONG_PASSWORD)

    def test_twelve_characters_is_enough(self, pending):
        _, raw = pending
        user = services.activate_account(raw, "vélo-rouge-7")
        assert user.check_password("vélo-rouge-7")


class TestTermsAndLogin:
    def test_accept_terms_records_the_current_version(self):
        young_person = YoungPersonFactory(terms_version="2020-01-01")
        with time_machine.travel(T0, tick=False):
            services.accept_terms(young_person)
        young_person.refresh_from_db()
        assert young_person.terms_version == CURRENT_TERMS_VERSION
        assert young_person.terms_accepted_at == T0

    def test_record_login_sets_first_login_once(self):
        user = UserFactory()
        assert user.first_login_at is None
        with time_machine.travel(T0, tick=False) as traveller:
            services.record_login(user)
            traveller.shift(dt.timedelta(days=3))
            services.record_login(user)
        user.refresh_from_db()
        assert user.first_login_at == T0
        assert user.last_login == T0 + dt.timedelta(days=3)

    def test_axes_username_is_the_normalised_email(self):
        assert services.axes_username(None, {"username": "  Jeune@Exemple.FR "}) == (
            "jeune@exemple.fr"
        )
        assert services.axes_username(None, {"email": "A@B.FR"}) == "a@b.fr"
        assert services.axes_username(None, None) == ""
