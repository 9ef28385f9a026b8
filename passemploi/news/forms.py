"""The counselor's news form."""

from django import forms

from passemploi.core.forms import BaseForm
from passemploi.news.models import TEXT_MAX, TITLE_MAX


class NewsForm(BaseForm):
    title = forms.CharField(
        label="Titre",
        max_length=TITLE_MAX,
        help_text=f"{TITLE_MAX} caractères au plus.",
        error_messages={
            "required": "Saisissez un titre.",
            "max_length": f"Le titre ne doit pas dépasser {TITLE_MAX} caractères.",
        },
    )
    text = forms.CharField(
        label="Texte",
        max_length=TEXT_MAX,
        help_text=f"{TEXT_MAX} caractères au plus.",
        error_messages={
            "required": "Saisissez le texte de l'actualité.",
            "max_length": f"Le texte ne doit pas dépasser {TEXT_MAX} caractères.",
        },
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
    )
    # Checked by the service (https only), so the page and the API say the same thing.
    link = forms.CharField(
        label="Lien",
        required=False,
        help_text="Une adresse web commençant par https://, par exemple https://www.exemple.fr",
        widget=forms.URLInput,
    )
