"""Search criteria: validation of what a page or the API sent, with French error messages."""

import re
from dataclasses import dataclass, field

from passemploi.core.errors import ServiceError
from passemploi.geo.models import Commune
from passemploi.geo.search import resolve_commune
from passemploi.geo.text import strip_accents
from passemploi.offers.enums import (
    CivicDomain,
    ContractType,
    Experience,
    OfferKind,
    SortOrder,
    WorkingTime,
)

DEFAULT_RADIUS_KM = 10  # as the CEJ app (DISTANCE_PAR_DEFAUT)
MIN_RADIUS_KM = 1
MAX_RADIUS_KM = 200
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# Like France Travail's range limits: past the first thousand results, refine the search.
MAX_REACHABLE = 1000
MAX_RECENCY_DAYS = 365
_WORD = re.compile(r"\w+")
_DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|97\d|98\d)$")
# Words that carry no meaning in a job search (PostgreSQL's French config drops most of them;
# dropping them here keeps SQLite, which has no stop words, in step).
STOP_WORDS = frozenset(
    "a au aux avec d de des du en et f h hf l la le les ou par pour sur un une".split()
)


@dataclass
class Criteria:
    terms: list[str] = field(default_factory=list)
    commune: Commune | None = None
    radius_km: int = DEFAULT_RADIUS_KM
    departement: str = ""
    kinds: list[str] = field(default_factory=list)
    contract_types: list[str] = field(default_factory=list)
    working_times: list[str] = field(default_factory=list)
    experiences: list[str] = field(default_factory=list)
    published_within_days: int | None = None
    domain: str = ""
    rome_code: str = ""
    sort: str = SortOrder.RELEVANCE
    page: int = 1
    page_size: int = PAGE_SIZE
    offset: int = 0


def _error(code, message, field_name):
    return ServiceError(code, message, field_name, status=422)


def keyword_terms(q: str) -> list[str]:
    """Lower-case unaccented words of the query, stop words and FTS syntax left out."""
    q = q or ""
    if len(q) > MAX_QUERY_LENGTH:
        raise _error(
            "query_too_long",
            f"Les mots-clés ne doivent pas dépasser {MAX_QUERY_LENGTH} caractères.",
            "q",
        )
    words = _WORD.findall(strip_accents(q).lower().replace("_", " "))
    terms = []
    for word in words:
        if word in STOP_WORDS or word in terms:
            continue
        terms.append(word[:MAX_TERM_LENGTH])
    # Past MAX_TERMS words the query is not a search any more: the first ones are kept.
    return terms[:MAX_TERMS]


def _choices(values, enum, field_name, label):
    values = [v for v in (values or []) if v]
    unknown = [v for v in values if v not in enum.values]
    if unknown:
        raise _error(f"invalid_{field_name}", f"{label} inconnu : {unknown[0][:30]}.", field_name)
    return sorted(set(values))


def _int(value, field_name, message) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _error(f"invalid_{field_name}", message, field_name) from None


def build_criteria(
    *,
    q: str = "",
    commune: str = "",
    radius_km=None,
    departement: str = "",
    kinds=None,
    contract_types=None,
    working_times=None,
    experiences=None,
    published_within_days=None,
    domain: str = "",
    rome_code: str = "",
    sort: str = "",
    page=None,
    page_size=None,
    offset=None,
) -> Criteria:
    criteria = Criteria(terms=keyword_terms(q))
    radius = _int(radius_km, "radius_km", "Le rayon doit être un nombre de kilomètres.")
    if radius is not None:
        if not MIN_RADIUS_KM <= radius <= MAX_RADIUS_KM:
            raise _error(
                "invalid_radius",
                f"Le rayon doit être compris entre {MIN_RADIUS_KM} et {MAX_RADIUS_KM} km.",
                "radius_km",
            )
        criteria.radius_km = radius
    if commune:
        criteria.commune = resolve_commune(commune)
    departement = (departement or "").strip().upper()
    if departement and not criteria.commune:
        if not _DEPARTEMENT.match(departement) or not (
            Commune.objects.filter(departement=departement).exists()
        ):
            raise ServiceError(
                "unknown_departement", "Ce département n'existe pas.", "departement", status=404
            )
        criteria.departement = departement
    criteria.kinds = _choices(kinds, OfferKind, "kind", "Type d'offre")
    criteria.contract_types = _choices(contract_types, ContractType, "contract_type", "Contrat")
    criteria.working_times = _choices(working_times, WorkingTime, "working_time", "Temps")
    criteria.experiences = _choices(experiences, Experience, "experience", "Expérience")
    days = _int(published_within_days, "published_within_days", "Nombre de jours invalide.")
    if days is not None:
        if not 1 <= days <= MAX_RECENCY_DAYS:
            raise _error(
                "invalid_published_within_days",
                f"La fraîcheur doit être comprise entre 1 et {MAX_RECENCY_DAYS} jours.",
                "published_within_days",
            )
        criteria.published_within_days = days
    if domain:
        criteria.domain = _choices([domain], CivicDomain, "domain", "Domaine")[0]
    rome_code = (rome_code or "").strip().upper()
    if rome_code:
        if not re.fullmatch(r"[A-N]\d{4}", rome_code):
            raise _error("invalid_rome_code", "Code ROME invalide (ex. : M1805).", "rome_code")
        criteria.rome_code = rome_code
    # Without a commune, "distance" falls back to the date order (search.py).
    sort = sort or SortOrder.RELEVANCE
    if sort not in SortOrder.values:
        raise _error("invalid_sort", "Tri inconnu.", "sort")
    criteria.sort = sort
    size = _int(page_size, "page_size", "Taille de page invalide.") or PAGE_SIZE
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise _error(
            "invalid_page_size", f"Taille de page entre 1 et {MAX_PAGE_SIZE}.", "page_size"
        )
    criteria.page_size = size
    number = _int(page, "page", "Numéro de page invalide.")
    number = 1 if number is None else number
    start = _int(offset, "offset", "Décalage invalide.")
    start = (number - 1) * size if start is None else start
    if number < 1 or not 0 <= start < MAX_REACHABLE:
        raise _error(
            "page_out_of_range",
            f"Seuls les {MAX_REACHABLE} premiers résultats sont consultables : "
            "précisez votre recherche.",
            "page",
        )
    criteria.page = number
    criteria.offset = start
    return criteria
