import csv
from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from passemploi.accounts.enums import StructureKind
from passemploi.accounts.models import Structure
from passemploi.core.errors import ServiceError
from passemploi.stats import charts, dashboard
from passemploi.stats.access import impact_structures
from passemploi.stats.enums import Measure
from passemploi.stats.impact import Period
from passemploi.stats.public import Stats, hide
from passemploi.stats.regions import region_name
from passemploi.stats.services import ZONE

PERIODS = {"30": "30 derniers jours", "90": "3 derniers mois", "365": "12 derniers mois"}


def _chart(chart_id, title, weeks, series, percent=False):
    summary = " ".join(charts.summarise(label, weeks, values, percent) for label, values in series)
    return {
        "id": chart_id,
        "title": title,
        "summary": summary,
        "svg": charts.line_chart(chart_id, title, summary, weeks, series, percent),
        "labels": [label for label, _ in series],
        "rows": [
            (week, [_cell(values[i], percent) for _, values in series])
            for i, week in enumerate(weeks)
        ],
    }


def _cell(value, percent):
    if isinstance(value, float) and percent:
        return f"{value * 100:.0f} %"
    return value


@login_not_required
@require_GET
@transaction.non_atomic_requests  # read-only: no transaction to open
def public(request):
    stats = Stats()
    weeks = stats.weeks
    by_kind = [
        (str(kind.label), [hide(v) for v in stats.series(Measure.ACTIVE_YOUNG_PEOPLE, kind)])
        for kind in StructureKind
    ]
    rates = stats.rates()
    acts = [
        (label, [hide(v) for v in stats.series(measure)])
        for measure, label in (
            (Measure.MESSAGES, "Messages"),
            (Measure.ACTIONS_CREATED, "Actions créées"),
            (Measure.APPOINTMENTS_HELD, "Rendez-vous honorés"),
            (Measure.OFFERS_FOLLOWED, "Offres suivies"),
        )
    ]
    regions = [
        (name, hide(stats.value(Measure.USING_YOUNG_PEOPLE, region=code)))
        for _, code, name in stats.slices()
        if code
    ]
    regions_summary = "Jeunes ayant utilisé l'application au cours des 6 dernières semaines : " + (
        " ; ".join(f"{name} {value}" for name, value in regions)
    )
    context = {
        "headlines": stats.headlines(),
        "week": stats.last,
        "charts": [
            _chart(
                "jeunes-par-type",
                "Jeunes actifs par semaine et par type de structure",
                weeks,
                by_kind,
            ),
            _chart(
                "engagement",
                "Engagement des jeunes",
                weeks,
                [
                    ("Actifs au moins 2 jours dans la semaine", rates["engaged_share"]),
                    ("Actifs 3 semaines sur les 6 dernières", rates["regular_share"]),
                ],
                percent=True,
            ),
            _chart("activite", "Activité par semaine", weeks, acts),
        ],
        "regions": regions,
        "regions_svg": charts.bar_chart(
            "regions", "Jeunes utilisant l'application par région", regions_summary, regions
        ),
        "regions_summary": regions_summary,
        "region_name": region_name,
    }
    return render(request, "stats/public.html", context)


@login_not_required
@require_GET
@transaction.non_atomic_requests  # read-only: no transaction to open
def download(request):
    measure = request.GET.get("mesure", "")
    if measure and measure not in Measure.values:
        return HttpResponse(
            "Mesure inconnue : consultez la liste dans la documentation des statistiques.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"pass-emploi-statistiques{'-' + measure if measure else ''}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["semaine", "type_structure", "region", "mesure", "valeur"])
    writer.writerows(Stats().csv_rows(measure or None))
    return response


def impact(request):
    try:
        structure_ids, structure = impact_structures(request.user, request.GET.get("structure"))
    except ServiceError as exc:
        raise PermissionDenied(exc.message) from exc
    choice = request.GET.get("periode", "90")
    error = None
    if choice not in PERIODS:
        error, choice = "Choisissez une période dans la liste.", "90"
    today = timezone.localtime(timezone.now(), ZONE).date()
    period = Period(today + timedelta(days=1) - timedelta(days=int(choice)), today + timedelta(1))
    context = {
        "rows": dashboard.build(structure_ids, period),
        "period": period,
        "previous": period.previous(),
        "last_day": period.end - timedelta(days=1),
        "periods": PERIODS,
        "choice": choice,
        "error": error,
        "structure": structure,
        "is_staff": request.user.is_staff,
        "structures": Structure.objects.order_by("name") if request.user.is_staff else (),
        "base": "core/base.html" if request.user.is_staff else "core/counselor_base.html",
        "active_section": "impact",
    }
    return render(request, "stats/impact.html", context)
