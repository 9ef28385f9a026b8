"""Two-factor authentication (TOTP, django-otp's devices): optional for counselors, required
for support staff. A sign-in with a second factor happens in two steps: the password check only
leaves a *pending* sign-in in the session (no Django login yet); the code, or for staff without
a device the enrolment, completes it. So no session ever exists that skipped the second factor.
"""

import time

from django.contrib import auth
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from passemploi.accounts.enums import Role
from passemploi.accounts.models import User
from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.core.errors import ServiceError

PENDING_KEY = "mfa_pending"
PENDING_TTL = 5 * 60
DEVICE_NAME = "Application d'authentification"


def device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def may_enable(user: User) -> bool:
    return user.is_staff or user.role == Role.COUNSELOR


def required(user: User) -> bool:
    """Support staff must use a second factor; counselors choose to."""
    return user.is_staff


def needs_second_step(user: User) -> bool:
    return required(user) or device_of(user) is not None


# --- the pending sign-in ---------------------------------------------------------------------


def start_pending(request, user: User, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user": str(user.pk),
        "backend": user.backend,
        "at": time.time(),
        "next": next_url,
    }


def pending_user(request) -> User | None:
    data = request.session.get(PENDING_KEY)
    if not data or time.time() - data.get("at", 0) > PENDING_TTL:
        return None
    return User.objects.filter(pk=data["user"], is_active=True).first()


def pending_next(request) -> str:
    return (request.session.get(PENDING_KEY) or {}).get("next", "")


def complete(request, user: User, device: TOTPDevice) -> None:
    """The second factor checked: sign in for real and mark the session verified."""
    backend = request.session[PENDING_KEY]["backend"]
    del request.session[PENDING_KEY]
    auth.login(request, user, backend=backend)
    otp_login(request, device)


# --- codes and devices -----------------------------------------------------------------------


def _clean(code: str) -> str:
    return "".join((code or "").split())


def check_code(device: TOTPDevice, code: str) -> None:
    """Raise a French error unless `code` is the device's current one (throttled by device)."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise ServiceError(
            "otp_throttled",
            "Trop de codes incorrects : patientez quelques secondes avant de réessayer.",
            "code",
            status=429,
        )
    if not device.verify_token(_clean(code)):
        raise ServiceError("otp_invalid", "Ce code est incorrect ou expiré.", "code")


def verify(user: User, code: str) -> TOTPDevice:
    device = device_of(user)
    if device is None:
        raise ServiceError("otp_not_enabled", "La double authentification n'est pas activée.")
    check_code(device, code)
    return device


def unconfirmed_device(user: User) -> TOTPDevice:
    """The device being set up (its secret shown as a QR code until a code confirms it)."""
    if not may_enable(user):
        raise ServiceError("not_allowed", "Réservé aux conseillers et au support.", status=403)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


# The code is checked outside the atomic blocks: a wrong code's throttling count must be saved.


def confirm(user: User, code: str, request=None) -> TOTPDevice:
    device = unconfirmed_device(user)
    check_code(device, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(AuditKind.TWO_FACTOR_CHANGED, actor=user, request=request, change="enabled")
    return device


def disable(user: User, code: str, request=None) -> None:
    if required(user):
        raise ServiceError(
            "otp_required", "Le support doit garder la double authentification.", status=403
        )
    verify(user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(AuditKind.TWO_FACTOR_CHANGED, actor=user, request=request, change="disabled")
