import uuid
import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from passemploi.accounts.enums import Role, Scheme, StructureKind, TokenPurpose


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email is required.")
        user = self.model(email=normalize_email(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("activated_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: young person, counselor or support agent. Email is the login."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("équipe support", default=False)
    date_joined = models.DateTimeField("créé le", default=timezone.now)
    activated_at = models.DateTimeField("activé le", null=True, blank=True)
    first_login_at = models.DateTimeField("première connexion", null=True, blank=True)
    # "Se déconnecter de tous les appareils": page sessions opened before this end.
    sessions_valid_after = models.DateTimeField(
        "sessions valables après", null=True, blank=True, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return f"{self.get_full_name()} <{self.email}>"

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def is_activated(self) -> bool:
        return self.activated_at is not None

    @property
    def role(self) -> Role:
        if hasattr(self, "young_person"):
            return Role.YOUNG_PERSON
        if hasattr(self, "counselor"):
            return Role.COUNSELOR
        if self.is_staff:
            return Role.SUPPORT
        return Role.NONE


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Fuseau horaire inconnu : %(value)s", params={"value": value})


class Structure(models.Model):
    """A Mission Locale, a France Travail agency or a departmental council."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=32, choices=StructureKind.choices)
    code = models.CharField("code", max_length=32, unique=True)
    departement = models.CharField("département", max_length=3)
    time_zone = models.CharField(
        "fuseau horaire", max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = "structure"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Counselor(models.Model):
    """A counselor (conseiller) of one structure; supervisors manage their structure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="counselor")
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="counselors")
    is_supervisor = models.BooleanField("superviseur", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "conseiller"

    def __str__(self):
        return self.user.get_full_name()


class YoungPerson(models.Model):
    """A young person (jeune, bénéficiaire) followed by one referent counselor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="young_person")
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="young_people")
    counselor = models.ForeignKey(
        Counselor, on_delete=models.PROTECT, related_name="young_people", verbose_name="conseiller"
    )
    # Set while the young person is temporarily followed by another counselor: the counselor
    # they go back to ("Reprendre"). Null for a definitive referent.
    initial_counselor = models.ForeignKey(
        Counselor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lent_young_people",
        verbose_name="conseiller initial",
    )
    scheme = models.CharField("dispositif", max_length=32, choices=Scheme.choices)
    partner_id = models.CharField(
        "identifiant partenaire",
        max_length=64,
        blank=True,
        help_text="Dossier i-milo ou identifiant France Travail",
    )
    start_date = models.DateField("début de l'accompagnement", default=timezone.localdate)
    planned_end_date = models.DateField("fin prévue de l'accompagnement", null=True, blank=True)
    terms_accepted_at = models.DateTimeField("CGU acceptées le", null=True, blank=True)
    terms_version = models.CharField("version des CGU acceptée", max_length=32, blank=True)
    is_archived = models.BooleanField("archivé", default=False)
    # The weekly hour counter is shown to the young person only once their counselor turns it on.
    hour_counter_enabled = models.BooleanField("compteur d'heures activé", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bénéficiaire"
        indexes = [models.Index(fields=["counselor", "is_archived"])]

    def __str__(self):
        return self.user.get_full_name()

    @property
    def is_temporary(self) -> bool:
        """Followed by a temporary counselor (suivi temporaire)."""
        return self.initial_counselor_id is not None


class AccountToken(models.Model):
    """A single-use secret sent by email (activation). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_tokens")
    purpose = models.CharField(max_length=16, choices=TokenPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jeton de compte"

    def __str__(self):
        return f"{self.get_purpose_display()} — {self.user_id}"


class ApiToken(models.Model):
    """An API access or refresh token of a native client. Only its hash is stored."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Accès"
        REFRESH = "refresh", "Rafraîchissement"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # Every token issued from one sign-in shares a family: revoking or a refresh-token replay
    # kills the whole family.
    family = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"

    def __str__(self):
        return f"{self.get_kind_display()} — {self.user_id}"
