"""Forms of the young person's app (help contact form)."""

from django import forms

from passemploi.core.forms import BaseForm

SUBJECT_MAX = 120
BODY_MAX = 4000


class ContactForm(BaseForm):
    subject = forms.CharField(
        label="Sujet",
        max_length=SUBJECT_MAX,
        strip=True,
        error_messages={
            "required": "Indiquez le sujet de votre demande.",
            "max_length": f"Le sujet ne doit pas dépasser {SUBJECT_MAX} caractères.",
        },
    )
    body = forms.CharField(
        label="Votre message",
        max_length=BODY_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Écrivez votre message.",
            "max_length": f"Le message ne doit pas dépasser {BODY_MAX} caractères.",
        },
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) < 10:
            raise forms.ValidationError(
                "Décrivez votre demande en quelques mots (10 caractères au moins)."
            )
        return body
