"""Portfolio list and the young person's file in the API (same rules as the pages)."""

import uuid
import zoneinfo

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query

from passemploi.broadcasts.models import BroadcastList
from passemploi.core.api_support import counselor_caller, local_time
from passemploi.core.errors import ServiceError
from passemploi.portfolio.access import get_file_for_counselor
from passemploi.portfolio.api import ERRORS, _person, reassignment_out, router
from passemploi.portfolio.enums import RiskLevel
from passemploi.portfolio.files import XLSX, export_rows, file_summary, to_csv, to_xlsx
from passemploi.portfolio.listing import PortfolioFilter, portfolio_rows
from passemploi.portfolio.schemas_file import (
    FileQuery,
    PortfolioExportQuery,
    PortfolioFilters,
    PortfolioPage,
    YoungPersonFileOut,
)

SORTS = {"name": "nom", "hours": "heures", "activity": "activite", "risk": "risque"}
LEVELS = dict(RiskLevel.choices)


def _risk(level, score, reasons, computed_at=None) -> dict | None:
    if level is None:
        return None
    return {
        "level": level,
        "label": LEVELS[level],
        "score": score,
        "reasons": reasons,
        "computed_at": computed_at,
    }


def row_out(row) -> dict:
    hours = row.week_hours
    return {
        "id": row.pk,
        "first_name": row.user.first_name,
        "last_name": row.user.last_name,
        "email": row.user.email,
        "scheme": row.scheme,
        "scheme_label": row.get_scheme_display(),
        "activated": row.user.activated_at is not None,
        "temporary": row.is_temporary,
        "planned_end_date": row.planned_end_date,
        "end_passed": row.end_passed,
        "unread_by_counselor": row.unread_mine,
        "unread_by_young_person": row.unread_theirs,
        "hours_declared": float(hours.declared) if hours else None,
        "hours_validated": float(hours.validated) if hours else None,
        "actions_created": row.actions_created,
        "late_actions": row.late,
        "next_appointment": row.next_appointment,
        "last_activity": row.last_activity,
        "risk": _risk(row.risk_level, row.risk_score, row.risk_reasons),
    }


def _criteria(counselor, filters) -> PortfolioFilter:
    if (
        filters.broadcast_list_id is not None
        and not BroadcastList.objects.filter(pk=filters.broadcast_list_id, owner=counselor).exists()
    ):
        raise ServiceError(
            "broadcast_list_not_found",
            "Liste de diffusion introuvable.",
            "broadcast_list_id",
            status=404,
        )
    return PortfolioFilter(
        q=filters.q or "",
        scheme=filters.scheme or "",
        broadcast_list=str(filters.broadcast_list_id or ""),
        inactive_days=filters.inactive_days,
        risk=filters.risk or "",
        sort=SORTS[filters.sort],
        period=filters.period_days,
    )


@router.get(
    "/portfolio",
    response={200: PortfolioPage, **ERRORS},
    summary="Mon portefeuille",
    description=(
        "Les bénéficiaires que je suis, avec leurs indicateurs et leur risque de décrochage, "
        "filtrables, triables et paginés comme la page Portefeuille."
    ),
)
def list_portfolio(request, filters: Query[PortfolioFilters]):
    counselor = counselor_caller(request).counselor
    rows = portfolio_rows(counselor, _criteria(counselor, filters))
    limit, offset = filters.limit, filters.offset
    following = None
    if offset + limit < len(rows):
        query = request.GET.copy()
        query["limit"], query["offset"] = str(limit), str(offset + limit)
        following = f"{request.path}?{query.urlencode()}"
    return {
        "items": [row_out(row) for row in rows[offset : offset + limit]],
        "count": len(rows),
        "next": following,
    }


@router.get(
    "/portfolio/export",
    response=ERRORS,
    summary="Exporter mon portefeuille",
    description=(
        "Mon portefeuille filtré et trié comme `GET /portfolio` (toutes les lignes), en CSV ou "
        "XLSX ; une cellule commençant par = + - @ est précédée d'une apostrophe."
    ),
    openapi_extra={
        "responses": {
            "200": {
                "description": "Le fichier du portefeuille",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def export_portfolio(request, query: Query[PortfolioExportQuery]):
    counselor = counselor_caller(request).counselor
    rows = portfolio_rows(counselor, _criteria(counselor, query))
    zone = zoneinfo.ZoneInfo(counselor.structure.time_zone)
    table = export_rows(rows, zone)
    if query.format == "csv":
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(table), content_type=XLSX)
    day = timezone.now().astimezone(zone).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="portefeuille-{day}.{query.format}"'
    return response


@router.get(
    "/young-people/{uuid:young_person_id}/file",
    response={200: YoungPersonFileOut, **ERRORS},
    summary="Dossier d'un bénéficiaire",
    description=(
        "En-tête, historique des conseillers, risque de décrochage (recalculé) et indicateurs "
        "sur la période. Les collègues de la structure le lisent (`read_only`)."
    ),
)
def young_person_file(request, young_person_id: uuid.UUID, query: Query[FileQuery]):
    access = get_file_for_counselor(counselor_caller(request), young_person_id)
    yp = access.young_person
    summary = file_summary(yp, query.period_days)
    risk = summary["risk"]
    return {
        "id": yp.pk,
        "first_name": yp.user.first_name,
        "last_name": yp.user.last_name,
        "email": yp.user.email,
        "partner_id": yp.partner_id,
        "scheme": yp.scheme,
        "scheme_label": yp.get_scheme_display(),
        "start_date": yp.start_date,
        "planned_end_date": yp.planned_end_date,
        "archived": yp.is_archived,
        "activated": yp.user.activated_at is not None,
        "last_sign_in": summary["activity"]["last_sign_in"],
        "last_activity": summary["activity"]["last_activity"],
        "counselor": _person(yp.counselor),
        "temporary": yp.is_temporary,
        "read_only": not access.can_write,
        "counselor_history": [reassignment_out(row) for row in summary["history"]],
        "risk": _risk(risk.level, risk.score, risk.reasons, local_time(risk.computed_at, yp))
        if risk
        else None,
        "indicators": {"period_days": query.period_days, **summary["indicators"]},
    }
