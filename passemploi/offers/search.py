"""Offer search over the local catalogue, on PostgreSQL (full text + GIN) or SQLite (FTS5).

Keywords: PostgreSQL matches the stored ``search_vector`` with the ``pe_french`` configuration
(unaccent, then French stemming: "vendeurs" finds "vendeur"); SQLite matches each word as a
prefix in an FTS5 table without diacritics (a trailing plural s/x is dropped first). Distance:
an indexed bounding box on latitude/longitude narrows the rows, the exact great-circle distance
decides. Totals stop counting at ``MAX_REACHABLE``."""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from passemploi.offers.criteria import MAX_REACHABLE, Criteria
from passemploi.offers.enums import Experience, SortOrder
from passemploi.offers.models import Offer

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.32


@dataclass
class SearchResult:
    offers: list[Offer]
    count: int
    capped: bool
    criteria: Criteria

    @property
    def has_next(self) -> bool:
        return self.criteria.offset + len(self.offers) < min(self.count, MAX_REACHABLE)

    @property
    def count_label(self) -> str:
        if self.capped:
            return f"Plus de {MAX_REACHABLE:,}".replace(",", "\u202f") + " offres"
        return f"{self.count} offre{'s' if self.count > 1 else ''}"


def visible_offers() -> QuerySet:
    """Offers not expired yet."""
    now = timezone.now()
    return Offer.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def _sqlite_match(terms: list[str]) -> str:
    words = []
    for term in terms:
        if len(term) > 3 and term[-1] in "sx":
            term = term[:-1]
        words.append(f'"{term}"*')  # terms are \w only: no quote can break out
    return " AND ".join(words)


def _keywords(offers: QuerySet, terms: list[str], rank: bool) -> QuerySet:
    text = " ".join(terms)
    vendor = connection.vendor
    if vendor == "postgresql":
        offers = offers.filter(
            RawSQL(
                "offers_offer.search_vector @@ plainto_tsquery('pe_french', %s)",
                [text],
                output_field=BooleanField(),
            )
        )
        if rank:
            offers = offers.annotate(
                rank=RawSQL(
                    "ts_rank_cd(offers_offer.search_vector, plainto_tsquery('pe_french', %s))",
                    [text],
                    output_field=FloatField(),
                )
            )
        return offers
    if vendor == "sqlite":
        match = _sqlite_match(terms)
        offers = offers.filter(
            RawSQL(
                "offers_offer.id IN (SELECT rowid FROM offers_offer_fts "
                "WHERE offers_offer_fts MATCH %s)",
                [match],
                output_field=BooleanField(),
            )
        )
        if rank:
            # bm25 is lower for better matches: negate it so both back ends sort descending.
            offers = offers.annotate(
                rank=RawSQL(
                    "(SELECT -bm25(offers_offer_fts, 10.0, 2.0, 1.0) FROM offers_offer_fts "
                    "WHERE offers_offer_fts MATCH %s AND rowid = offers_offer.id)",
                    [match],
                    output_field=FloatField(),
                )
            )
        return offers
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(description__icontains=term)
    offers = offers.filter(condition)
    return offers.annotate(rank=Value(1.0)) if rank else offers


def distance_expression(latitude: float, longitude: float):
    """Haversine distance in km from a point to the offer's coordinates."""
    lat0 = math.radians(latitude)
    lon0 = math.radians(longitude)
    half_dlat = (Radians(F("latitude")) - Value(lat0)) / Value(2.0)
    half_dlon = (Radians(F("longitude")) - Value(lon0)) / Value(2.0)
    inner = Power(Sin(half_dlat), 2) + Value(math.cos(lat0)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(inner))


def _near(offers: QuerySet, criteria: Criteria) -> QuerySet:
    commune = criteria.commune
    if not commune.has_coordinates:
        return offers.filter(commune=commune).annotate(distance=Value(0.0))
    radius = criteria.radius_km
    dlat = radius / KM_PER_DEGREE
    cos_lat = max(math.cos(math.radians(commune.latitude)), 0.01)
    dlon = radius / (KM_PER_DEGREE * cos_lat)
    return (
        offers.filter(
            latitude__range=(commune.latitude - dlat, commune.latitude + dlat),
            longitude__range=(commune.longitude - dlon, commune.longitude + dlon),
        )
        .annotate(distance=distance_expression(commune.latitude, commune.longitude))
        .filter(distance__lte=radius)
    )


def filtered_offers(criteria: Criteria, *, rank: bool = False) -> QuerySet:
    offers = visible_offers()
    if criteria.commune is not None:
        offers = _near(offers, criteria)
    elif criteria.departement:
        offers = offers.filter(departement=criteria.departement)
    if criteria.kinds:
        offers = offers.filter(kind__in=criteria.kinds)
    if criteria.contract_types:
        offers = offers.filter(contract_type__in=criteria.contract_types)
    if criteria.working_times:
        offers = offers.filter(working_time__in=criteria.working_times)
    if criteria.experiences:
        offers = offers.filter(experience__in=criteria.experiences)
    if criteria.published_within_days:
        since = timezone.now() - timedelta(days=criteria.published_within_days)
        offers = offers.filter(published_at__gte=since)
    if criteria.domain:
        offers = offers.filter(domain=criteria.domain)
    if criteria.rome_code:
        offers = offers.filter(rome_code=criteria.rome_code)
    if criteria.terms:
        offers = _keywords(offers, criteria.terms, rank)
    return offers


def _ordering(criteria: Criteria, ranked: bool) -> list:
    if criteria.sort == SortOrder.DISTANCE and criteria.commune is not None:
        return ["distance", "-published_at", "-id"]
    if ranked:
        return ["-rank", "-published_at", "-id"]
    return ["-published_at", "-id"]


def search_offers(criteria: Criteria) -> SearchResult:
    """One page of results and the total (capped): two queries.

    Relevance ranks every match, which is the slow part of full-text search on frequent
    words: past ``MAX_REACHABLE`` matches the words are too common to rank usefully, and the
    newest offers come first instead."""
    count = filtered_offers(criteria).values("id")[: MAX_REACHABLE + 1].count()
    capped = count > MAX_REACHABLE
    ranked = criteria.sort == SortOrder.RELEVANCE and bool(criteria.terms) and not capped
    offers = filtered_offers(criteria, rank=ranked)
    page = list(
        offers.select_related("commune").order_by(*_ordering(criteria, ranked))[
            criteria.offset : criteria.offset + criteria.page_size
        ]
    )
    return SearchResult(
        offers=page, count=min(count, MAX_REACHABLE), capped=capped, criteria=criteria
    )


def beginner_label(offer: Offer) -> str:
    return "Débutant accepté" if offer.experience == Experience.BEGINNER else ""
