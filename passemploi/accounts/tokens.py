"""API tokens for native clients: short-lived access tokens and rotating refresh tokens.

Tokens are opaque random strings; only their SHA-256 is stored, so a database leak gives no
usable token. A refresh token is single-use: presenting one twice revokes its whole family.
"""

import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from ninja.security import HttpBearer

from passemploi.accounts.models import ApiToken, User
from passemploi.accounts.services import hash_secret
from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.core.errors import ServiceError

INVALID_REFRESH = ServiceError(
    "invalid_token", "Jeton de rafraîchissement invalide, expiré ou révoqué.", status=401
)


def _new(user: User, kind: str, family: uuid.UUID, ttl) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        kind=kind,
        token_hash=hash_secret(raw),
        family=family,
        created_at=now,
        expires_at=now + ttl,
    )
    return raw, token


def issue_token_pair(user: User, family: uuid.UUID | None = None) -> dict:
    family = family or uuid.uuid4()
    access, access_row = _new(user, ApiToken.Kind.ACCESS, family, settings.API_ACCESS_TOKEN_TTL)
    refresh, refresh_row = _new(user, ApiToken.Kind.REFRESH, family, settings.API_REFRESH_TOKEN_TTL)
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": int(settings.API_ACCESS_TOKEN_TTL.total_seconds()),
        "refresh_expires_in": int(settings.API_REFRESH_TOKEN_TTL.total_seconds()),
    }


def revoke_family(family: uuid.UUID) -> int:
    return ApiToken.objects.filter(family=family, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def refresh_tokens(raw_refresh: str) -> dict:
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=hash_secret(raw_refresh or ""), kind=ApiToken.Kind.REFRESH)
            .first()
        )
        if token is None or token.expires_at <= timezone.now() or not token.user.is_active:
            raise INVALID_REFRESH
        if token.revoked_at is None:
            revoke_family(token.family)
            return issue_token_pair(token.user, family=token.family)
        # A used refresh token presented again: it may have been stolen. Kill the family.
        # Raising only once the block has committed, or the revocation would roll back.
        revoke_family(token.family)
        audit.record(AuditKind.TOKEN_REUSE, actor=token.user, family=str(token.family))
    raise INVALID_REFRESH


def revoke_token(raw: str) -> None:
    """Revoke the sign-in session a token (access or refresh) belongs to. Unknown: no-op."""
    token = ApiToken.objects.filter(token_hash=hash_secret(raw or "")).first()
    if token is not None:
        revoke_family(token.family)
        audit.record(AuditKind.TOKEN_REVOKED, actor=token.user, family=str(token.family))


def user_for_access_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related(
            "user__young_person__structure",
            "user__young_person__counselor__user",
            "user__counselor__structure",
        )
        .filter(
            token_hash=hash_secret(raw or ""),
            kind=ApiToken.Kind.ACCESS,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    return token.user if token else None


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_access_token(token)
        if user is not None:
            request.user = user
        return user
