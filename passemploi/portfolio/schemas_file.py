"""API schemas of the portfolio list and the young person's file."""

import datetime
import uuid
from typing import Literal

from ninja import Field, Schema

from passemploi.accounts.enums import Scheme
from passemploi.core.schemas import PageQuery
from passemploi.portfolio.enums import RiskLevel
from passemploi.portfolio.schemas import CounselorRefOut, ReassignmentOut


class PortfolioCriteria(Schema):
    q: str | None = Field(None, max_length=100, description="Recherche dans le nom et le prénom")
    scheme: Scheme | None = Field(None, description="Dispositif")
    broadcast_list_id: uuid.UUID | None = Field(None, description="Une de mes listes de diffusion")
    inactive_days: int | None = Field(
        None, ge=1, le=365, description="Sans activité depuis plus de ce nombre de jours"
    )
    risk: RiskLevel | None = Field(None, description="Niveau de risque de décrochage")
    sort: Literal["name", "hours", "activity", "risk"] = Field(
        "name",
        description="name (nom), hours (heures déclarées, plus d'abord), activity (dernière "
        "activité, plus ancienne d'abord), risk (plus élevé d'abord)",
    )
    period_days: Literal[7, 30, 90] = Field(7, description="Période du nombre d'actions créées")


class PortfolioFilters(PageQuery, PortfolioCriteria):
    pass


class PortfolioExportQuery(PortfolioCriteria):
    format: Literal["csv", "xlsx"] = Field("csv", description="csv (`;`, UTF-8) ou xlsx")


class RiskOut(Schema):
    level: RiskLevel = Field(..., examples=["high"])
    label: str = Field(..., examples=["Élevé"])
    score: int
    reasons: list[str] = Field(
        ..., examples=[["Aucune connexion depuis 18 jours", "2 rendez-vous manqués en 4 semaines"]]
    )
    computed_at: datetime.datetime | None = None


class PortfolioRowOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    email: str
    scheme: Scheme
    scheme_label: str
    activated: bool = Field(..., description="Compte activé")
    temporary: bool = Field(..., description="Suivi temporaire")
    planned_end_date: datetime.date | None
    end_passed: bool = Field(..., description="Date de fin prévue dépassée")
    unread_by_counselor: int = Field(..., description="Messages du jeune non lus par moi")
    unread_by_young_person: int = Field(..., description="Messages non lus par le jeune")
    hours_declared: float | None = Field(..., description="Cette semaine ; null sans compteur")
    hours_validated: float | None
    actions_created: int = Field(..., description="Sur la période demandée")
    late_actions: int
    next_appointment: datetime.datetime | None
    last_activity: datetime.datetime | None = Field(
        ..., description="Connexion, message ou action : la plus récente"
    )
    risk: RiskOut | None


class PortfolioPage(Schema):
    items: list[PortfolioRowOut]
    count: int
    next: str | None


class FileQuery(Schema):
    period_days: Literal[7, 30, 90] = Field(30, description="Période des indicateurs")


class ActionFigures(Schema):
    created: int
    late: int
    done: int


class AppointmentFigures(Schema):
    planned: int
    attended: int
    missed: int


class MessageFigures(Schema):
    from_young_person: int
    from_counselor: int


class FileIndicators(Schema):
    period_days: int
    actions: ActionFigures
    appointments: AppointmentFigures
    messages: MessageFigures


class YoungPersonFileOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    email: str
    partner_id: str
    scheme: Scheme
    scheme_label: str
    start_date: datetime.date
    planned_end_date: datetime.date | None
    archived: bool
    activated: bool
    last_sign_in: datetime.datetime | None
    last_activity: datetime.datetime | None
    counselor: CounselorRefOut
    temporary: bool
    read_only: bool = Field(..., description="Vrai pour un collègue de la structure")
    counselor_history: list[ReassignmentOut]
    risk: RiskOut | None
    indicators: FileIndicators
