"""A realistic generated catalogue: real communes weighted by population, ROME titles, dates."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from passemploi.geo.models import Commune
from passemploi.offers.catalogue import (
    CIVIC_MISSIONS,
    COMPANY_WORDS,
    OCCUPATIONS,
    SALARIES,
)
from passemploi.offers.enums import (
    ContactMode,
    ContractType,
    Experience,
    OfferKind,
    WorkingTime,
)
from passemploi.offers.models import Offer

SOURCE = "generated"
KIND_WEIGHTS = {
    OfferKind.EMPLOI: 60,
    OfferKind.ALTERNANCE: 20,
    OfferKind.IMMERSION: 10,
    OfferKind.SERVICE_CIVIQUE: 10,
}
JOB_CONTRACTS = {
    ContractType.CDI: 40,
    ContractType.CDD: 30,
    ContractType.INTERIM: 18,
    ContractType.SAISONNIER: 10,
    ContractType.LIBERAL: 2,
}
EXPERIENCES = {
    Experience.BEGINNER: 45,
    Experience.LESS_THAN_1_YEAR: 25,
    Experience.ONE_TO_3_YEARS: 20,
    Experience.MORE_THAN_3_YEARS: 10,
}


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _company(rng) -> str:
    first, second, third = COMPANY_WORDS
    return f"{rng.choice(first)} {rng.choice(second)}{rng.choice(third)}"


def _offer(rng, commune, now, kind) -> Offer:
    rome_code = rng.choice(list(OCCUPATIONS))
    family, titles, skills = OCCUPATIONS[rome_code]
    title = rng.choice(titles)
    company = _company(rng)
    chosen = rng.sample(skills, k=min(3, len(skills)))
    published = now - timedelta(days=rng.random() ** 2 * 60, minutes=rng.randrange(1440))
    offer = Offer(
        kind=kind,
        source=SOURCE,
        source_id=f"{rng.getrandbits(64):016x}",
        title=title,
        company=company,
        rome_code=rome_code,
        commune=commune,
        place_label=f"{commune.departement} - {commune.name}",
        latitude=commune.latitude,
        longitude=commune.longitude,
        departement=commune.departement,
        published_at=published,
        expires_at=published + timedelta(days=rng.randint(30, 90)),
        experience=_pick(rng, EXPERIENCES),
        working_time=WorkingTime.FULL_TIME if rng.random() < 0.75 else WorkingTime.PART_TIME,
        salary=rng.choice(SALARIES),
        qualifications=", ".join(chosen),
        apply_url=f"https://offres.example.org/{kind.lower()}/{rng.getrandbits(32):08x}",
    )
    place = f"à {commune.name}"
    if kind == OfferKind.EMPLOI:
        offer.contract_type = _pick(rng, JOB_CONTRACTS)
        if offer.contract_type in (ContractType.CDD, ContractType.SAISONNIER):
            offer.duration = f"{rng.choice([2, 3, 6, 9, 12])} mois"
    elif kind == OfferKind.ALTERNANCE:
        offer.contract_type = rng.choice(
            [ContractType.APPRENTISSAGE, ContractType.PROFESSIONNALISATION]
        )
        offer.duration = rng.choice(["12 mois", "24 mois", "36 mois"])
        offer.title = f"{title} en alternance"
        offer.experience = Experience.BEGINNER
    elif kind == OfferKind.IMMERSION:
        offer.contract_type = ""
        offer.title = f"Immersion : {title}"
        offer.establishment = company
        offer.sector = family
        offer.contact_mode = rng.choice(ContactMode.values)
        offer.duration = "1 à 2 semaines"
        offer.salary = ""
        offer.experience = Experience.BEGINNER
    else:
        domain = rng.choice(list(CIVIC_MISSIONS))
        offer.contract_type = ContractType.ENGAGEMENT
        offer.title = CIVIC_MISSIONS[domain]
        offer.company = f"Association {rng.choice(COMPANY_WORDS[1])}"
        offer.domain = domain
        offer.rome_code = ""
        offer.start_date = (published + timedelta(days=rng.randint(10, 60))).date()
        offer.duration = f"{rng.choice([6, 8, 10])} mois, 24 h par semaine"
        offer.salary = "Indemnité de 620 € par mois"
        offer.experience = Experience.BEGINNER
        offer.description = (
            f"Mission de service civique {place} au sein de {offer.company}. "
            f"{offer.title}. Ouverte aux jeunes de 16 à 25 ans, sans condition de diplôme."
        )
        return offer
    offer.description = (
        f"{company} recherche un(e) {title.lower()} {place} ({family.lower()}). "
        f"Missions : {', '.join(chosen)}. "
        "Vous êtes motivé(e), ponctuel(le) et aimez le travail en équipe. "
        + (
            "Débutants acceptés, formation assurée en interne."
            if offer.is_beginner_friendly
            else ""
        )
    ).strip()
    return offer


@transaction.atomic
def generate_offers(count: int, *, seed: int | None = None, batch: int = 2000) -> int:
    """Create ``count`` offers in communes drawn with probability proportional to population."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    communes = list(
        Commune.objects.filter(latitude__isnull=False, population__gt=0)
        .only("insee", "name", "departement", "population", "latitude", "longitude")
        .order_by("insee")
    )
    if not communes:
        raise RuntimeError("Aucune commune : lancez d'abord manage.py load_communes.")
    weights = [c.population for c in communes]
    now = timezone.now()
    created = 0
    while created < count:
        size = min(batch, count - created)
        places = rng.choices(communes, weights=weights, k=size)
        offers = [_offer(rng, commune, now, _pick(rng, KIND_WEIGHTS)) for commune in places]
        Offer.objects.bulk_create(offers, ignore_conflicts=True)
        created += size
    return created
