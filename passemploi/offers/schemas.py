"""API schemas of the offers."""

import datetime

from ninja import Field, Schema

from passemploi.offers.criteria import (
    DEFAULT_RADIUS_KM,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    MAX_RADIUS_KM,
    MAX_REACHABLE,
    MAX_RECENCY_DAYS,
    MIN_RADIUS_KM,
    PAGE_SIZE,
)
from passemploi.offers.enums import (
    CivicDomain,
    ContractType,
    Experience,
    OfferKind,
    SortOrder,
    WorkingTime,
)


def _enum(choices):
    return {"enum": list(choices.values)}


class OfferQuery(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="Mots-clés (8 mots au plus)")
    commune: str | None = Field(
        None,
        max_length=100,
        description="Code INSEE, code postal ou libellé « Lyon (69) » ; inconnue : 404",
        examples=["69123"],
    )
    radius_km: int | None = Field(
        None,
        ge=MIN_RADIUS_KM,
        le=MAX_RADIUS_KM,
        description=f"Rayon autour de la commune ({DEFAULT_RADIUS_KM} km par défaut)",
    )
    departement: str | None = Field(
        None,
        pattern=r"^(\d{2}|2[AB]|9[78]\d)$",
        description="Sans commune : un département ; inconnu : 404",
        examples=["974"],
    )
    kind: list[OfferKind] = Field(default_factory=list)
    contract_type: list[ContractType] = Field(default_factory=list)
    working_time: list[WorkingTime] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    published_within_days: int | None = Field(
        None, ge=1, le=MAX_RECENCY_DAYS, description="Publiées depuis N jours"
    )
    domain: CivicDomain | None = None
    rome_code: str | None = Field(None, pattern=r"^[A-N][0-9]{4}$", examples=["M1805"])
    sort: SortOrder = Field(
        SortOrder.RELEVANCE, description="Sans commune, « distance » trie par date"
    )
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_REACHABLE - 1)


class CommuneRef(Schema):
    insee: str
    name: str
    departement: str


class OfferOut(Schema):
    id: int = Field(..., examples=[1234])
    kind: str = Field(..., json_schema_extra=_enum(OfferKind))
    kind_label: str = Field(..., examples=["Emploi"])
    title: str = Field(..., examples=["Vendeur / Vendeuse en boulangerie"])
    company: str = Field(..., examples=["Boulangerie Martin"])
    contract_type: str = Field(..., examples=["CDI"])
    contract_type_label: str = Field(..., examples=["CDI"])
    working_time: str = Field(..., examples=["FULL_TIME"])
    working_time_label: str = Field(..., examples=["Temps plein"])
    experience: str = Field(..., examples=["BEGINNER"])
    experience_label: str = Field(..., examples=["Débutant accepté"])
    place_label: str = Field(..., examples=["69 - Lyon"])
    commune: CommuneRef | None
    latitude: float | None
    longitude: float | None
    distance_km: float | None = Field(None, description="Avec une commune seulement")
    published_at: datetime.datetime
    expires_at: datetime.datetime | None


class OfferDetailOut(OfferOut):
    description: str
    duration: str
    salary: str
    qualifications: str
    rome_code: str
    apply_url: str
    source: str
    source_id: str
    establishment: str
    sector: str
    contact_mode: str
    domain: str
    domain_label: str
    start_date: datetime.date | None


class OfferPage(Schema):
    items: list[OfferOut]
    count: int = Field(..., description="Plafonné à 1 000 (voir count_capped)")
    count_capped: bool
    next: str | None
