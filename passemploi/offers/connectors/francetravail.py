"""France Travail "Offres d'emploi v2": OAuth2 client credentials, search paged by ``range``.

API reference: francetravail.io, catalogue "Offres d'emploi", operation
``GET /v2/offres/search`` ("Rechercher par critères"). A token comes from the ``/partenaire``
realm with the scopes ``api_offresdemploiv2 o2dsoffre``; a search answers at most 150 offers per
call (``range=p-d``), 206 Partial Content with ``Content-Range: offres p-d/total`` while more
remain, 200 for the last page, 204 when nothing matches; the first index is at most 3,000."""

import re
import time
from datetime import datetime

from django.conf import settings
from django.utils.dateparse import parse_datetime

from passemploi.offers.connectors.http import ConnectorError, HttpClient
from passemploi.offers.enums import ContractType, Experience, OfferKind, WorkingTime

SOURCE = "francetravail"
PAGE = 150
MAX_FIRST_INDEX = 3000
SCOPES = "api_offresdemploiv2 o2dsoffre"
TOKEN_MARGIN_SECONDS = 60
# The documented search parameters ("Rechercher par critères"); anything else is refused here
# rather than silently ignored by the API.
SEARCH_PARAMS = frozenset(
    """sort domaine codeROME theme appellation secteurActivite codeNAF experience
    experienceExigence typeContrat natureContrat origineOffre qualification tempsPlein commune
    distance departement inclureLimitrophes region paysContinent niveauFormation permis motsCles
    salaireMin periodeSalaire accesTravailleurHandicape offresMRS grandDomaine
    employeursHandiEngages entreprisesAdaptees dureeHebdoMin dureeHebdoMax dureeContratMin
    dureeContratMax dureeHebdo partenaires modeSelectionPartenaires publieeDepuis
    minCreationDate maxCreationDate offresManqueCandidats""".split()
)
CONTENT_RANGE = re.compile(r"(\d+)-(\d+)/(\d+)")
CONTRACTS = {
    "CDI": ContractType.CDI,
    "CDD": ContractType.CDD,
    "MIS": ContractType.INTERIM,
    "SAI": ContractType.SAISONNIER,
    "LIB": ContractType.LIBERAL,
}
NATURE_APPRENTICESHIP = "E2"  # natureContrat: contrat d'apprentissage
NATURE_PROFESSIONALISATION = "FS"  # natureContrat: contrat de professionnalisation
_YEARS = re.compile(r"(\d+)\s*an")
_MONTHS = re.compile(r"(\d+)\s*mois")


def _setting(name, default):
    return getattr(settings, name, default)


