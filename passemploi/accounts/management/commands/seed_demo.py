"""Demo data: 3 structures, 6 counselors, 150 young people. Idempotent."""

import os
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from passemploi.accounts.enums import Scheme, StructureKind
from passemploi.accounts.models import Counselor, Structure, User, YoungPerson
from passemploi.accounts.terms import CURRENT_TERMS_VERSION

DEMO_DOMAIN = "demo.passemploi.fr"
STRUCTURES = [
    (
        "ML-75-PARIS-EST",
        "Mission Locale de Paris Est",
        StructureKind.MISSION_LOCALE,
        "75",
        "Europe/Paris",
    ),
    ("ML-69-LYON", "Mission Locale de Lyon", StructureKind.MISSION_LOCALE, "69", "Europe/Paris"),
    (
        "FT-974-SAINT-DENIS",
        "France Travail Saint-Denis (La Réunion)",
        StructureKind.FRANCE_TRAVAIL,
        "974",
        "Indian/Reunion",
    ),
]
# (email local part, first, last, structure index, supervisor)
COUNSELORS = [
    ("conseiller", "Camille", "Martin", 0, False),
    ("superviseur", "Nadia", "Benali", 0, True),
    ("conseillere.lyon", "Julien", "Moreau", 1, False),
    ("superviseur.lyon", "Sophie", "Lefèvre", 1, True),
    ("conseiller.reunion", "Thomas", "Payet", 2, False),
    ("superviseur.reunion", "Marie", "Hoarau", 2, True),
]
FIRST_NAMES = [
    "Lucas",
    "Emma",
    "Nolan",
    "Inès",
    "Yanis",
    "Léa",
    "Adam",
    "Chloé",
    "Rayan",
    "Jade",
    "Enzo",
    "Manon",
    "Mohamed",
    "Lina",
    "Hugo",
    "Sarah",
    "Théo",
    "Camille",
    "Ibrahim",
    "Maëlys",
    "Kylian",
    "Anaïs",
    "Mathis",
    "Aya",
    "Nathan",
    "Océane",
    "Ilyes",
    "Lou",
    "Sofiane",
    "Clara",
    "Kenzo",
    "Yasmine",
    "Dylan",
    "Zoé",
    "Amine",
    "Louna",
    "Mehdi",
    "Julie",
    "Axel",
    "Fatoumata",
]
LAST_NAMES = [
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Diallo",
    "Traoré",
    "Nguyen",
    "Haddad",
    "Camara",
    "Benoît",
    "Grondin",
    "Hoarau",
]
ML_SCHEMES = [Scheme.CEJ] * 7 + [Scheme.PACEA] * 3
FT_SCHEMES = [Scheme.CEJ] * 4 + [
    Scheme.AIJ,
    Scheme.BRSA,
    Scheme.AVENIR_PRO,
    Scheme.ACCOMPAGNEMENT_INTENSIF,
    Scheme.ACCOMPAGNEMENT_GLOBAL,
    Scheme.EQUIP_EMPLOI_RECRUT,
]
YOUNG_PEOPLE = 150


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Autorise l'exécution avec DEBUG désactivé."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : ajoutez --force pour charger les données de démonstration."
            )
        password = os.environ.get("DEMO_PASSWORD", "passemploi-demo")
        with transaction.atomic():
            # Hash once: a strong password hash takes a noticeable time, times 156 accounts.
            counts = self.seed(make_password(password))
        self.stdout.write(
            self.style.SUCCESS(
                f"Données de démonstration prêtes : {counts['structures']} structures, "
                f"{counts['counselors']} conseillers, {counts['young_people']} jeunes."
            )
        )
        self.stdout.write(
            "Comptes de démonstration (mot de passe : DEMO_PASSWORD, par défaut passemploi-demo) :"
        )
        for email in (
            f"conseiller@{DEMO_DOMAIN}",
            f"superviseur@{DEMO_DOMAIN}",
            f"jeune@{DEMO_DOMAIN}",
        ):
            self.stdout.write(f"  {email}")

    def seed(self, password_hash: str) -> dict:
        rng = random.Random(2022)  # CEJ launch year: a fixed seed gives the same data every run
        now = timezone.now()
        structures = []
        for code, name, kind, dep, tz in STRUCTURES:
            structure, _ = Structure.objects.update_or_create(
                code=code,
                defaults={"name": name, "kind": kind, "departement": dep, "time_zone": tz},
            )
            structures.append(structure)
        counselors = []
        for local, first, last, index, supervisor in COUNSELORS:
            user = self.user(f"{local}@{DEMO_DOMAIN}", first, last, password_hash, activated=True)
            counselor, _ = Counselor.objects.update_or_create(
                user=user, defaults={"structure": structures[index], "is_supervisor": supervisor}
            )
            counselors.append(counselor)
        # The fixed young person, followed by the fixed counselor, terms already accepted.
        main_user = self.user(
            f"jeune@{DEMO_DOMAIN}", "Kevin", "Lambert", password_hash, activated=True
        )
        self.young_person(main_user, counselors[0], Scheme.CEJ, now, accepted=True)
        existing = set(
            User.objects.filter(
                email__startswith="jeune.", email__endswith=f"@{DEMO_DOMAIN}"
            ).values_list("email", flat=True)
        )
        for i in range(1, YOUNG_PEOPLE):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            counselor = counselors[i % len(counselors)]
            ft = counselor.structure.kind == StructureKind.FRANCE_TRAVAIL
            scheme = rng.choice(FT_SCHEMES if ft else ML_SCHEMES)
            activated = rng.random() < 0.8
            accepted = activated and rng.random() < 0.9
            email = f"jeune.{i:03d}@{DEMO_DOMAIN}"
            if email in existing:
                continue
            user = self.user(email, first, last, password_hash, activated=activated)
            self.young_person(
                user, counselor, scheme, now - timedelta(days=rng.randint(1, 300)), accepted
            )
        return {
            "structures": Structure.objects.filter(code__in=[s[0] for s in STRUCTURES]).count(),
            "counselors": Counselor.objects.filter(user__email__endswith=f"@{DEMO_DOMAIN}").count(),
            "young_people": YoungPerson.objects.filter(
                user__email__endswith=f"@{DEMO_DOMAIN}"
            ).count(),
        }

    @staticmethod
    def user(email, first, last, password_hash, activated):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last)
            if activated:
                user.password = password_hash
                user.activated_at = timezone.now()
            else:
                user.set_unusable_password()
            user.save()
        return user

    @staticmethod
    def young_person(user, counselor, scheme, started, accepted):
        if YoungPerson.objects.filter(user=user).exists():
            return
        start = timezone.localdate(started)
        YoungPerson.objects.create(
            user=user,
            structure=counselor.structure,
            counselor=counselor,
            scheme=scheme,
            start_date=start,
            planned_end_date=start + timedelta(days=365),
            terms_accepted_at=started if accepted else None,
            terms_version=CURRENT_TERMS_VERSION if accepted else "",
        )
