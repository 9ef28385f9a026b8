from django.contrib.auth import authenticate
from ninja import Router

from passemploi.accounts import throttle, tokens
from passemploi.accounts.enums import Role
from passemploi.accounts.schemas import (
    ErrorOut,
    MeOut,
    RefreshIn,
    RevokeIn,
    RevokeOut,
    TokenIn,
    TokenOut,
)
from passemploi.accounts.services import record_login
from passemploi.accounts.terms import has_accepted_current_terms
from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.core.errors import ServiceError
from passemploi.mfa import services as mfa

router = Router(tags=["Authentification"])


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Obtenir des jetons",
    description=(
        "Échange une adresse e-mail et un mot de passe contre un jeton d'accès (15 minutes) "
        "et un jeton de rafraîchissement (30 jours, à usage unique)."
    ),
)
def obtain_token(request, payload: TokenIn):
    wait = throttle.retry_after(payload.email)
    if wait:
        raise ServiceError(
            "too_many_attempts", throttle.message(wait), status=429, retry_after=wait
        )
    user = authenticate(request, username=payload.email, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise ServiceError(
            "too_many_attempts",
            "Trop de tentatives de connexion : compte bloqué temporairement. Réessayez plus tard.",
            status=429,
        )
    if user is None:
        raise ServiceError(
            "invalid_credentials", "Adresse e-mail ou mot de passe incorrect.", status=401
        )
    _second_factor(user, payload.otp_code)
    record_login(user)
    audit.record(AuditKind.TOKEN_ISSUED, actor=user, request=request)
    return tokens.issue_token_pair(user)


def _second_factor(user, code: str | None) -> None:
    if not mfa.needs_second_step(user):
        return
    if mfa.device_of(user) is None:
        raise ServiceError(
            "otp_setup_required",
            "Activez d'abord la double authentification depuis le site.",
            status=403,
        )
    if not code:
        raise ServiceError(
            "otp_required", "Saisissez le code de votre application d'authentification.", status=401
        )
    try:
        mfa.verify(user, code)
    except ServiceError as exc:
        if exc.status == 429:
            raise
        raise ServiceError(exc.code, exc.message, "otp_code", status=401) from exc


@router.post(
    "/auth/refresh",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut},
    summary="Rafraîchir les jetons",
    description=(
        "Échange un jeton de rafraîchissement contre une nouvelle paire. L'ancien est révoqué ; "
        "le présenter à nouveau révoque toute la session."
    ),
)
def refresh_token(request, payload: RefreshIn):
    return tokens.refresh_tokens(payload.refresh_token)


@router.post(
    "/auth/revoke",
    auth=None,
    response={200: RevokeOut, 422: ErrorOut},
    summary="Révoquer une session",
    description=(
        "Révoque le jeton donné et tous ceux de la même connexion (déconnexion de l'appareil). "
        "Répond de la même façon pour un jeton inconnu."
    ),
)
def revoke_token(request, payload: RevokeIn):
    tokens.revoke_token(payload.token)
    return {"revoked": True}


def _structure(structure):
    if structure is None:
        return None
    return {
        "id": structure.id,
        "name": structure.name,
        "kind": structure.kind,
        "kind_label": structure.get_kind_display(),
        "code": structure.code,
        "departement": structure.departement,
        "time_zone": structure.time_zone,
    }


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    tags=["Profil"],
    summary="Utilisateur connecté",
    description="Renvoie l'utilisateur connecté, son rôle, sa structure et, pour un jeune, "
    "son conseiller et son dispositif.",
)
def me(request):
    user = request.auth
    role = user.role
    data = {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": role.value,
        "role_label": role.label,
        "structure": None,
        "young_person": None,
        "counselor": None,
    }
    if role == Role.YOUNG_PERSON:
        yp = user.young_person
        referent = yp.counselor.user
        data["structure"] = _structure(yp.structure)
        data["young_person"] = {
            "id": yp.id,
            "scheme": yp.scheme,
            "scheme_label": yp.get_scheme_display(),
            "partner_id": yp.partner_id,
            "start_date": yp.start_date,
            "planned_end_date": yp.planned_end_date,
            "terms_accepted": has_accepted_current_terms(yp),
            "terms_version": yp.terms_version,
            "counselor": {
                "id": yp.counselor.id,
                "first_name": referent.first_name,
                "last_name": referent.last_name,
                "email": referent.email,
            },
        }
    elif role == Role.COUNSELOR:
        data["structure"] = _structure(user.counselor.structure)
        data["counselor"] = {"id": user.counselor.id, "is_supervisor": user.counselor.is_supervisor}
    return data
