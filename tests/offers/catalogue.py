"""A fixed catalogue whose search results are written down: the same expectations hold on
PostgreSQL and on SQLite (run tests/offers/test_parity.py against both)."""

from datetime import timedelta

from django.utils import timezone

from passemploi.offers.enums import ContractType, Experience, OfferKind, WorkingTime
from tests.offers.factories import OfferFactory, real_commune

# source_id: (title, description, company, commune, kind, contract, time, experience, days ago)
FIXED = {
    "A": (
        "Développeur / Développeuse web",
        "Python et JavaScript.",
        "Atelier Numérique",
        "69123",
        "EMPLOI",
        "CDI",
        "FULL_TIME",
        "BEGINNER",
        1,
    ),
    "B": (
        "Vendeur en boulangerie",
        "Accueil des clients, encaissement.",
        "Boulangerie Martin",
        "69123",
        "EMPLOI",
        "CDD",
        "PART_TIME",
        "BEGINNER",
        2,
    ),
    "C": (
        "Vendeuse en prêt-à-porter",
        "Conseil client en boutique.",
        "Maison Roux",
        "42218",
        "EMPLOI",
        "CDI",
        "FULL_TIME",
        "ONE_TO_3_YEARS",
        3,
    ),
    "D": (
        "Serveur / Serveuse",
        "Service en salle, terrasse l'été.",
        "Café du Rhône",
        "84007",
        "EMPLOI",
        "SAISONNIER",
        "FULL_TIME",
        "BEGINNER",
        4,
    ),
    "E": (
        "Serveur en restaurant",
        "Service du midi.",
        "Le Pont d'Avignon",
        "30351",
        "EMPLOI",
        "CDI",
        "PART_TIME",
        "LESS_THAN_1_YEAR",
        5,
    ),
    "F": (
        "Cuisinier en alternance",
        "Apprentissage en restaurant.",
        "Brasserie Garnier",
        "84007",
        "ALTERNANCE",
        "APPRENTISSAGE",
        "FULL_TIME",
        "BEGINNER",
        6,
    ),
    "G": (
        "Immersion : agent d'entretien des espaces verts",
        "Découvrir le métier.",
        "Ville de Saint-Denis",
        "97411",
        "IMMERSION",
        "",
        "FULL_TIME",
        "BEGINNER",
        7,
    ),
    "H": (
        "Aider des élèves dans leur travail scolaire",
        "Mission de service civique.",
        "Association Moreau",
        "93066",
        "SERVICE_CIVIQUE",
        "ENGAGEMENT",
        "PART_TIME",
        "BEGINNER",
        8,
    ),
    "I": (
        "Développeur Python",
        "Django, PostgreSQL ; télétravail possible.",
        "Groupe Bernard",
        "75056",
        "EMPLOI",
        "CDI",
        "FULL_TIME",
        "MORE_THAN_3_YEARS",
        40,
    ),
}
EXPIRED = "X"


def make_fixed_catalogue():
    now = timezone.now()
    offers = {}
    for key, row in FIXED.items():
        title, description, company, insee, kind, contract, time, experience, days = row
        offers[key] = OfferFactory(
            source_id=key,
            title=title,
            description=description,
            company=company,
            commune=real_commune(insee),
            kind=OfferKind(kind),
            contract_type=ContractType(contract) if contract else "",
            working_time=WorkingTime(time),
            experience=Experience(experience),
            published_at=now - timedelta(days=days, hours=1),
        )
    OfferFactory(
        source_id=EXPIRED,
        title="Développeur expiré",
        published_at=now - timedelta(days=60),
        expires_at=now - timedelta(days=1),
    )
    return offers
