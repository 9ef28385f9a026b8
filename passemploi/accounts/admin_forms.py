"""Forms and list filters of the support admin (passemploi.accounts.admin)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm

from passemploi.accounts.models import Counselor, User, YoungPerson, normalize_email

EMAIL_TAKEN = "Un compte existe déjà avec cette adresse e-mail."


def clean_new_email(value: str) -> str:
    """The checks services._clean_identity makes, run early so the admin shows them on the field."""
    email = normalize_email(value)
    if User.objects.filter(email__iexact=email).exists():
        raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
    return email


class UserAddForm(forms.ModelForm):
    """A new account has no password: its owner chooses one through the activation link."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")
        help_texts = {"email": "Le lien d'activation du compte y sera envoyé."}

    def clean_email(self):
        return clean_new_email(self.cleaned_data["email"])

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "first_name",
            "last_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )


class CounselorAddForm(forms.ModelForm):
    """Identity fields beside the model's own; the admin then calls services.create_counselor."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse e-mail", help_text="Le lien d'activation du compte y sera envoyé."
    )

    class Meta:
        model = Counselor
        fields = ("first_name", "last_name", "email", "structure", "is_supervisor")

    def clean_email(self):
        return clean_new_email(self.cleaned_data["email"])


class YoungPersonChangeForm(forms.ModelForm):
    class Meta:
        model = YoungPerson
        fields = (
            "counselor",
            "scheme",
            "partner_id",
            "start_date",
            "planned_end_date",
            "is_archived",
        )

    def clean_counselor(self):
        counselor = self.cleaned_data["counselor"]
        if counselor is not None and counselor.structure_id != self.instance.structure_id:
            raise forms.ValidationError(
                "Choisissez un conseiller de la structure « %(structure)s ». "
                "Un changement de structure passe par un transfert de portefeuille.",
                code="other_structure",
                params={"structure": self.instance.structure},
            )
        return counselor


class ActivationFilter(admin.SimpleListFilter):
    """Activated or not, on the user itself or through a profile's `user`."""

    title = "compte activé"
    parameter_name = "activated"
    field = "activated_at"

    def lookups(self, request, model_admin):
        return [("yes", "Oui"), ("no", "Non")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field}__isnull": self.value() == "no"})
        return queryset


class ProfileActivationFilter(ActivationFilter):
    field = "user__activated_at"


class RevokedFilter(admin.SimpleListFilter):
    title = "révoqué"
    parameter_name = "revoked"

    def lookups(self, request, model_admin):
        return [("yes", "Oui"), ("no", "Non")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(revoked_at__isnull=self.value() == "no")
        return queryset
