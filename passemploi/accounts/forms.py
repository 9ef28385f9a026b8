from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError

from passemploi.accounts import throttle
from passemploi.accounts.models import normalize_email
from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.core.forms import BaseForm


class LoginForm(BaseForm, AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé. Contactez votre conseiller.",
    }

    def clean_username(self):
        return normalize_email(self.cleaned_data["username"])

    def clean(self):
        wait = throttle.retry_after(self.cleaned_data.get("username", ""))
        if wait:
            # Refused before any password check: a throttled guess teaches nothing.
            raise ValidationError(throttle.message(wait), code="throttled")
        return super().clean()


class ActivationForm(BaseForm):
    password1 = forms.CharField(
        label="Mot de passe",
        help_text="Au moins 12 caractères, pas uniquement des chiffres, ni trop courant.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirmez le mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return data


class ResetRequestForm(BaseForm, PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ResetPasswordForm(BaseForm, SetPasswordForm):
    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            audit.record(AuditKind.PASSWORD_CHANGED, actor=user, via="reset")
        return user


class TermsForm(BaseForm):
    accept = forms.BooleanField(
        label="J'ai lu et j'accepte les conditions générales d'utilisation",
        error_messages={"required": "Vous devez accepter les conditions pour continuer."},
    )
