"""Immersions (PMSMP) from the Immersion Facilitée API: establishments open to an immersion near a
point, for occupations (``GET /v2/search``: ``latitude``, ``longitude``, ``distanceKm``,
``appellationCodes[]``, ``sortBy``; an API key in the ``Authorization`` header). The answer is
one list, not paged; each establishment and occupation becomes one offer."""

from django.conf import settings

from passemploi.offers.connectors.http import HttpClient
from passemploi.offers.enums import ContactMode, OfferKind

SOURCE = "immersion"
CONTACT_MODES = {
    "EMAIL": ContactMode.EMAIL,
    "PHONE": ContactMode.PHONE,
    "IN_PERSON": ContactMode.IN_PERSON,
}
SEARCH_PARAMS = frozenset(
    {"latitude", "longitude", "distanceKm", "appellationCodes[]", "sortBy", "nafCodes[]"}
)


class ImmersionConnector:
    source = SOURCE

    def __init__(self, *, http: HttpClient | None = None):
        self.api_url = getattr(settings, "IMMERSION_API_URL", "").rstrip("/")
        self.api_key = getattr(settings, "IMMERSION_API_KEY", "")
        self.http = http or HttpClient(
            rate=getattr(settings, "OFFERS_CONNECTOR_RATE", 3.0),
            timeout=getattr(settings, "OFFERS_CONNECTOR_TIMEOUT", 10.0),
            retries=getattr(settings, "OFFERS_CONNECTOR_RETRIES", 4),
        )

    def fetch(self, limit: int | None = None, **params):
        unknown = set(params) - SEARCH_PARAMS
        if unknown:
            raise ValueError(f"Paramètres inconnus : {', '.join(sorted(unknown))}")
        params.setdefault("sortBy", "distance")
        response = self.http.request(
            "GET",
            f"{self.api_url}/v2/search",
            params=params,
            headers={"Authorization": self.api_key, "Accept": "application/json"},
        )
        for index, raw in enumerate(response.json() or []):
            if limit is not None and index >= limit:
                return
            yield raw

    @staticmethod
    def to_fields(raw: dict) -> dict:
        address = raw.get("address") or {}
        position = raw.get("position") or {}
        appellations = raw.get("appellations") or [{}]
        title = appellations[0].get("appellationLabel") or raw.get("romeLabel") or ""
        name = raw.get("name") or ""
        return {
            "kind": OfferKind.IMMERSION,
            "source_id": f"{raw['siret']}-{raw.get('rome', '')}"[:64],
            "title": f"Immersion : {title}"[:200] if title else "",
            "company": name[:200],
            "establishment": name[:200],
            "sector": (raw.get("nafLabel") or "")[:200],
            "contact_mode": CONTACT_MODES.get(raw.get("contactMode") or "", ""),
            "description": f"Découvrez le métier de {title} chez {name}.",
            "rome_code": (raw.get("rome") or "")[:5],
            "commune_insee": "",
            "place_label": f"{address.get('postcode', '')} {address.get('city', '')}".strip(),
            "latitude": position.get("lat"),
            "longitude": position.get("lon"),
            "apply_url": (raw.get("urlOfPartner") or "")[:500],
        }
