from django import forms

from passemploi.accounts.enums import Scheme
from passemploi.core.forms import BaseForm
from passemploi.portfolio.enums import ArchiveReason


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


class ReassignSourceForm(BaseForm):
    """Step 1 of a reassignment: whose young people move."""

    source = forms.ModelChoiceField(
        label="Conseiller d'origine",
        queryset=None,
        empty_label="Sélectionnez un conseiller",
        error_messages={"invalid_choice": "Choisissez un conseiller de votre structure."},
    )

    def __init__(self, *args, counselors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = counselors
        self.fields["source"].label_from_instance = lambda c: c.user.get_full_name()


class ReassignForm(BaseForm):
    """Step 2: which young people, to whom, definitively or for a while."""

    young_people = forms.ModelMultipleChoiceField(
        label="Bénéficiaires à réaffecter",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un bénéficiaire.",
            "invalid_choice": "Un des bénéficiaires choisis n'est plus suivi par ce conseiller.",
        },
    )
    target = forms.ModelChoiceField(
        label="Nouveau conseiller",
        queryset=None,
        empty_label="Sélectionnez un conseiller",
        error_messages={
            "required": "Choisissez le nouveau conseiller.",
            "invalid_choice": "Choisissez un conseiller de votre structure.",
        },
    )
    temporary = forms.TypedChoiceField(
        label="Type de réaffectation",
        choices=[
            ("0", "Définitive : le nouveau conseiller devient le référent"),
            ("1", "Temporaire : le conseiller d'origine pourra reprendre ses bénéficiaires"),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
        error_messages={"required": "Choisissez le type de réaffectation."},
    )

    def __init__(self, *args, young_people, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["young_people"].queryset = young_people
        self.fields["young_people"].label_from_instance = lambda yp: yp.user.get_full_name()
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda c: c.user.get_full_name()


class ArchiveForm(BaseForm):
    reason = forms.ChoiceField(
        label="Motif de fin d'accompagnement",
        choices=[("", "Sélectionnez un motif")] + ArchiveReason.choices,
        error_messages={"required": "Choisissez un motif dans la liste."},
    )
    end_date = forms.DateField(
        label="Date de fin de l'accompagnement",
        help_text="Format attendu : JJ/MM/AAAA",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date de fin.",
            "invalid": "Saisissez une date valide, par exemple 31/12/2026.",
        },
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=250,
        help_text="Obligatoire pour le motif « Autre ». 250 caractères maximum.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Le commentaire ne doit pas dépasser 250 caractères."},
    )
