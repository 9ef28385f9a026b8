"""The young person's file (dossier) and the portfolio export: reads shared by pages and API."""

import csv
import io
import zoneinfo
from datetime import timedelta

from django.utils import timezone
from openpyxl import Workbook

from passemploi.accounts.models import YoungPerson
from passemploi.core.spreadsheet import spreadsheet_safe
from passemploi.portfolio.enums import RiskLevel
from passemploi.portfolio.models import Reassignment
from passemploi.portfolio.risk import refresh_one
from passemploi.portfolio.signals import period_indicators, with_activity


def file_summary(young_person, period_days: int, now=None) -> dict:
    """Header, counselor history, risk (computed now) and indicators over the last days."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(young_person.structure.time_zone)
    activity = with_activity(YoungPerson.objects.filter(pk=young_person.pk)).values(
        "last_sign_in", "last_message_at", "last_activity"
    )[0]
    history = list(
        Reassignment.objects.filter(young_person=young_person)
        .select_related("from_counselor__user", "to_counselor__user")
        .order_by("created_at", "id")
    )
    risk = None if young_person.is_archived else refresh_one(young_person)
    return {
        "activity": activity,
        "history": history,
        "risk": risk,
        "period_days": period_days,
        "indicators": period_indicators(
            young_person,
            start=now - timedelta(days=period_days),
            end=now,
            today=now.astimezone(zone).date(),
            zone=zone,
        ),
    }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_COLUMNS = [
    "Nom",
    "Prénom",
    "E-mail",
    "Dispositif",
    "Compte activé",
    "Suivi temporaire",
    "Fin prévue",
    "Messages non lus (conseiller)",
    "Messages non lus (jeune)",
    "Heures déclarées cette semaine",
    "Heures validées cette semaine",
    "Actions créées",
    "Actions en retard",
    "Prochain rendez-vous",
    "Dernière activité",
    "Risque de décrochage",
    "Raisons",
]


def _local(moment, zone) -> str:
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M") if moment else ""


def export_rows(rows, zone) -> list[list]:
    """One list of plain cells per young person, every text made formula-safe."""
    levels = dict(RiskLevel.choices)
    table = []
    for row in rows:
        hours = row.week_hours
        cells = [
            row.user.last_name,
            row.user.first_name,
            row.user.email,
            row.get_scheme_display(),
            "oui" if row.user.activated_at else "non",
            "oui" if row.is_temporary else "non",
            row.planned_end_date.strftime("%d/%m/%Y") if row.planned_end_date else "",
            row.unread_mine,
            row.unread_theirs,
            float(hours.declared) if hours else "",
            float(hours.validated) if hours else "",
            row.actions_created,
            row.late,
            _local(row.next_appointment, zone),
            _local(row.last_activity, zone),
            levels.get(row.risk_level, ""),
            " ; ".join(row.risk_reasons or []),
        ]
        table.append([spreadsheet_safe(c) if isinstance(c, str) else c for c in cells])
    return table


def to_csv(table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(table)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Portefeuille"
    sheet.append(EXPORT_COLUMNS)
    for cells in table:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
