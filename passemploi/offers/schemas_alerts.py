"""API schemas of alerts, suggestions and shares."""

import datetime
import uuid

from ninja import Field, Schema

from passemploi.core.schemas import PageQuery
from passemploi.offers.criteria import MAX_QUERY_LENGTH, MAX_RADIUS_KM, MIN_RADIUS_KM
from passemploi.offers.enums import (
    CivicDomain,
    ContractType,
    Experience,
    OfferKind,
    SuggestionStatus,
    WorkingTime,
)
from passemploi.offers.models_alerts import NAME_MAX
from passemploi.offers.schemas import OfferOut


class AlertCriteria(Schema):
    """The criteria of a saved search (those of `GET /offers`, without sort and paging); at
    least one is required."""

    q: str = Field("", max_length=MAX_QUERY_LENGTH, examples=["vendeur"])
    commune: str | None = Field(None, max_length=100, examples=["69123"])
    radius_km: int | None = Field(None, ge=MIN_RADIUS_KM, le=MAX_RADIUS_KM, examples=[10])
    departement: str | None = Field(None, pattern=r"^(\d{2}|2[AB]|9[78]\d)$")
    kind: list[OfferKind] = Field(default_factory=list)
    contract_type: list[ContractType] = Field(default_factory=list)
    working_time: list[WorkingTime] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    domain: CivicDomain | None = None
    rome_code: str | None = Field(None, pattern=r"^[A-N][0-9]{4}$", examples=["D1106"])


class AlertCriteriaOut(AlertCriteria):
    summary: str = Field(..., examples=["vendeur · Lyon (69), 10 km"])


class AlertIn(Schema):
    name: str = Field(..., max_length=NAME_MAX, examples=["Vendeur à Lyon"])
    criteria: AlertCriteria
    client_id: uuid.UUID | None = Field(
        None, description="Choisi par le client : un nouvel essai renvoie la même alerte (200)"
    )


class AlertRenameIn(Schema):
    name: str = Field(..., max_length=NAME_MAX, examples=["Vente, Lyon"])


class AlertOut(Schema):
    id: uuid.UUID
    name: str
    criteria: AlertCriteriaOut
    last_run_at: datetime.datetime
    created_at: datetime.datetime


class AlertList(Schema):
    items: list[AlertOut]
    count: int


class AlertSuggestionIn(Schema):
    young_person_id: uuid.UUID
    name: str = Field(..., max_length=NAME_MAX, examples=["Aide-soignant près de chez vous"])
    criteria: AlertCriteria


class AlertSuggestionOut(Schema):
    id: uuid.UUID
    young_person_id: uuid.UUID
    name: str
    criteria: AlertCriteriaOut
    status: str = Field(..., json_schema_extra={"enum": list(SuggestionStatus.values)})
    status_label: str = Field(..., examples=["En attente"])
    alert_id: uuid.UUID | None
    created_at: datetime.datetime


class AlertSuggestionList(Schema):
    items: list[AlertSuggestionOut]
    count: int


class ShareIn(Schema):
    offer_id: int = Field(..., examples=[1234])
    client_id: uuid.UUID = Field(..., description="Un nouvel essai avec le même ne renvoie rien")
    young_person_ids: list[uuid.UUID] = Field(default_factory=list)
    list_ids: list[uuid.UUID] = Field(default_factory=list, description="Listes de diffusion")
    body: str = Field("", max_length=2000, description="Un mot accompagnant l'offre")


class ShareOut(Schema):
    id: uuid.UUID
    offer_id: int
    recipient_count: int
    created_at: datetime.datetime


class SharedOfferOut(Schema):
    share_id: uuid.UUID
    shared_at: datetime.datetime
    offer: OfferOut


class SharedOfferList(Schema):
    items: list[SharedOfferOut]
    count: int


class OffersPageQuery(PageQuery):
    """Paging of suggestions and shared offers: the offset is bounded (a database integer)."""

    offset: int = Field(0, ge=0, le=100_000)
