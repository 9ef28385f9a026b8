"""The counselor's portfolio with its filters and sorts, shared by the page, the export and the
API. A portfolio holds at most a few hundred people: every row is read with all its figures in
one query (plus one per hour counter source), then sorted in memory, so any sort (hours included)
costs the same fixed number of queries."""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone

from passemploi.accounts.access import portfolio_of
from passemploi.accounts.enums import Scheme
from passemploi.actions.counter import Week, hours_for
from passemploi.broadcasts.models import BroadcastList
from passemploi.core.forms import BaseForm
from passemploi.portfolio.enums import RiskLevel
from passemploi.portfolio.signals import with_portfolio_figures

SORTS = {
    "nom": "Nom",
    "heures": "Heures déclarées",
    "activite": "Inactivité la plus longue",
    "risque": "Risque le plus élevé",
}
PERIODS = {7: "7 derniers jours", 30: "30 derniers jours", 90: "90 derniers jours"}
RISK_ORDER = {RiskLevel.HIGH: 0, RiskLevel.MEDIUM: 1, RiskLevel.LOW: 2, None: 3}


@dataclass
class PortfolioFilter:
    q: str = ""
    scheme: str = ""
    broadcast_list: str = ""
    inactive_days: int | None = None
    risk: str = ""
    sort: str = "nom"
    period: int = 7


class PortfolioFilterForm(BaseForm):
    q = forms.CharField(label="Rechercher un nom", required=False, max_length=100)
    dispositif = forms.ChoiceField(
        label="Dispositif", required=False, choices=[("", "Tous")] + Scheme.choices
    )
    liste = forms.ChoiceField(label="Liste de diffusion", required=False)
    inactif = forms.IntegerField(
        label="Inactif depuis plus de (jours)",
        required=False,
        min_value=1,
        max_value=365,
        error_messages={
            "invalid": "Indiquez un nombre de jours.",
            "min_value": "Indiquez au moins 1 jour.",
            "max_value": "Indiquez au plus 365 jours.",
        },
    )
    risque = forms.ChoiceField(
        label="Risque de décrochage", required=False, choices=[("", "Tous")] + RiskLevel.choices
    )
    tri = forms.ChoiceField(label="Trier par", required=False, choices=list(SORTS.items()))
    periode = forms.TypedChoiceField(
        label="Actions créées sur",
        required=False,
        coerce=int,
        empty_value=7,
        choices=list(PERIODS.items()),
    )

    def __init__(self, data, counselor, **kwargs):
        super().__init__(data, **kwargs)
        lists = BroadcastList.objects.filter(owner=counselor).order_by("name")
        self.fields["liste"].choices = [("", "Toutes")] + [
            (str(pk), name) for pk, name in lists.values_list("pk", "name")
        ]

    def to_filter(self) -> PortfolioFilter:
        """The valid criteria; an invalid one is dropped (its error is shown by the page)."""
        self.is_valid()
        data = self.cleaned_data
        return PortfolioFilter(
            q=data.get("q") or "",
            scheme=data.get("dispositif") or "",
            broadcast_list=data.get("liste") or "",
            inactive_days=data.get("inactif"),
            risk=data.get("risque") or "",
            sort=data.get("tri") or "nom",
            period=data.get("periode") or 7,
        )


def _today(counselor, now: datetime) -> date:
    return now.astimezone(zoneinfo.ZoneInfo(counselor.structure.time_zone)).date()


def portfolio_rows(counselor, criteria: PortfolioFilter, now: datetime | None = None) -> list:
    """The filtered, sorted portfolio; each young person carries the figures of the page."""
    now = now or timezone.now()
    today = _today(counselor, now)
    young_people = portfolio_of(counselor).select_related("user")
    for word in criteria.q.split():
        young_people = young_people.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        )
    if criteria.scheme:
        young_people = young_people.filter(scheme=criteria.scheme)
    if criteria.broadcast_list:
        young_people = young_people.filter(
            broadcast_lists__pk=criteria.broadcast_list, broadcast_lists__owner=counselor
        )
    if criteria.risk:
        young_people = young_people.filter(dropout_risk__level=criteria.risk)
    young_people = with_portfolio_figures(
        young_people, today=today, now=now, since=now - timedelta(days=criteria.period)
    )
    if criteria.inactive_days:
        cutoff = now - timedelta(days=criteria.inactive_days)
        young_people = young_people.filter(
            Q(last_activity__lt=cutoff) | Q(last_activity__isnull=True)
        )
    rows = list(young_people.order_by("user__last_name", "user__first_name", "id"))
    # Every row's hours in one query per source (the counselor sees them whether or not the
    # counter is shown to the young person).
    hours = hours_for([row.pk for row in rows], Week.of(today))
    for row in rows:
        row.week_hours = hours[row.pk]
        row.end_passed = bool(row.planned_end_date and row.planned_end_date < today)
    return _sorted(rows, criteria.sort)


def _sorted(rows: list, sort: str) -> list:
    if sort == "heures":
        return sorted(rows, key=lambda row: -(row.week_hours.declared if row.week_hours else -1))
    if sort == "activite":
        return sorted(rows, key=lambda row: (row.last_activity is not None, row.last_activity))
    if sort == "risque":
        return sorted(rows, key=lambda row: (RISK_ORDER[row.risk_level], -(row.risk_score or 0)))
    return rows