class FranceTravailConnector:
    source = SOURCE

    def __init__(self, *, http: HttpClient | None = None, clock=time.monotonic):
        self.api_url = _setting("FRANCE_TRAVAIL_API_URL", "").rstrip("/")
        self.token_url = _setting("FRANCE_TRAVAIL_TOKEN_URL", "")
        self.client_id = _setting("FRANCE_TRAVAIL_CLIENT_ID", "")
        self.client_secret = _setting("FRANCE_TRAVAIL_CLIENT_SECRET", "")
        self.http = http or HttpClient(
            rate=_setting("OFFERS_CONNECTOR_RATE", 3.0),
            timeout=_setting("OFFERS_CONNECTOR_TIMEOUT", 10.0),
            retries=_setting("OFFERS_CONNECTOR_RETRIES", 4),
        )
        self.clock = clock
        self._token = None
        self._token_expires = 0.0

    # --- OAuth2 client credentials ----------------------------------------------------------

    def token(self) -> str:
        if self._token and self.clock() < self._token_expires:
            return self._token
        if not (self.token_url and self.client_id and self.client_secret):
            raise ConnectorError("FRANCE_TRAVAIL_CLIENT_ID / _SECRET / _TOKEN_URL manquants")
        response = self.http.request(
            "POST",
            self.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": SCOPES,
            },
        )
        try:
            body = response.json()
            self._token = body["access_token"]
            lifetime = float(body.get("expires_in", 1499))
        except (ValueError, KeyError, TypeError) as exc:
            raise ConnectorError("Réponse de jeton illisible") from exc
        self._token_expires = self.clock() + max(lifetime - TOKEN_MARGIN_SECONDS, 0)
        return self._token

    def _search_page(self, params: dict, first: int):
        url = f"{self.api_url}/v2/offres/search"
        query = {**params, "range": f"{first}-{first + PAGE - 1}"}
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self.token()}", "Accept": "application/json"}
            try:
                return self.http.request("GET", url, params=query, headers=headers)
            except ConnectorError as exc:
                if exc.status != 401 or attempt:
                    raise
                self._token = None  # revoked or expired early: one new token, one more try
        raise AssertionError("unreachable")

    # --- search ------------------------------------------------------------------------------

    def fetch(self, limit: int | None = None, **params):
        """Yield the raw offers of a search, page after page (150 each)."""
        unknown = set(params) - SEARCH_PARAMS
        if unknown:
            raise ValueError(f"Paramètres inconnus : {', '.join(sorted(unknown))}")
        params = {k: v for k, v in params.items() if v not in (None, "")}
        first = 0
        sent = 0
        while first <= MAX_FIRST_INDEX:
            response = self._search_page(params, first)
            if response.status_code == 204:
                return
            results = response.json().get("resultats") or []
            for raw in results:
                yield raw
                sent += 1
                if limit is not None and sent >= limit:
                    return
            total = _total(response.headers.get("Content-Range"))
            first += PAGE
            if response.status_code != 206 or not results or (total is not None and first >= total):
                return

    # --- mapping -----------------------------------------------------------------------------

    @staticmethod
    def to_fields(raw: dict) -> dict:
        place = raw.get("lieuTravail") or {}
        company = raw.get("entreprise") or {}
        salary = raw.get("salaire") or {}
        contact = raw.get("contact") or {}
        origin = raw.get("origineOffre") or {}
        nature = raw.get("natureContrat", "")
        kind = OfferKind.EMPLOI
        contract = CONTRACTS.get(raw.get("typeContrat", ""), ContractType.AUTRE)
        if raw.get("alternance") or nature in (NATURE_APPRENTICESHIP, NATURE_PROFESSIONALISATION):
            kind = OfferKind.ALTERNANCE
            contract = (
                ContractType.PROFESSIONNALISATION
                if nature == NATURE_PROFESSIONALISATION
                else ContractType.APPRENTISSAGE
            )
        skills = [c.get("libelle", "") for c in raw.get("competences") or []]
        skills += [q.get("libelle", "") for q in raw.get("qualitesProfessionnelles") or []]
        return {
            "kind": kind,
            "source_id": str(raw["id"])[:64],
            "title": (raw.get("intitule") or "Offre sans intitulé")[:200],
            "company": (company.get("nom") or "")[:200],
            "description": raw.get("description") or "",
            "contract_type": contract,
            "working_time": _working_time(raw),
            "duration": (raw.get("typeContratLibelle") or "")[:100],
            "salary": (salary.get("libelle") or salary.get("commentaire") or "")[:200],
            "experience": _experience(raw),
            "qualifications": " · ".join(s for s in skills if s),
            "rome_code": (raw.get("romeCode") or "")[:5],
            "commune_insee": place.get("commune") or "",
            "place_label": (place.get("libelle") or "")[:150],
            "latitude": _float(place.get("latitude")),
            "longitude": _float(place.get("longitude")),
            "published_at": _datetime(raw.get("dateCreation")),
            "apply_url": (contact.get("urlPostulation") or origin.get("urlOrigine") or "")[:500],
        }


def _total(content_range: str | None) -> int | None:
    match = CONTENT_RANGE.search(content_range or "")
    return int(match.group(3)) if match else None


def _working_time(raw: dict) -> str:
    label = (raw.get("dureeTravailLibelleConverti") or "").lower()
    if "partiel" in label:
        return WorkingTime.PART_TIME
    if "plein" in label:
        return WorkingTime.FULL_TIME
    return ""


def _experience(raw: dict) -> str:
    """``experienceExige`` D (débutant accepté), S (souhaitée), E (exigée), with the duration
    in ``experienceLibelle`` ("2 ans", "6 mois")."""
    if raw.get("experienceExige") == "D":
        return Experience.BEGINNER
    label = (raw.get("experienceLibelle") or "").lower()
    years = _YEARS.search(label)
    months = _MONTHS.search(label)
    span = int(years.group(1)) * 12 if years else int(months.group(1)) if months else 0
    if span == 0:
        return Experience.BEGINNER
    if span < 12:
        return Experience.LESS_THAN_1_YEAR
    if span <= 36:
        return Experience.ONE_TO_3_YEARS
    return Experience.MORE_THAN_3_YEARS


def _float(value):
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _datetime(value) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None
