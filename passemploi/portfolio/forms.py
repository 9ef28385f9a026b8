from django import forms

from passemploi.accounts.enums import Scheme
from passemploi.core.forms import BaseForm


class IdentityForm(BaseForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Le lien d'activation du compte y sera envoyé. Format attendu : nom@exemple.fr",
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
        },
    )


class YoungPersonCreateForm(IdentityForm):
    scheme = forms.ChoiceField(
        label="Dispositif", choices=[("", "Sélectionnez un dispositif")] + Scheme.choices
    )
    planned_end_date = forms.DateField(
        label="Date de fin prévue de l'accompagnement",
        required=False,
        help_text="Format attendu : JJ/MM/AAAA",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    partner_id = forms.CharField(
        label="Identifiant partenaire",
        required=False,
        max_length=64,
        help_text="Numéro de dossier i-milo ou identifiant France Travail",
    )


class CounselorCreateForm(IdentityForm):
    is_supervisor = forms.BooleanField(label="Superviseur de la structure", required=False)
