"""The message forms of the chat pages (send, edit)."""

import uuid

from django import forms

from passemploi.chat.services import MAX_LENGTH
from passemploi.core.forms import BaseForm

ERRORS = {
    "required": "Le message est vide.",
    "max_length": f"Le message ne doit pas dépasser {MAX_LENGTH} caractères.",
}


class MessageForm(BaseForm):
    body = forms.CharField(
        label="Votre message",
        max_length=MAX_LENGTH,
        required=False,
        strip=True,
        error_messages=ERRORS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_LENGTH}),
    )
    file = forms.FileField(
        label="Joindre un fichier",
        help_text="PDF, PNG, JPEG ou WebP, 5 Mo au plus.",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg,image/webp"}
        ),
    )
    # Generated with the page: a double submit of the same form sends one message.
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("body") and not data.get("file") and "body" not in self.errors:
            self.add_error("body", ERRORS["required"])
        return data


class EditForm(BaseForm):
    body = forms.CharField(
        label="Nouveau texte",
        max_length=MAX_LENGTH,
        strip=True,
        error_messages=ERRORS,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_LENGTH}),
    )
