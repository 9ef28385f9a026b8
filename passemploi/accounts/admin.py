"""The support team's admin. Accounts are created through the services, so activation emails go
out exactly as when a counselor adds someone; token hashes are shown read-only, never edited."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from passemploi.accounts import services, tokens
from passemploi.accounts.admin_forms import (
    ActivationFilter,
    CounselorAddForm,
    ProfileActivationFilter,
    RevokedFilter,
    UserAddForm,
    UserChangeForm,
    YoungPersonChangeForm,
)
from passemploi.accounts.enums import Role
from passemploi.accounts.models import (
    AccountToken,
    ApiToken,
    Counselor,
    Structure,
    User,
    YoungPerson,
)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _user_link(user: User) -> str:
    url = reverse("admin:accounts_user_change", args=[user.pk])
    return format_html('<a href="{}">{}</a>', url, user)


def _adopt(obj, created) -> None:
    """Give the admin's unsaved instance the row a service created, so it logs and redirects."""
    for field in created._meta.concrete_fields:
        setattr(obj, field.attname, getattr(created, field.attname))
    obj._state.adding = False
    obj._state.db = created._state.db


@admin.action(description="Déconnecter de tous les appareils", permissions=["change"])
def sign_out_everywhere(modeladmin, request, queryset):
    if queryset.model is not User:
        queryset = queryset.select_related("user")
    count = 0
    for obj in queryset:
        user = obj if isinstance(obj, User) else obj.user
        services.sign_out_everywhere(user, actor=request.user, request=request)
        modeladmin.log_change(request, obj, "Déconnecté de tous les appareils.")
        count += 1
    modeladmin.message_user(
        request, f"{count} compte(s) déconnecté(s) de tous les appareils.", messages.SUCCESS
    )


@admin.action(description="Renvoyer l'e-mail d'activation", permissions=["change"])
def resend_activation_email(modeladmin, request, queryset):
    if queryset.model is not User:
        queryset = queryset.select_related("user")
    sent = skipped = 0
    for obj in queryset:
        user = obj if isinstance(obj, User) else obj.user
        if user.is_activated or not user.is_active:
            skipped += 1
            continue
        services.send_activation_email(user, base_url=_base_url(request))
        modeladmin.log_change(request, obj, "E-mail d'activation renvoyé.")
        sent += 1
    if sent:
        modeladmin.message_user(
            request, f"E-mail d'activation renvoyé à {sent} compte(s).", messages.SUCCESS
        )
    if skipped:
        modeladmin.message_user(
            request,
            f"{skipped} compte(s) déjà activé(s) ou désactivé(s) : aucun e-mail envoyé.",
            messages.WARNING,
        )


class ActivatedColumn:
    """The "activé" column of a model whose rows are users or carry a `user`."""

    @admin.display(description="activé", boolean=True, ordering="user__activated_at")
    def activated(self, obj) -> bool:
        return obj.user.is_activated


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = ("email", "last_name", "first_name", "role", "activated", "last_login")
    list_filter = ("is_staff", "is_active", ActivationFilter)
    list_select_related = ("young_person", "counselor")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    actions = [resend_activation_email, sign_out_everywhere]
    readonly_fields = ("role", "date_joined", "activated_at", "first_login_at", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        (
            "Compte",
            {"fields": ("role", "is_active", "date_joined", "activated_at", "first_login_at")},
        ),
        (
            "Droits d'administration",
            {
                "fields": ("is_staff", "is_superuser", "groups", "user_permissions"),
                "classes": ("collapse",),
            },
        ),
        ("Connexion", {"fields": ("last_login",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name"),
                "description": (
                    "Le compte est créé sans mot de passe : un e-mail d'activation part "
                    "aussitôt pour que la personne choisisse le sien."
                ),
            },
        ),
    )

    @admin.display(description="rôle")
    def role(self, obj) -> str:
        return Role(obj.role).label

    @admin.display(description="activé", boolean=True, ordering="activated_at")
    def activated(self, obj) -> bool:
        return obj.is_activated

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.send_activation_email(obj, base_url=_base_url(request))
            self.message_user(
                request, f"Un e-mail d'activation a été envoyé à {obj.email}.", messages.INFO
            )


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "departement", "time_zone")
    list_filter = ("kind", "departement")
    search_fields = ("name", "code")
    ordering = ("name",)


