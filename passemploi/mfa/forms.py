from django import forms

from passemploi.core.forms import BaseForm


class CodeForm(BaseForm):
    code = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Le code affiché par votre application d'authentification.",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
        error_messages={"required": "Saisissez le code."},
    )
