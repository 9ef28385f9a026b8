"""The young person's agenda form: unregistering from a session, with a reason.

The form only shapes the input; attendance.unregister has the last word (its refusals go back
onto the page, the reason typed kept).
"""

from django import forms

from passemploi.core.forms import BaseForm

REASON_MAX = 255
REASON_REQUIRED = "Indiquez pourquoi vous vous désinscrivez."


class UnregisterForm(BaseForm):
    reason = forms.CharField(
        label="Pourquoi vous désinscrivez-vous ?",
        help_text="Votre conseiller verra ce motif.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={
            "required": REASON_REQUIRED,
            "max_length": f"Le motif ne doit pas dépasser {REASON_MAX} caractères.",
        },
    )
