from django import forms
from dsfr.forms import DsfrBaseForm


class BaseForm(DsfrBaseForm):
    """DSFR form that marks optional fields (the current DSFR rule) without django-dsfr's
    transitional warnings, which fire on every render whatever the configuration."""

    def get_context(self) -> dict:
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context