@admin.register(Counselor)
class CounselorAdmin(ActivatedColumn, admin.ModelAdmin):
    add_form = CounselorAddForm
    list_display = ("name", "email", "structure", "is_supervisor", "activated")
    list_filter = ("structure", "is_supervisor", ProfileActivationFilter)
    list_select_related = ("user", "structure")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    ordering = ("user__last_name", "user__first_name")
    actions = [resend_activation_email, sign_out_everywhere]
    fieldsets = (
        (None, {"fields": ("account", "structure", "is_supervisor")}),
        ("Suivi", {"fields": ("activated", "created_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": ("first_name", "last_name", "email", "structure", "is_supervisor"),
                "description": (
                    "Un e-mail d'activation part aussitôt vers l'adresse saisie : "
                    "le conseiller y choisit son mot de passe."
                ),
            },
        ),
    )

    def get_queryset(self, request):
        # Autocomplete (from the young people's form) prints each counselor's name.
        return super().get_queryset(request).select_related("user", "structure")

    @admin.display(description="nom", ordering="user__last_name")
    def name(self, obj) -> str:
        return obj.user.get_full_name()

    @admin.display(description="adresse e-mail", ordering="user__email")
    def email(self, obj) -> str:
        return obj.user.email

    @admin.display(description="compte")
    def account(self, obj) -> str:
        return _user_link(obj.user)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Moving a counselor would split them from their portfolio's structure: not from here.
        return ("account", "structure", "activated", "created_at")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        created = services.create_counselor(
            structure=data["structure"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            is_supervisor=data["is_supervisor"],
            base_url=_base_url(request),
        )
        _adopt(obj, created)
        self.message_user(
            request, f"Un e-mail d'activation a été envoyé à {created.user.email}.", messages.INFO
        )


@admin.register(YoungPerson)
class YoungPersonAdmin(ActivatedColumn, admin.ModelAdmin):
    form = YoungPersonChangeForm
    list_display = (
        "name",
        "email",
        "structure",
        "counselor",
        "scheme",
        "activated",
        "terms_accepted_at",
        "is_archived",
    )
    list_filter = ("structure", "scheme", "is_archived", ProfileActivationFilter)
    list_select_related = ("user", "structure", "counselor__user")
    search_fields = ("user__email", "user__first_name", "user__last_name", "partner_id")
    ordering = ("user__last_name", "user__first_name")
    autocomplete_fields = ("counselor",)
    actions = [resend_activation_email, sign_out_everywhere]
    readonly_fields = (
        "account",
        "structure",
        "activated",
        "terms_accepted_at",
        "terms_version",
        "created_at",
    )
    fieldsets = (
        (None, {"fields": ("account", "structure", "activated")}),
        (
            "Accompagnement",
            {
                "fields": (
                    "counselor",
                    "scheme",
                    "partner_id",
                    "start_date",
                    "planned_end_date",
                    "is_archived",
                )
            },
        ),
        ("Conditions générales d'utilisation", {"fields": ("terms_accepted_at", "terms_version")}),
        ("Suivi", {"fields": ("created_at",)}),
    )

    @admin.display(description="nom", ordering="user__last_name")
    def name(self, obj) -> str:
        return obj.user.get_full_name()

    @admin.display(description="adresse e-mail", ordering="user__email")
    def email(self, obj) -> str:
        return obj.user.email

    @admin.display(description="compte")
    def account(self, obj) -> str:
        return _user_link(obj.user)

    def has_add_permission(self, request):
        # A young person enters through their counselor's portfolio (services.create_young_person).
        return False


class ReadOnlyTokenAdmin(admin.ModelAdmin):
    """Tokens are issued and revoked by the code; the admin only shows them, never their hash."""

    list_select_related = ("user",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    ordering = ("-created_at",)
    exclude = ("token_hash",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountToken)
class AccountTokenAdmin(ReadOnlyTokenAdmin):
    list_display = ("user", "purpose", "created_at", "expires_at", "used_at", "status")
    list_filter = ("purpose",)

    @admin.display(description="état")
    def status(self, obj) -> str:
        if obj.used_at is not None:
            return "Utilisé"
        return "Expiré" if obj.expires_at <= timezone.now() else "Valide"


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyTokenAdmin):
    list_display = ("user", "kind", "family", "created_at", "expires_at", "revoked_at", "status")
    list_filter = ("kind", RevokedFilter)
    actions = ["revoke"]

    @admin.display(description="état")
    def status(self, obj) -> str:
        if obj.revoked_at is not None:
            return "Révoqué"
        return "Expiré" if obj.expires_at <= timezone.now() else "Actif"

    def has_revoke_permission(self, request) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.action(
        description="Révoquer (toute la session de connexion du jeton)", permissions=["revoke"]
    )
    def revoke(self, request, queryset):
        # A token belongs to a family (one sign-in): revoking it alone would leave its sibling
        # refresh token usable, so the whole family goes, as with POST /api/v1/auth/revoke.
        families = set(queryset.values_list("family", flat=True))
        revoked = sum(tokens.revoke_family(family) for family in families)
        self.message_user(
            request,
            f"{revoked} jeton(s) révoqué(s) dans {len(families)} session(s).",
            messages.SUCCESS,
        )
