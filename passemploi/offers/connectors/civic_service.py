"""Civic-service missions from the API Engagement (``GET /v0/mission/search``: ``domain``,
``lat``, ``lon``, ``distance``, ``size``, ``from``; an ``apikey`` header). Paged by
``from``/``size`` (50 by default, ``total`` in the answer)."""

from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime

from passemploi.offers.connectors.http import HttpClient
from passemploi.offers.enums import CivicDomain, ContractType, OfferKind

SOURCE = "service_civique"
PAGE = 50
MAX_RESULTS = 5000
SEARCH_PARAMS = frozenset({"domain", "lat", "lon", "distance", "departmentCode"})
DOMAINS = {
    "environnement": CivicDomain.ENVIRONNEMENT,
    "solidarite-insertion": CivicDomain.SOLIDARITE_INSERTION,
    "prevention-protection": CivicDomain.PREVENTION_PROTECTION,
    "sante": CivicDomain.SANTE,
    "culture-loisirs": CivicDomain.CULTURE_LOISIRS,
    "education": CivicDomain.EDUCATION,
    "emploi": CivicDomain.EMPLOI,
    "sport": CivicDomain.SPORT,
    "humanitaire": CivicDomain.HUMANITAIRE,
    "animaux": CivicDomain.ANIMAUX,
    "vivre-ensemble": CivicDomain.VIVRE_ENSEMBLE,
}


class CivicServiceConnector:
    source = SOURCE

    def __init__(self, *, http: HttpClient | None = None):
        self.api_url = getattr(settings, "CIVIC_SERVICE_API_URL", "").rstrip("/")
        self.api_key = getattr(settings, "CIVIC_SERVICE_API_KEY", "")
        self.http = http or HttpClient(
            rate=getattr(settings, "OFFERS_CONNECTOR_RATE", 3.0),
            timeout=getattr(settings, "OFFERS_CONNECTOR_TIMEOUT", 10.0),
            retries=getattr(settings, "OFFERS_CONNECTOR_RETRIES", 4),
        )

    def fetch(self, limit: int | None = None, **params):
        unknown = set(params) - SEARCH_PARAMS
        if unknown:
            raise ValueError(f"Paramètres inconnus : {', '.join(sorted(unknown))}")
        start = sent = 0
        while start < MAX_RESULTS:
            response = self.http.request(
                "GET",
                f"{self.api_url}/v0/mission/search",
                params={**params, "from": start, "size": PAGE},
                headers={"apikey": self.api_key, "Accept": "application/json"},
            )
            body = response.json() or {}
            hits = body.get("hits") or []
            for raw in hits:
                yield raw
                sent += 1
                if limit is not None and sent >= limit:
                    return
            start += PAGE
            if not hits or start >= int(body.get("total") or 0):
                return

    @staticmethod
    def to_fields(raw: dict) -> dict:
        location = raw.get("location") or {}
        start = raw.get("startAt") or ""
        return {
            "kind": OfferKind.SERVICE_CIVIQUE,
            "source_id": str(raw["_id"])[:64],
            "title": (raw.get("title") or "")[:200],
            "company": (raw.get("organizationName") or "")[:200],
            "description": raw.get("description") or "",
            "contract_type": ContractType.ENGAGEMENT,
            "domain": DOMAINS.get(raw.get("domain") or "", CivicDomain.AUTRE),
            "start_date": parse_date(start[:10]) if start else None,
            "commune_insee": "",
            "departement": (raw.get("departmentCode") or "")[:3],
            "place_label": f"{raw.get('postalCode', '')} {raw.get('city', '')}".strip()[:150],
            "latitude": location.get("lat"),
            "longitude": location.get("lon"),
            "published_at": parse_datetime(raw.get("publishedAt") or "") or None,
            "apply_url": (raw.get("applicationUrl") or "")[:500],
        }
