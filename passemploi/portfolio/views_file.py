"""The young person's file and the portfolio export (pages)."""

import zoneinfo

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from passemploi.accounts.access import counselor_required
from passemploi.core.forms import BaseForm
from passemploi.portfolio.access import get_file_for_counselor
from passemploi.portfolio.files import XLSX, export_rows, file_summary, to_csv, to_xlsx
from passemploi.portfolio.listing import PERIODS, PortfolioFilterForm, portfolio_rows


class PeriodForm(BaseForm):
    periode = forms.TypedChoiceField(
        label="Période des indicateurs",
        required=False,
        coerce=int,
        empty_value=30,
        initial=30,
        choices=list(PERIODS.items()),
    )

    def days(self) -> int:
        return self.cleaned_data.get("periode") or 30 if self.is_valid() else 30


@counselor_required
def young_person_file(request, pk):
    access = get_file_for_counselor(request.user, pk)
    period = PeriodForm(request.GET or None)
    summary = file_summary(access.young_person, period.days())
    return render(
        request,
        "portfolio/file.html",
        {
            "yp": access.young_person,
            "access": access,
            "period": period,
            **summary,
            "active_section": "portfolio",
        },
    )


@counselor_required
def export(request, fmt):
    counselor = request.user.counselor
    criteria = PortfolioFilterForm(request.GET, counselor).to_filter()
    zone = zoneinfo.ZoneInfo(counselor.structure.time_zone)
    table = export_rows(portfolio_rows(counselor, criteria), zone)
    day = timezone.now().astimezone(zone).date().isoformat()
    if fmt == "csv":
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="portefeuille-{day}.{fmt}"'
    return response
