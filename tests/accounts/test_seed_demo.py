from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from passemploi.accounts.enums import Scheme, StructureKind
from passemploi.accounts.models import Counselor, Structure, User, YoungPerson
from passemploi.accounts.terms import CURRENT_TERMS_VERSION

pytestmark = pytest.mark.django_db

DEMO = "@demo.passemploi.fr"


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        Structure.objects.count(),
        Counselor.objects.count(),
        YoungPerson.objects.count(),
        User.objects.count(),
        sorted(User.objects.values_list("email", flat=True)),
    )


@pytest.fixture
def seeded():
    return seed("--force")


def test_creates_the_demo_population(seeded):
    assert Structure.objects.count() == 3
    assert set(Structure.objects.values_list("kind", flat=True)) == {
        StructureKind.MISSION_LOCALE,
        StructureKind.FRANCE_TRAVAIL,
    }
    assert Structure.objects.get(departement="974").time_zone == "Indian/Reunion"

    assert Counselor.objects.count() == 6
    assert Counselor.objects.filter(is_supervisor=True).count() == 3
    for structure in Structure.objects.all():
        team = structure.counselors.all()
        assert team.count() == 2
        assert team.filter(is_supervisor=True).count() == 1

    young_people = YoungPerson.objects.select_related("user", "counselor")
    assert young_people.count() == 150
    assert User.objects.count() == 156
    assert all(yp.structure_id == yp.counselor.structure_id for yp in young_people)
    assert len(set(young_people.values_list("scheme", flat=True))) >= 3
    assert young_people.filter(scheme=Scheme.CEJ).exists()
    assert young_people.filter(user__activated_at__isnull=True).exists()
    assert young_people.filter(user__activated_at__isnull=False).exists()
    # Nobody can have accepted the terms without an activated account.
    assert not young_people.filter(
        user__activated_at__isnull=True, terms_version=CURRENT_TERMS_VERSION
    ).exists()
    assert not User.objects.filter(activated_at__isnull=True).exclude(password__startswith="!")
    # France Travail's own schemes only appear in the France Travail agency.
    assert not young_people.filter(
        structure__kind=StructureKind.MISSION_LOCALE, scheme=Scheme.BRSA
    ).exists()

    assert "3 structures, 6 conseillers, 150 jeunes" in seeded
    assert f"conseiller{DEMO}" in seeded


def test_fixed_demo_accounts(seeded):
    counselor = Counselor.objects.get(user__email=f"conseiller{DEMO}")
    supervisor = Counselor.objects.get(user__email=f"superviseur{DEMO}")
    young_person = YoungPerson.objects.get(user__email=f"jeune{DEMO}")
    assert not counselor.is_supervisor
    assert supervisor.is_supervisor
    assert supervisor.structure == counselor.structure
    assert young_person.counselor == counselor
    assert young_person.terms_version == CURRENT_TERMS_VERSION
    assert young_person.user.is_activated


def test_running_twice_duplicates_nothing(seeded):
    before = snapshot()
    schemes = dict(YoungPerson.objects.values_list("user__email", "scheme"))
    seed("--force")
    assert snapshot() == before
    assert dict(YoungPerson.objects.values_list("user__email", "scheme")) == schemes


def test_completes_a_partial_run(seeded):
    YoungPerson.objects.filter(user__email__startswith="jeune.1").delete()
    User.objects.filter(email__startswith="jeune.1").delete()
    assert YoungPerson.objects.count() < 150
    seed("--force")
    assert YoungPerson.objects.count() == 150


@pytest.mark.parametrize(
    ("email", "space"),
    [("conseiller", "/conseiller/"), ("superviseur", "/conseiller/"), ("jeune", "/app/")],
)
def test_demo_accounts_sign_in_with_the_default_password(seeded, email, space):
    client = Client()
    response = client.post(
        "/connexion/", {"username": f"{email}{DEMO}", "password": "passemploi-demo"}, follow=True
    )
    assert response.redirect_chain[-1] == (space, 302)
    assert response.status_code == 200


def test_demo_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "un-autre-mot-de-passe-demo")
    seed("--force")
    user = User.objects.get(email=f"jeune{DEMO}")
    assert user.check_password("un-autre-mot-de-passe-demo")
    assert not user.check_password("passemploi-demo")


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Structure.objects.exists()
    assert not User.objects.exists()


def test_runs_with_debug(settings):
    settings.DEBUG = True
    seed()
    assert YoungPerson.objects.count() == 150
