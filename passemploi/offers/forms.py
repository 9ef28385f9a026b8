"""The search filters of the offer pages: a GET query string turned into criteria."""

from django.http import QueryDict

from passemploi.core.errors import ServiceError
from passemploi.offers.criteria import DEFAULT_RADIUS_KM, Criteria, build_criteria
from passemploi.offers.enums import ContractType, Experience, OfferKind, SortOrder, WorkingTime

RADIUS_CHOICES = [5, 10, 20, 30, 50, 100]
# Every field a message can be shown on: templates look them up whatever happened.
ERROR_FIELDS = ("q", "commune", "radius_km", "sort", "page", "other")
# What the filters offer (the API takes every value).
CONTRACT_CHOICES = [
    (ContractType.CDI, "CDI"),
    (ContractType.CDD, "CDD"),
    (ContractType.INTERIM, "Intérim"),
    (ContractType.SAISONNIER, "Saisonnier"),
]


def page_values(query: QueryDict) -> dict:
    """The search page's query string as keyword arguments of ``build_criteria``."""
    return {
        "q": query.get("q", ""),
        "commune": query.get("commune", ""),
        "radius_km": query.get("rayon") or None,
        "kinds": query.getlist("type"),
        "contract_types": query.getlist("contrat"),
        "working_times": query.getlist("temps"),
        "experiences": ["BEGINNER"] if query.get("debutant") else [],
        "published_within_days": query.get("depuis") or None,
        "sort": query.get("tri", ""),
        "page": query.get("page") or None,
    }


def criteria_from_query(query: QueryDict) -> tuple[Criteria | None, dict]:
    """The criteria of the query string, or the error to show on its field."""
    values = page_values(query)
    errors = dict.fromkeys(ERROR_FIELDS, "")
    try:
        return build_criteria(**values), errors
    except ServiceError as error:
        field = error.field if error.field in ERROR_FIELDS else "other"
        errors[field] = error.message
        return None, errors


def filter_context(query: QueryDict) -> dict:
    """What the filter form needs to redisplay the current choices."""
    return {
        "values": {
            "q": query.get("q", "")[:200],
            "commune": query.get("commune", "")[:100],
            "rayon": query.get("rayon") or str(DEFAULT_RADIUS_KM),
            "type": query.getlist("type"),
            "contrat": query.getlist("contrat"),
            "temps": query.getlist("temps"),
            "debutant": bool(query.get("debutant")),
            "depuis": query.get("depuis", ""),
            "tri": query.get("tri", ""),
        },
        "radius_choices": [str(r) for r in RADIUS_CHOICES],
        "kind_choices": OfferKind.choices,
        "contract_choices": CONTRACT_CHOICES,
        "working_time_choices": WorkingTime.choices,
        "sort_choices": SortOrder.choices,
        "recency_choices": [
            ("1", "Depuis 24 h"),
            ("3", "3 jours"),
            ("7", "7 jours"),
            ("31", "31 jours"),
        ],
        "beginner_label": Experience.BEGINNER.label,
    }


def page_links(query: QueryDict, result) -> dict:
    def url_for(page):
        params = query.copy()
        params["page"] = str(page)
        return "?" + params.urlencode()

    page = result.criteria.page
    return {
        "previous_url": url_for(page - 1) if page > 1 else "",
        "next_url": url_for(page + 1) if result.has_next else "",
    }


def page_query(stored: dict) -> str:
    """The search page's query string of stored criteria (an alert's "Voir les offres")."""
    params = QueryDict(mutable=True)
    for key, name in (("q", "q"), ("commune", "commune"), ("radius_km", "rayon")):
        if stored.get(key):
            params[name] = str(stored[key])
    for key, name in (("kinds", "type"), ("contract_types", "contrat"), ("working_times", "temps")):
        params.setlist(name, stored.get(key) or [])
    if "BEGINNER" in (stored.get("experiences") or []):
        params["debutant"] = "1"
    return params.urlencode()
