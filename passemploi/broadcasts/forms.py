"""The forms of the broadcast pages: a list (name and members), a group message, the notice."""

import uuid

from django import forms

from passemploi.broadcasts.models import NAME_MAX, NOTICE_MAX
from passemploi.broadcasts.services import BODY_MAX
from passemploi.core.forms import BaseForm

NOT_YOURS = "Ce bénéficiaire ne fait pas partie de votre portefeuille."


class YoungPeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.user.last_name.upper()} {obj.user.first_name}"


class ListsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        count = obj.member_count
        return f"{obj.name} ({count} bénéficiaire{'s' if count > 1 else ''})"


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def young_people_field(**kwargs):
    return YoungPeopleField(
        queryset=None,
        required=False,
        error_messages={"invalid_choice": NOT_YOURS, "invalid_pk_value": NOT_YOURS},
        **kwargs,
    )


class ListForm(BaseForm):
    name = forms.CharField(
        label="Nom de la liste",
        max_length=NAME_MAX,
        help_text=f"Par exemple « Atelier CV du jeudi » ; {NAME_MAX} caractères au plus.",
        error_messages={
            "required": "Donnez un nom à la liste.",
            "max_length": f"Le nom ne doit pas dépasser {NAME_MAX} caractères.",
        },
    )
    members = young_people_field(label="Bénéficiaires de la liste")

    def __init__(self, *args, young_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = young_people


class GroupMessageForm(BaseForm):
    young_people = young_people_field(
        label="Bénéficiaires", help_text="Cochez les bénéficiaires, les listes, ou les deux."
    )
    lists = ListsField(
        label="Listes de diffusion",
        queryset=None,
        required=False,
        help_text="Chaque bénéficiaire reçoit le message une seule fois.",
        error_messages={
            "invalid_choice": "Cette liste n'existe pas.",
            "invalid_pk_value": "Cette liste n'existe pas.",
        },
    )
    body = forms.CharField(
        label="Votre message",
        max_length=BODY_MAX,
        required=False,
        strip=True,
        help_text="Chacun le reçoit dans sa propre conversation avec vous.",
        error_messages={"max_length": f"Le message ne doit pas dépasser {BODY_MAX} caractères."},
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": BODY_MAX}),
    )
    attachment = forms.FileField(
        label="Pièce jointe",
        required=False,
        help_text="PDF, PNG, JPEG ou WebP, 5 Mo au plus. Chacun en reçoit une copie.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg,image/webp"}
        ),
    )
    # Generated with the page: a double submit of the same form sends nothing twice.
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, young_people, lists, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["young_people"].queryset = young_people
        self.fields["lists"].queryset = lists


class NoticeForm(BaseForm):
    text = forms.CharField(
        label="Message important",
        max_length=NOTICE_MAX,
        strip=True,
        help_text=(
            "Affiché en tête de la conversation de chacun de vos bénéficiaires ; "
            f"{NOTICE_MAX} caractères au plus."
        ),
        error_messages={
            "required": "Saisissez le texte du message.",
            "max_length": f"Le texte ne doit pas dépasser {NOTICE_MAX} caractères.",
        },
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTICE_MAX}),
    )
    starts_on = forms.DateField(
        label="Afficher à partir du",
        widget=date_input(),
        error_messages={
            "required": "Indiquez la date de début.",
            "invalid": "Saisissez une date valide.",
        },
    )
    ends_on = forms.DateField(
        label="Jusqu'au (inclus)",
        widget=date_input(),
        error_messages={
            "required": "Indiquez la date de fin.",
            "invalid": "Saisissez une date valide.",
        },
    )
