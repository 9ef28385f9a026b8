"""/api/v1/stats: the public statistics (no authentication) and the impact measures (supervisors
for their structure, support for all)."""

from datetime import timedelta
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from passemploi.accounts.schemas import ErrorOut
from passemploi.core.errors import ServiceError
from passemploi.stats import dashboard
from passemploi.stats.access import impact_structures
from passemploi.stats.enums import Measure
from passemploi.stats.impact import Period
from passemploi.stats.public import Stats, hide
from passemploi.stats.services import ZONE

PERIOD_DAYS = (30, 90, 365)
router = Router(tags=["Statistiques"])
Count = int | str  # a count, or "< 10" when it is hidden


class StatsHeadlineOut(Schema):
    code: str = Field(..., examples=["messages"])
    label: str = Field(..., examples=["Messages échangés"])
    week: Count = Field(..., description="Semaine en cours ; « < 10 » si masqué", examples=[1520])
    since_start: Count = Field(..., examples=[48210])


class StatsSummaryOut(Schema):
    week: str = Field(..., description="Lundi de la semaine en cours", examples=["2026-11-23"])
    headlines: list[StatsHeadlineOut]


class StatsPointOut(Schema):
    week: str = Field(..., examples=["2026-11-23"])
    value: Count = Field(..., examples=[312])


class StatsSeriesOut(Schema):
    measure: str = Field(..., examples=["active_young_people"])
    structure_kind: str = Field(..., examples=["MISSION_LOCALE"])
    region: str = Field(..., examples=["84"])
    points: list[StatsPointOut]


class StatsSeriesQuery(Schema):
    measure: Measure = Field(Measure.ACTIVE_YOUNG_PEOPLE, description="Mesure (docs/statistics.md)")
    structure_kind: Literal["", "MISSION_LOCALE", "FRANCE_TRAVAIL", "CONSEIL_DEPARTEMENTAL"] = (
        Field("", description="Type de structure ; vide pour toutes")
    )
    region: str = Field("", max_length=3, pattern=r"^[0-9]{0,2}$", description="Code région INSEE")


class ImpactFigureOut(Schema):
    value: float | None = Field(..., description="Part (0 à 1), jours ou heures", examples=[0.42])
    shown: str = Field(..., description="Valeur affichée, « < 10 » si base trop faible")
    basis: int = Field(..., examples=[120])


class ImpactMeasureOut(Schema):
    code: str = Field(..., examples=["positive_exits"])
    label: str
    definition: str
    basis_label: str
    current: ImpactFigureOut
    previous: ImpactFigureOut
    trend: str = Field(..., examples=["En hausse (mieux)"])


class ImpactOut(Schema):
    start: str = Field(..., examples=["2026-09-01"])
    end: str = Field(..., description="Premier jour après la période", examples=["2026-11-30"])
    structure_id: str | None
    measures: list[ImpactMeasureOut]


class ImpactQuery(Schema):
    days: int = Field(90, description="Longueur de la période, en jours : 30, 90 ou 365")
    structure_id: str = Field(
        "", max_length=36, description="Structure (support seulement) ; vide pour toutes"
    )


@router.get(
    "/stats",
    auth=None,
    response={200: StatsSummaryOut},
    summary="Chiffres clés publics",
    description="Jeunes et conseillers actifs, messages, actions, rendez-vous et offres suivies : "
    "semaine en cours et depuis le début. Effectifs inférieurs à 10 masqués.",
)
def stats_summary(request):
    stats = Stats()
    return {"week": stats.last.isoformat(), "headlines": stats.headlines()}


@router.get(
    "/stats/series",
    auth=None,
    response={200: StatsSeriesOut, 422: ErrorOut},
    summary="Série hebdomadaire publique",
    description="Une mesure sur les 52 dernières semaines, pour un type de structure ou une "
    "région ; valeurs inférieures à 10 masquées (« < 10 »).",
)
def stats_series(request, query: Query[StatsSeriesQuery]):
    stats = Stats()
    values = stats.series(query.measure, query.structure_kind, query.region)
    return {
        "measure": query.measure.value,
        "structure_kind": query.structure_kind,
        "region": query.region,
        "points": [
            {"week": w.isoformat(), "value": hide(v)}
            for w, v in zip(stats.weeks, values, strict=True)
        ],
    }


def _figure(figure, is_share):
    return {"value": figure.value, "shown": figure.shown(is_share), "basis": figure.basis}


@router.get(
    "/stats/impact",
    response={200: ImpactOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Mesures d'impact",
    description="Décrochage, engagement et autonomie, délai d'accès à l'emploi durable, sorties "
    "positives, avec la période précédente. Superviseurs (leur structure) et support.",
)
def stats_impact(request, query: Query[ImpactQuery]):
    structure_ids, structure = impact_structures(request.auth, query.structure_id or None)
    if query.days not in PERIOD_DAYS:
        raise ServiceError(
            "invalid_period", "Choisissez une période de 30, 90 ou 365 jours.", "days", status=422
        )
    today = timezone.localtime(timezone.now(), ZONE).date()
    end = today + timedelta(days=1)
    period = Period(end - timedelta(days=query.days), end)
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "structure_id": str(structure.pk) if structure else None,
        "measures": [
            {
                "code": row.code,
                "label": row.label,
                "definition": row.definition,
                "basis_label": row.basis_label,
                "current": _figure(row.current, row.is_share),
                "previous": _figure(row.previous, row.is_share),
                "trend": row.trend,
            }
            for row in dashboard.build(structure_ids, period)
        ],
    }
