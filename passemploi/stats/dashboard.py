"""The impact dashboard's content: each measure with its definition, count basis and the value
of the previous period. Shared by the page and the API."""

from dataclasses import dataclass

from passemploi.stats import impact
from passemploi.stats.impact import Period, Ratio

MEASURES = [
    (
        "dropout",
        "Décrochage",
        "Part des jeunes accompagnés sur la période archivés pendant la période pour « Non-respect "
        "des engagements ou abandon », ou toujours suivis mais sans aucune activité dans "
        "l'application pendant les 30 derniers jours de la période.",
        "jeunes accompagnés sur la période",
        impact.dropout,
        False,
    ),
    (
        "active",
        "Jeunes actifs",
        "Part des jeunes accompagnés sur la période ayant eu au moins une activité dans "
        "l'application (connexion, message, action, rendez-vous honoré, offre suivie).",
        "jeunes accompagnés sur la période",
        impact.active,
        True,
    ),
    (
        "own_actions",
        "Actions créées par les jeunes",
        "Part des actions créées pendant la période dont l'auteur est le jeune lui-même.",
        "actions créées sur la période",
        impact.actions_by_young_people,
        True,
    ),
    (
        "started_exchanges",
        "Échanges lancés par les jeunes",
        "Part des échanges de messagerie ouverts par le jeune : un message ouvre un échange "
        "s'il est le premier de la conversation ou s'il suit le précédent de plus de 24 heures.",
        "échanges ouverts sur la période",
        impact.exchanges_started_by_young_people,
        True,
    ),
    (
        "hours",
        "Heures déclarées par semaine",
        "Moyenne des heures déclarées (actions et rendez-vous) par jeune et par semaine, sur les 4 "
        "dernières semaines complètes de la période, pour les jeunes dont le compteur d'heures est "
        "activé.",
        "semaines-jeunes",
        impact.hours_per_week,
        True,
    ),
    (
        "durable_job_days",
        "Délai d'accès à l'emploi durable",
        "Médiane du nombre de jours entre le début de l'accompagnement et la date de fin, pour "
        "les sorties de la période classées emploi durable (CDI, CDD ou CTT de 6 mois ou plus, "
        "emploi durable de plus de 6 mois).",
        "sorties en emploi durable",
        impact.days_to_durable_job,
        False,
    ),
    (
        "positive_exits",
        "Sorties positives",
        "Part des sorties de la période dont le motif est positif : emploi (durable ou court), "
        "formation, service civique, création d'entreprise, entrée en ESAT.",
        "sorties sur la période",
        impact.positive_exits,
        True,
    ),
]
SMALL = 10


@dataclass
class Figure:
    value: float | None
    basis: int

    def shown(self, is_share: bool) -> str:
        if self.value is None:
            return "Pas de donnée"
        if self.basis < SMALL:
            return "< 10"
        if is_share:
            return f"{self.value * 100:.0f} %".replace(".", ",")
        return f"{self.value:.1f}".replace(".", ",")


def _figure(result) -> Figure:
    if isinstance(result, Ratio):
        return Figure(result.value, result.denominator)
    value, basis = result
    return Figure(value, basis)


@dataclass
class Row:
    code: str
    label: str
    definition: str
    basis_label: str
    is_share: bool
    higher_is_better: bool
    current: Figure
    previous: Figure

    @property
    def current_shown(self) -> str:
        return self.current.shown(self.is_share)

    @property
    def previous_shown(self) -> str:
        return self.previous.shown(self.is_share)

    @property
    def trend(self) -> str:
        c, p = self.current, self.previous
        if c.value is None or p.value is None or min(c.basis, p.basis) < SMALL:
            return "Comparaison impossible"
        if round(c.value, 3) == round(p.value, 3):
            return "Stable"
        up = c.value > p.value
        better = up == self.higher_is_better
        return f"{'En hausse' if up else 'En baisse'} ({'mieux' if better else 'moins bien'})"


def build(structure_ids, period: Period) -> list[Row]:
    rows = []
    for code, label, definition, basis, function, higher in MEASURES:
        current = _figure(function(structure_ids, period))
        previous = _figure(function(structure_ids, period.previous()))
        is_share = code not in ("hours", "durable_job_days")
        rows.append(Row(code, label, definition, basis, is_share, higher, current, previous))
    return rows
