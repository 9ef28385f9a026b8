"""Commune autocomplete and resolution of what a location field sent back."""

import re

from django.db.models import Q

from passemploi.core.errors import ServiceError
from passemploi.geo.models import Commune
from passemploi.geo.text import normalize

MAX_QUERY = 100
DEFAULT_LIMIT = 10
MAX_LIMIT = 20
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<dep>[0-9AB]{2,3})\)\s*$")
_CODE = re.compile(r"^\d[0-9AB]\d{3}$")


def _query_text(q: str) -> str:
    words = normalize(q[:MAX_QUERY]).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def autocomplete(q: str, limit: int = DEFAULT_LIMIT) -> list[Commune]:
    """Communes whose name (or a word of it) starts with ``q``, or whose postal or INSEE code
    starts with ``q``; bigger communes first. Accents, case, hyphens do not matter."""
    limit = max(1, min(limit, MAX_LIMIT))
    raw = (q or "").strip()[:MAX_QUERY]
    if raw.isdigit() or _CODE.match(raw.upper()):
        code = raw.upper()
        condition = (
            Q(postal_codes__startswith=code)
            | Q(postal_codes__contains=f" {code}")
            | Q(insee__startswith=code)
        )
        return list(Commune.objects.filter(condition).order_by("-population", "insee")[:limit])
    text = _query_text(raw)
    if len(text) < 2:
        return []
    # Names starting with the text first (indexed), then names with a word starting with it.
    found = list(
        Commune.objects.filter(search_name__startswith=text).order_by("-population", "insee")[
            :limit
        ]
    )
    if len(found) < limit:
        seen = [c.insee for c in found]
        found += list(
            Commune.objects.filter(search_name__contains=f" {text}")
            .exclude(insee__in=seen)
            .order_by("-population", "insee")[: limit - len(found)]
        )
    return found


def resolve_commune(value: str) -> Commune:
    """The commune meant by a location field: an INSEE code, a postal code, a label
    ``Lyon (69)`` as the autocomplete offers it, or a bare name (the most populous one)."""
    raw = (value or "").strip()[:MAX_QUERY]
    commune = None
    if _CODE.match(raw.upper()):
        code = raw.upper()
        commune = Commune.objects.filter(insee=code).first() or (
            Commune.objects.filter(
                Q(postal_codes__startswith=code) | Q(postal_codes__contains=f" {code}")
            )
            .order_by("-population", "insee")
            .first()
        )
    elif raw:
        match = _LABEL.match(raw)
        communes = Commune.objects.order_by("-population", "insee")
        if match:
            communes = communes.filter(
                search_name=_query_text(match["name"]), departement=match["dep"]
            )
        else:
            communes = communes.filter(search_name=_query_text(raw))
        commune = communes.first()
    if commune is None:
        raise ServiceError(
            "unknown_commune",
            "Commune inconnue : choisissez une commune proposée, ou saisissez son code postal.",
            "commune",
            status=404,  # the API's answer for a named thing that does not exist
        )
    return commune
