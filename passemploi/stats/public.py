"""What the public page, its CSV and the public API show: read from WeeklyStat only (two
queries whatever the history), with small numbers hidden."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Sum

from passemploi.accounts.enums import StructureKind
from passemploi.stats.enums import Measure
from passemploi.stats.models import WeeklyStat
from passemploi.stats.regions import REGIONS, region_name
from passemploi.stats.services import current_week

SMALL = 10
HIDDEN = "< 10"
WEEKS = 52
HEADLINES = [
    (Measure.ACTIVE_YOUNG_PEOPLE, Measure.TOTAL_YOUNG_PEOPLE, "Jeunes utilisant l'application"),
    (Measure.ACTIVE_COUNSELORS, Measure.TOTAL_COUNSELORS, "Conseillers utilisant l'application"),
    (Measure.MESSAGES, None, "Messages échangés"),
    (Measure.ACTIONS_CREATED, None, "Actions créées"),
    (Measure.APPOINTMENTS_HELD, None, "Rendez-vous honorés"),
    (Measure.OFFERS_FOLLOWED, None, "Offres suivies"),
]
SUMMED = [
    Measure.MESSAGES,
    Measure.ACTIONS_CREATED,
    Measure.APPOINTMENTS_HELD,
    Measure.OFFERS_FOLLOWED,
]


def hide(value: int | None) -> int | str | None:
    """Counts under 10 are published as "< 10" (people could be recognised)."""
    if value is None:
        return None
    return HIDDEN if value < SMALL else value


def share(numerator: int, denominator: int) -> float | str | None:
    """A share is hidden when either count is under 10."""
    if not denominator:
        return None
    if numerator < SMALL or denominator < SMALL:
        return HIDDEN
    return round(numerator / denominator, 3)


class Stats:
    """The weekly series of the last 52 weeks, by slice."""

    def __init__(self, now=None):
        self.last = current_week(now)
        self.weeks = [self.last - timedelta(days=7 * i) for i in range(WEEKS - 1, -1, -1)]
        self.values = defaultdict(dict)  # (structure_kind, region, measure) -> {week: value}
        rows = WeeklyStat.objects.filter(week__gte=self.weeks[0], week__lte=self.last)
        for week, sk, rg, measure, value in rows.values_list(
            "week", "structure_kind", "region", "measure", "value"
        ):
            self.values[(sk, rg, measure)][week] = value
        self.sums = dict(
            WeeklyStat.objects.filter(structure_kind="", region="", measure__in=SUMMED)
            .values_list("measure")
            .annotate(total=Sum("value"))
            .order_by()
        )

    def series(self, measure, structure_kind="", region="") -> list[int]:
        found = self.values.get((structure_kind, region, measure), {})
        return [found.get(week, 0) for week in self.weeks]

    def value(self, measure, week=None, structure_kind="", region="") -> int:
        return self.values.get((structure_kind, region, measure), {}).get(week or self.last, 0)

    def headlines(self) -> list[dict]:
        items = []
        for weekly, total, label in HEADLINES:
            since = self.value(total) if total else self.sums.get(weekly, 0)
            items.append(
                {
                    "code": weekly.value,
                    "label": label,
                    "week": hide(self.value(weekly)),
                    "since_start": hide(since),
                }
            )
        return items

    def rates(self, structure_kind="", region="") -> dict[str, list]:
        engaged = self.series(Measure.ENGAGED_YOUNG_PEOPLE, structure_kind, region)
        active = self.series(Measure.ACTIVE_YOUNG_PEOPLE, structure_kind, region)
        regular = self.series(Measure.REGULAR_YOUNG_PEOPLE, structure_kind, region)
        using = self.series(Measure.USING_YOUNG_PEOPLE, structure_kind, region)
        return {
            "engaged_share": [share(e, u) for e, u in zip(engaged, using, strict=True)],
            "regular_share": [share(r, u) for r, u in zip(regular, using, strict=True)],
            "active": active,
        }

    def slices(self):
        """(structure_kind, region, label) for every published slice."""
        yield "", "", "Toutes structures, France entière"
        for kind in StructureKind:
            yield kind.value, "", str(kind.label)
        for code in REGIONS:
            yield "", code, region_name(code)

    def csv_rows(self, measure=None):
        for sk, rg, _ in self.slices():
            for m in Measure:
                if measure and m != measure:
                    continue
                for week, value in zip(self.weeks, self.series(m, sk, rg), strict=True):
                    yield [week.isoformat(), sk or "TOUS", rg or "TOUTES", m.value, hide(value)]
