"""The young person's action forms: the three creation steps, edit and comment.

Forms only shape and check the input; services.py has the last word (its ServiceError messages
go back onto the field they name).
"""

import uuid
from datetime import date, timedelta

from django import forms

from passemploi.actions import catalogue
from passemploi.actions.enums import ActionCategory, ActionStatus
from passemploi.actions.models import TITLE_MAX
from passemploi.actions.nouns import ACTION, Noun
from passemploi.actions.services import COMMENT_MAX
from passemploi.actions.timeline import day_label
from passemploi.core.forms import BaseForm

CATEGORY_INVALID = "Choisissez une catégorie dans la liste."
TITLE_TOO_LONG = f"Le titre ne doit pas dépasser {TITLE_MAX} caractères."
DATE_INVALID = "Saisissez une date valide, par exemple 25/03/2026."
BATCH_DATE_HELP = "Format attendu : JJ/MM/AAAA. Elle s'ajoute aux dates cochées."


def title_required(noun: Noun) -> str:
    return f"Le titre {noun.of_the} est obligatoire."


def date_required(noun: Noun) -> str:
    return f"La date {noun.of_the} est obligatoire."


def no_description(noun: Noun) -> str:
    return (
        f"Cette {noun.one} ne contient aucune description : "
        "votre conseiller risque de ne pas pouvoir la valider."
    )


def is_batch(category, index, typed) -> bool:
    """A suggestion that may be created on several dates, kept as is (no title of one's own)."""
    try:
        chosen = catalogue.suggestion(category, int(index))
    except (TypeError, ValueError):
        return False
    typed = (typed or "").strip()
    return bool(chosen and chosen.batch and (not typed or typed == chosen.title))


# Step 3's quick picks: name -> days from today.
QUICK_DAYS = {"aujourdhui": 0, "demain": 1, "hier": -1}
QUICK_LABELS = {"aujourdhui": "Aujourd'hui", "demain": "Demain", "hier": "Hier"}
# Batch suggestions: the days offered as checkboxes, from 6 days ago to a week ahead.
BATCH_DAYS = range(-6, 8)

CREATE_STATUSES = [
    (ActionStatus.IN_PROGRESS.value, ActionStatus.IN_PROGRESS.label),
    (ActionStatus.DONE.value, ActionStatus.DONE.label),
]

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DATE_WIDGET,
        error_messages={"invalid": DATE_INVALID},
    )


class CategoryForm(BaseForm):
    """Step 1."""

    categorie = forms.ChoiceField(
        label="Catégorie",
        choices=ActionCategory.choices,
        error_messages={"required": CATEGORY_INVALID, "invalid_choice": CATEGORY_INVALID},
    )

    def __init__(self, *args, noun: Noun = ACTION, **kwargs):
        self.noun = noun
        super().__init__(*args, **kwargs)


