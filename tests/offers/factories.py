"""Factories of communes and offers (kept beside the offers tests, used by the geo tests too)."""

from datetime import timedelta

import factory
from django.utils import timezone

from passemploi.geo.models import Commune
from passemploi.geo.text import normalize
from passemploi.offers.enums import ContractType, Experience, OfferKind, WorkingTime
from passemploi.offers.models import Offer

# Real communes (INSEE code, name, postal codes, département, region, population, lat, lon):
# Avignon and Villeneuve-lès-Avignon face each other across the Rhône and a département border.
REAL = {
    "75056": ("Paris", "75001 75002 75015", "75", "11", 2103778, 48.85887, 2.34687),
    "69123": ("Lyon", "69001 69002 69003", "69", "84", 519127, 45.76769, 4.83537),
    "42218": ("Saint-Étienne", "42000 42100 42230", "42", "84", 173136, 45.43959, 4.38748),
    "84007": ("Avignon", "84000 84140", "84", "93", 92188, 43.94929, 4.80559),
    "30351": ("Villeneuve-lès-Avignon", "30400", "30", "76", 13148, 43.96414, 4.79684),
    "97411": ("Saint-Denis", "97400 97417 97490", "974", "04", 155634, -20.87897, 55.44863),
    "93066": ("Saint-Denis", "93200 93210 93380", "93", "11", 149077, 48.93697, 2.35976),
    "98818": ("Nouméa", "98800", "988", "988", 85976, None, None),
}


def real_commune(insee: str) -> Commune:
    name, postal, dep, region, population, lat, lon = REAL[insee]
    commune, _ = Commune.objects.get_or_create(
        insee=insee,
        defaults={
            "name": name,
            "search_name": normalize(name),
            "postal_codes": postal,
            "departement": dep,
            "region": region,
            "population": population,
            "latitude": lat,
            "longitude": lon,
        },
    )
    return commune


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    kind = OfferKind.EMPLOI
    source = "test"
    source_id = factory.Sequence(lambda n: f"T{n:05d}")
    title = "Vendeur / Vendeuse en boulangerie"
    company = "Boulangerie Martin"
    description = "Accueil des clients et encaissement."
    contract_type = ContractType.CDI
    working_time = WorkingTime.FULL_TIME
    experience = Experience.BEGINNER
    rome_code = "D1106"
    commune = factory.LazyFunction(lambda: real_commune("69123"))
    latitude = factory.LazyAttribute(lambda o: o.commune.latitude if o.commune else None)
    longitude = factory.LazyAttribute(lambda o: o.commune.longitude if o.commune else None)
    departement = factory.LazyAttribute(lambda o: o.commune.departement if o.commune else "")
    place_label = factory.LazyAttribute(lambda o: o.commune.name if o.commune else "")
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    apply_url = "https://entreprise.example.org/postuler"
