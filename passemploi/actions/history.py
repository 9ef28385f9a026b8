"""An action's history as people read it: who, when, which field, old → new, in French."""

from dataclasses import dataclass
from datetime import datetime

from passemploi.accounts.access import young_person_of
from passemploi.actions.enums import ActionCategory

EVENTS = {
    "created": "Création",
    "updated": "Modification",
    "status": "Changement de statut",
    "qualified": "Qualification",
    "auto_qualified": "Qualification automatique",
}
FIELDS = {
    "title": "Titre",
    "description": "Description",
    "category": "Catégorie",
    "status": "Statut",
    "due_date": "Date",
    "start_date": "Date de début",
    "end_date": "Date de fin",
    "reminder": "Rappel",
    "qualification_code": "Code de qualification",
    "qualified_hours": "Heures qualifiées",
}
CATEGORY_LABELS = dict(ActionCategory.choices)
EMPTY = ("", "—", None)


@dataclass(frozen=True)
class Change:
    label: str
    old: str  # "" when the field had no value before
    new: str


@dataclass(frozen=True)
class Row:
    actor: str
    at: datetime
    event: str
    changes: list[Change]


def _value(name: str, value) -> str:
    if value in EMPTY:
        return ""
    if name == "category":
        return CATEGORY_LABELS.get(value, str(value))
    return str(value)


def actor_label(actor, viewer) -> str:
    if actor is None:
        return "Pass Emploi"
    if viewer is not None and actor.pk == viewer.pk:
        return "Vous"
    if young_person_of(actor) is not None:
        return actor.get_full_name()
    if young_person_of(viewer) is not None:
        return f"Votre conseiller, {actor.get_full_name()}"
    return actor.get_full_name()


def history_rows(action, viewer) -> list[Row]:
    """Oldest first; one query (the actors come along)."""
    rows = []
    for entry in action.history.select_related("actor__young_person", "actor__counselor"):
        changes = [
            Change(FIELDS.get(name, name), _value(name, old), _value(name, new))
            for name, (old, new) in (entry.changes or {}).items()
        ]
        rows.append(
            Row(
                actor_label(entry.actor, viewer),
                entry.at,
                EVENTS.get(entry.event, entry.event),
                changes,
            )
        )
    return rows
