import zoneinfo
from datetime import timedelta

import factory
from django.utils import timezone

from passemploi.accounts.enums import Scheme, StructureKind
from passemploi.accounts.models import Counselor, Structure, User, YoungPerson
from passemploi.accounts.terms import CURRENT_TERMS_VERSION

PASSWORD = "un-mot-de-passe-solide-42"


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Mission Locale {n}")
    kind = StructureKind.MISSION_LOCALE
    code = factory.Sequence(lambda n: f"ML-{n:04d}")
    departement = "75"
    time_zone = "Europe/Paris"

    class Params:
        overseas = factory.Trait(
            kind=StructureKind.FRANCE_TRAVAIL, departement="974", time_zone="Indian/Reunion"
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    activated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        if obj.activated_at is None:
            obj.set_unusable_password()
        else:
            obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()

    class Params:
        not_activated = factory.Trait(activated_at=None)


class CounselorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counselor

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    is_supervisor = False

    class Params:
        supervisor = factory.Trait(is_supervisor=True)


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    user = factory.SubFactory(UserFactory)
    counselor = factory.SubFactory(CounselorFactory)
    structure = factory.SelfAttribute("counselor.structure")
    scheme = Scheme.CEJ
    terms_accepted_at = factory.LazyFunction(timezone.now)
    terms_version = CURRENT_TERMS_VERSION

    class Params:
        terms_pending = factory.Trait(terms_accepted_at=None, terms_version="")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actions.Action"

    young_person = factory.SubFactory(YoungPersonFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    category = "EMPLOI"
    status = "not_started"
    due_date = factory.LazyFunction(timezone.localdate)
    created_by = factory.SelfAttribute("young_person.user")
    creator_role = "young_person"

    class Params:
        by_counselor = factory.Trait(
            created_by=factory.SelfAttribute("young_person.counselor.user"),
            creator_role="counselor",
        )
        done = factory.Trait(status="done", end_date=factory.SelfAttribute("due_date"))
        in_progress = factory.Trait(status="in_progress")


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agenda.Appointment"

    counselor = factory.SubFactory(CounselorFactory)
    structure = factory.SelfAttribute("counselor.structure")
    type = "ENTRETIEN_INDIVIDUEL_CONSEILLER"
    title = factory.Sequence(lambda n: f"Rendez-vous {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    local_date = factory.LazyAttribute(
        lambda o: o.starts_at.astimezone(zoneinfo.ZoneInfo(o.structure.time_zone)).date()
    )
    duration_minutes = 60
    modality = "at_structure"
    created_by = factory.SelfAttribute("counselor.user")

    class Params:
        session = factory.Trait(
            is_session=True,
            type="ATELIER",
            max_participants=10,
            visible=True,
            self_registration=True,
        )


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "agenda.Participation"

    appointment = factory.SubFactory(AppointmentFactory)
    young_person = factory.SubFactory(
        YoungPersonFactory, counselor=factory.SelfAttribute("..appointment.counselor")
    )
