"""Writes on accounts: creating people, activation, terms acceptance, sign-in bookkeeping."""

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from passemploi.accounts import throttle
from passemploi.accounts.access import counselor_of
from passemploi.accounts.enums import Scheme, TokenPurpose
from passemploi.accounts.models import (
    AccountToken,
    ApiToken,
    Counselor,
    Structure,
    User,
    YoungPerson,
    normalize_email,
)
from passemploi.accounts.terms import CURRENT_TERMS_VERSION
from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.core.errors import ServiceError


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def axes_username(request, credentials) -> str:
    """django-axes counts failures per normalised email, whatever its case or spaces."""
    raw = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    return normalize_email(raw)


def _clean_identity(first_name: str, last_name: str, email: str) -> tuple[str, str, str]:
    first_name, last_name, email = first_name.strip(), last_name.strip(), normalize_email(email)
    if not first_name:
        raise ServiceError("first_name_required", "Le prénom est obligatoire.", "first_name")
    if not last_name:
        raise ServiceError("last_name_required", "Le nom est obligatoire.", "last_name")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ServiceError(
            "invalid_email",
            "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
            "email",
        ) from exc
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError(
            "email_taken", "Un compte existe déjà avec cette adresse e-mail.", "email", status=409
        )
    return first_name, last_name, email


@transaction.atomic
def create_young_person(
    *,
    counselor: Counselor,
    first_name: str,
    last_name: str,
    email: str,
    scheme: str,
    planned_end_date: date | None = None,
    partner_id: str = "",
    base_url: str | None = None,
) -> YoungPerson:
    """A counselor adds a young person to their portfolio; an activation email goes out."""
    first_name, last_name, email = _clean_identity(first_name, last_name, email)
    if scheme not in Scheme.values:
        raise ServiceError("invalid_scheme", "Choisissez un dispositif dans la liste.", "scheme")
    today = timezone.localdate()
    if planned_end_date is not None and planned_end_date < today:
        raise ServiceError(
            "end_date_in_past",
            "La date de fin prévue doit être aujourd'hui ou plus tard.",
            "planned_end_date",
        )
    user = User.objects.create_user(email, first_name=first_name, last_name=last_name)
    young_person = YoungPerson.objects.create(
        user=user,
        structure=counselor.structure,
        counselor=counselor,
        scheme=scheme,
        planned_end_date=planned_end_date,
        partner_id=partner_id.strip(),
        start_date=today,
    )
    send_activation_email(user, base_url=base_url)
    return young_person


@transaction.atomic
def create_counselor(
    *,
    structure: Structure,
    first_name: str,
    last_name: str,
    email: str,
    is_supervisor: bool = False,
    base_url: str | None = None,
) -> Counselor:
    """Support or a supervisor adds a counselor to a structure; an activation email goes out."""
    first_name, last_name, email = _clean_identity(first_name, last_name, email)
    user = User.objects.create_user(email, first_name=first_name, last_name=last_name)
    counselor = Counselor.objects.create(
        user=user, structure=structure, is_supervisor=is_supervisor
    )
    send_activation_email(user, base_url=base_url)
    return counselor


def issue_activation_token(user: User) -> str:
    """A new single-use link; any earlier unused one stops working."""
    now = timezone.now()
    AccountToken.objects.filter(
        user=user, purpose=TokenPurpose.ACTIVATION, used_at__isnull=True
    ).update(expires_at=now)
    raw = secrets.token_urlsafe(32)
    AccountToken.objects.create(
        user=user,
        purpose=TokenPurpose.ACTIVATION,
        token_hash=hash_secret(raw),
        created_at=now,
        expires_at=now + settings.ACTIVATION_LINK_VALIDITY,
    )
    return raw


def send_activation_email(user: User, base_url: str | None = None) -> None:
    if user.is_activated:
        raise ServiceError("already_activated", "Ce compte est déjà activé.", status=409)
    raw = issue_activation_token(user)
    link = (base_url or settings.SITE_URL).rstrip("/") + reverse("accounts:activate", args=[raw])
    context = {"user": user, "link": link, "hours": 24}
    body = render_to_string("accounts/emails/activation.txt", context)
    transaction.on_commit(
        lambda: send_mail(
            "Activez votre compte Pass Emploi",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    )


def resend_activation(young_person: YoungPerson, base_url: str | None = None) -> None:
    send_activation_email(young_person.user, base_url=base_url)


def check_activation_token(raw: str) -> AccountToken:
    token = (
        AccountToken.objects.select_related("user")
        .filter(token_hash=hash_secret(raw or ""), purpose=TokenPurpose.ACTIVATION)
        .first()
    )
    if token is None:
        raise ServiceError("invalid_token", "Ce lien d'activation n'est pas valide.")
    if token.used_at is not None or token.user.is_activated:
        raise ServiceError(
            "token_used",
            "Ce lien d'activation a déjà servi. Connectez-vous avec votre mot de passe.",
        )
    if token.expires_at <= timezone.now():
        raise ServiceError(
            "token_expired",
            "Ce lien d'activation a expiré. Demandez à votre conseiller de vous en renvoyer un.",
        )
    return token


@transaction.atomic
def activate_account(raw: str, password: str) -> User:
    """The user sets a password through their activation link; the link then stops working."""
    token = check_activation_token(raw)
    user = token.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("weak_password", " ".join(exc.messages), "password") from exc
    now = timezone.now()
    user.set_password(password)
    user.activated_at = now
    user.save(update_fields=["password", "activated_at"])
    AccountToken.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    audit.record(AuditKind.PASSWORD_CHANGED, actor=user, via="activation")
    return user


def accept_terms(young_person: YoungPerson) -> None:
    young_person.terms_accepted_at = timezone.now()
    young_person.terms_version = CURRENT_TERMS_VERSION
    young_person.save(update_fields=["terms_accepted_at", "terms_version"])


def record_login(user: User) -> None:
    """Called on every successful sign-in (pages and API)."""
    now = timezone.now()
    fields = {"last_login": now}
    if user.first_login_at is None:
        fields["first_login_at"] = now
    User.objects.filter(pk=user.pk).update(**fields)
    for name, value in fields.items():
        setattr(user, name, value)
    throttle.reset(user.email)


def set_hour_counter(actor: User, young_person: YoungPerson, enabled: bool) -> YoungPerson:
    """A counselor shows (or hides) the weekly hour counter to one young person."""
    if counselor_of(actor) is None:
        raise ServiceError(
            "not_allowed", "Seul un conseiller peut activer le compteur d'heures.", status=403
        )
    enabled = bool(enabled)
    if young_person.hour_counter_enabled != enabled:
        young_person.hour_counter_enabled = enabled
        young_person.save(update_fields=["hour_counter_enabled"])
    return young_person


@transaction.atomic
def sign_out_everywhere(user: User, *, actor: User | None = None, request=None) -> None:
    """End every page session and API token of `user` and close their sockets: the user asking
    for it ("Se déconnecter de tous les appareils"), or support for them."""
    from passemploi.core.consumers import end_user_sockets

    now = timezone.now()
    User.objects.filter(pk=user.pk).update(sessions_valid_after=now)
    user.sessions_valid_after = now
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    audit.record(
        AuditKind.SESSIONS_REVOKED,
        actor=actor or user,
        request=request,
        target=user,
        by_support=bool(actor and actor.pk != user.pk),
    )
    transaction.on_commit(lambda: end_user_sockets(user.pk))
