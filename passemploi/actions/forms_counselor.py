"""Forms of the counselor's action pages. They only parse input: the rules live in services,
whose refusals the views put back onto these forms' fields."""

from django import forms

from passemploi.actions.catalogue import PREDEFINED
from passemploi.actions.enums import ActionCategory, ActionStatus, QualificationCode
from passemploi.actions.models import TITLE_MAX
from passemploi.actions.services import COMMENT_MAX, MAX_HOURS, QUALIFICATION_COMMENT_MAX
from passemploi.core.forms import BaseForm

DATE_HELP = "Format attendu : JJ/MM/AAAA"
CATEGORY_CHOICES = [("", "Sélectionnez une catégorie")] + ActionCategory.choices


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def category_field(required=True, **kwargs):
    # The same messages as the services', which check again (and say what is too long).
    message = "Choisissez une catégorie dans la liste."
    return forms.ChoiceField(
        label="Catégorie",
        choices=CATEGORY_CHOICES,
        required=required,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def title_field(required=True, label="Titre", **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
        error_messages={"required": "Le titre de l'action est obligatoire."},
        **kwargs,
    )


def due_date_field():
    return forms.DateField(
        label="Échéance",
        help_text=DATE_HELP,
        widget=date_input(),
        error_messages={
            "required": "La date de l'action est obligatoire.",
            "invalid": "Saisissez une date valide, par exemple 31/12/2026.",
        },
    )


def optional_date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        help_text=DATE_HELP,
        widget=date_input(),
        error_messages={"invalid": "Saisissez une date valide, par exemple 31/12/2026."},
    )


class ActionFilterForm(BaseForm):
    status = forms.ChoiceField(
        label="Statut", choices=[("", "Tous les statuts")] + ActionStatus.choices, required=False
    )
    category = forms.ChoiceField(
        label="Catégorie",
        choices=[("", "Toutes les catégories")] + ActionCategory.choices,
        required=False,
    )

    def filters(self) -> dict:
        """The valid filters; an unknown value filters nothing."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class HourCounterForm(BaseForm):
    enabled = forms.BooleanField(required=False, widget=forms.HiddenInput)


def predefined_choices():
    """The catalogue grouped by category, each option's value its index in PREDEFINED."""
    groups: dict[str, list] = {}
    for index, (title, category) in enumerate(PREDEFINED):
        groups.setdefault(ActionCategory(category).label, []).append((str(index), title))
    return [("", "Aucune : je saisis un titre libre")] + list(groups.items())


class YoungPeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.last_name.upper()} {obj.user.first_name}"


class ActionCreateForm(BaseForm):
    young_people = YoungPeopleField(
        label="Bénéficiaires",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Une action est créée pour chaque bénéficiaire coché.",
        error_messages={
            "required": "Choisissez au moins un bénéficiaire.",
            "invalid_choice": "Ce bénéficiaire ne fait pas partie de votre portefeuille.",
            "invalid_pk_value": "Ce bénéficiaire ne fait pas partie de votre portefeuille.",
        },
    )
    predefined = forms.ChoiceField(
        label="Action du catalogue",
        choices=predefined_choices,
        required=False,
        help_text="Reprend le titre et la catégorie de l'action choisie.",
        error_messages={"invalid_choice": "Choisissez une action du catalogue."},
    )
    title = title_field(
        required=False,
        label="Titre libre",
        help_text=f"Obligatoire sans action du catalogue ; {TITLE_MAX} caractères au plus.",
    )
    category = category_field(
        required=False,
        help_text="Obligatoire sans action du catalogue ; sinon, celle de l'action choisie.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = due_date_field()

    def __init__(self, *args, young_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_people"].queryset = young_people

    def clean(self):
        data = super().clean()
        index = data.get("predefined")
        if index:
            if data.get("title"):
                self.add_error(
                    "title",
                    "Choisissez une action du catalogue ou saisissez un titre libre, pas les deux.",
                )
                return data
            title, category = PREDEFINED[int(index)]
            data["title"] = title
            data["category"] = data.get("category") or category
            return data
        # Without the catalogue, both are needed: say so at once rather than one at a time.
        if "title" in data and not data["title"]:
            self.add_error("title", "Choisissez une action du catalogue ou saisissez un titre.")
        if "category" in data and not data["category"]:
            self.add_error("category", "Choisissez une catégorie dans la liste.")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "young_people": list(data["young_people"]),
            "title": data["title"],
            "category": data["category"],
            "description": data["description"],
            "due_date": data["due_date"],
        }


class ActionEditForm(BaseForm):
    title = title_field()
    category = category_field()
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = due_date_field()
    start_date = optional_date_field("Date de début")
    reminder = forms.BooleanField(label="Rappel au bénéficiaire", required=False)

    FIELDS = ("title", "category", "description", "due_date", "start_date", "reminder")

    @classmethod
    def initial_for(cls, action) -> dict:
        return {name: getattr(action, name) for name in cls.FIELDS}


class CommentForm(BaseForm):
    body = forms.CharField(
        label="Votre commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
        help_text="Le bénéficiaire le voit sur son action.",
    )


class QualifyForm(BaseForm):
    code = forms.ChoiceField(
        label="Code de qualification",
        choices=QualificationCode.choices,
        required=False,  # preselected from the category, the service's default too
        error_messages={"invalid_choice": "Choisissez un code de qualification dans la liste."},
    )
    hours = forms.DecimalField(
        label="Nombre d'heures",
        required=False,
        min_value=0,
        max_value=MAX_HOURS,
        decimal_places=1,
        help_text="Une décimale au plus, par exemple 2.5. Une action non SNP compte 0 heure.",
        widget=forms.NumberInput(attrs={"step": "0.5"}),
        error_messages={
            "invalid": "Saisissez un nombre d'heures valide.",
            "min_value": "Le nombre d'heures doit être compris entre 0 et 99,9.",
            "max_value": "Le nombre d'heures doit être compris entre 0 et 99,9.",
            "max_decimal_places": "Une décimale au plus.",
        },
    )
    start_date = optional_date_field("Date de début")
    end_date = optional_date_field("Date de fin")
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        help_text=f"{QUALIFICATION_COMMENT_MAX} caractères au plus.",
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": QUALIFICATION_COMMENT_MAX}),
    )

    @staticmethod
    def initial_for(action, default_hours, default_comment) -> dict:
        code = action.category if action.category in QualificationCode.values else ""
        return {
            "code": code,
            "hours": default_hours,
            "start_date": action.start_date or action.end_date,
            "end_date": action.end_date,
            "comment": default_comment,
        }


UNREACHABLE_ACTION = "Une action sélectionnée n'existe plus ou ne vous est pas accessible."


class BulkQualifyForm(BaseForm):
    actions = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": UNREACHABLE_ACTION,
            "invalid_pk_value": UNREACHABLE_ACTION,
        },
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = actions