class TitleForm(CategoryForm):
    """Step 2: a suggestion of the category, or a title of one's own (which then wins)."""

    suggestion = forms.TypedChoiceField(
        label="Choisissez une suggestion",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une suggestion dans la liste."},
    )
    titre = forms.CharField(
        label="Ou saisissez votre propre titre",
        required=False,
        max_length=TITLE_MAX,
        strip=True,
        help_text="S'il est rempli, il remplace la suggestion choisie.",
        error_messages={"max_length": TITLE_TOO_LONG},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que vous avez fait ou allez faire : elle aide votre conseiller à valider.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        category = self.data.get("categorie") if self.is_bound else self.initial.get("categorie")
        self.fields["suggestion"].choices = [
            (str(index), item.title)
            for index, item in enumerate(catalogue.SUGGESTIONS.get(category, []))
        ]
        self.fields["categorie"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        index = data.get("suggestion")
        chosen = catalogue.suggestion(data.get("categorie"), index) if index is not None else None
        typed = data.get("titre") or ""
        data["batch"] = is_batch(data.get("categorie"), index, typed)
        if typed:
            data["title"] = typed
        elif chosen is not None:
            data["title"] = chosen.title
            data["description"] = data.get("description") or chosen.description
        elif "titre" not in self.errors and "suggestion" not in self.errors:
            self.add_error("titre", title_required(self.noun))
        return data


class DateForm(TitleForm):
    """Step 3: the status, and the date (quick pick, typed date, or several for a batch)."""

    statut = forms.ChoiceField(
        label="Statut",
        choices=CREATE_STATUSES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez un statut : En cours ou Terminée.",
            "invalid_choice": "Choisissez un statut : En cours ou Terminée.",
        },
    )
    quand = forms.ChoiceField(
        label="Date",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une date dans la liste."},
    )
    date = _date_field(
        "Ou une autre date",
        help_text="Format attendu : JJ/MM/AAAA. Elle remplace le choix ci-dessus.",
    )
    dates = forms.MultipleChoiceField(
        label="Choisissez une ou plusieurs dates",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choisissez des dates dans la liste."},
    )
    # Makes a double submission (a flaky connection, a second tap) create the action once.
    client_id = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        for name in ("suggestion", "titre", "description"):
            self.fields[name].widget = forms.HiddenInput()
        if self.batch:
            # On the bound field, which copied the field's help text when it was created.
            self["date"].help_text = BATCH_DATE_HELP
        self.fields["quand"].choices = [
            (key, f"{QUICK_LABELS[key]} ({day_label(today + timedelta(days=days))})")
            for key, days in QUICK_DAYS.items()
        ]
        self.fields["dates"].choices = [
            (day.isoformat(), self._batch_label(day))
            for day in (today + timedelta(days=offset) for offset in BATCH_DAYS)
        ]

    def _batch_label(self, day) -> str:
        for key, days in QUICK_DAYS.items():
            if day == self.today + timedelta(days=days):
                return f"{day_label(day)} ({QUICK_LABELS[key].lower()})"
        return day_label(day)

    @property
    def batch(self) -> bool:
        """Whether this draft is a batch suggestion, before validation (for rendering)."""
        source = self.data if self.is_bound else self.initial
        return is_batch(source.get("categorie"), source.get("suggestion"), source.get("titre"))

    def clean_client_id(self):
        try:
            return uuid.UUID(self.cleaned_data["client_id"])
        except ValueError:
            return None  # not from our form: no idempotency, no error to show

    def clean(self):
        data = super().clean()
        typed_date = data.get("date")
        if "date" in self.errors or "quand" in self.errors or "dates" in self.errors:
            return data
        if data.get("batch"):
            days = {date.fromisoformat(value) for value in data.get("dates") or []}
            if typed_date:
                days.add(typed_date)
            data["due_dates"] = sorted(days)
        elif typed_date:
            data["due_dates"] = [typed_date]
        elif data.get("quand"):
            data["due_dates"] = [self.today + timedelta(days=QUICK_DAYS[data["quand"]])]
        else:
            data["due_dates"] = []
        if not data["due_dates"]:
            self.add_error("dates" if data.get("batch") else "quand", date_required(self.noun))
        return data


class EditForm(BaseForm):
    title = forms.CharField(
        label="Titre", max_length=TITLE_MAX, error_messages={"max_length": TITLE_TOO_LONG}
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(
        label="Catégorie",
        choices=ActionCategory.choices,
        error_messages={"invalid_choice": CATEGORY_INVALID, "required": CATEGORY_INVALID},
    )
    due_date = _date_field("Date", required=True, help_text="Format attendu : JJ/MM/AAAA")
    reminder = forms.BooleanField(label="Recevoir un rappel", required=False)

    def __init__(self, *args, noun: Noun = ACTION, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = title_required(noun)


class CommentForm(BaseForm):
    body = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX,
        error_messages={
            "required": "Le commentaire est vide.",
            "max_length": f"Le commentaire ne doit pas dépasser {COMMENT_MAX} caractères.",
        },
    )
