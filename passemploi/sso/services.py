"""Federated sign-in (OpenID Connect authorization code flow with PKCE): start it, check the
provider's answer, find the account. Accounts are never created here: a person unknown to
Pass Emploi is refused with a page telling them how to get access.
"""

import hashlib
import secrets
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from passemploi.accounts.enums import Role
from passemploi.accounts.models import User, normalize_email
from passemploi.core.errors import ServiceError
from passemploi.sso import jose
from passemploi.sso import providers as registry
from passemploi.sso.models import SsoIdentity
from passemploi.sso.providers import Provider

# The backend stored in the session of a federated sign-in: the password sign-in's own (it
# loads the user by id), so this path never changes with this app.
BACKEND = "passemploi.accounts.backends.EmailBackend"
FLOWS_KEY = "sso_flows"  # state -> the flow started by this browser
SESSION_KEY = "sso_session"  # {provider, id_token} of a federated sign-in, for the logout
FLOW_TTL = 10 * 60
MAX_FLOWS = 5
LEEWAY = 60  # seconds of clock difference tolerated on exp and iat


def _b64(data: bytes) -> str:
    return jose.b64encode(data)


def redirect_uri(request, provider: Provider) -> str:
    return request.build_absolute_uri(reverse("sso:callback", args=[provider.name]))


def begin(request, provider: Provider, next_url: str = "") -> str:
    """Remember a new flow in the session and return the provider's authorization URL."""
    endpoint = registry.metadata(provider)["authorization_endpoint"]
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    flows = {
        key: flow
        for key, flow in (request.session.get(FLOWS_KEY) or {}).items()
        if time.time() - flow.get("at", 0) < FLOW_TTL
    }
    # A few tabs may sign in at once; older flows beyond that are forgotten.
    for key in sorted(flows, key=lambda k: flows[k]["at"])[: max(0, len(flows) - MAX_FLOWS + 1)]:
        del flows[key]
    flows[state] = {
        "provider": provider.name,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
        "at": time.time(),
    }
    request.session[FLOWS_KEY] = flows
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri(request, provider),
        "scope": provider.scopes,
        "state": state,
        "nonce": nonce,
        "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    if provider.acr_values:
        query["acr_values"] = provider.acr_values
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"


def _refused(provider: Provider, code: str) -> ServiceError:
    return ServiceError(
        code,
        f"La réponse de {provider.label} n'a pas pu être vérifiée : la connexion est refusée. "
        "Recommencez depuis la page de connexion.",
        status=400,
    )


def take_flow(request, provider: Provider, state: str) -> dict:
    """The flow `state` names, removed from the session (a state is used once)."""
    flows = request.session.get(FLOWS_KEY) or {}
    flow = flows.pop(state or "", None)
    request.session[FLOWS_KEY] = flows
    if (
        not flow
        or flow.get("provider") != provider.name
        or time.time() - flow.get("at", 0) > FLOW_TTL
    ):
        raise ServiceError(
            "bad_state",
            "Cette demande de connexion est inconnue ou a expiré. Recommencez depuis la page de "
            "connexion.",
            status=400,
        )
    return flow


def _post_token(provider: Provider, code: str, verifier: str, redirect_to: str) -> dict:
    try:
        response = requests.post(
            registry.metadata(provider)["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_to,
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
                "code_verifier": verifier,
            },
            headers={"Accept": "application/json"},
            timeout=settings.SSO_TIMEOUT_SECONDS,
        )
    except requests.RequestException:
        raise registry.unreachable(provider) from None
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code != 200 or not isinstance(data, dict):
        raise _refused(provider, "token_refused")
    if not isinstance(data.get("id_token"), str):
        raise _refused(provider, "no_id_token")
    return data


def verify_signed(provider: Provider, token: str) -> dict:
    """The payload of a token the provider signed; its key set is refetched once on an
    unknown key id (key rotation)."""
    try:
        try:
            return jose.verify(token, registry.keys(provider))
        except jose.UnknownKey:
            return jose.verify(token, registry.keys(provider, refresh=True))
    except jose.JoseError as error:
        raise _refused(provider, error.code) from None


def check_id_token(provider: Provider, token: str, nonce: str) -> dict:
    claims = verify_signed(provider, token)
    now = time.time()
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    checks = (
        ("bad_issuer", claims.get("iss") == registry.metadata(provider)["issuer"]),
        ("bad_audience", provider.client_id in audiences),
        ("bad_audience", len(audiences) == 1 or claims.get("azp") == provider.client_id),
        ("expired", isinstance(claims.get("exp"), int | float) and claims["exp"] > now - LEEWAY),
        ("bad_iat", isinstance(claims.get("iat"), int | float) and claims["iat"] < now + LEEWAY),
        ("bad_nonce", isinstance(nonce, str) and claims.get("nonce") == nonce),
        ("no_sub", isinstance(claims.get("sub"), str) and 0 < len(claims["sub"]) <= 255),
    )
    for code, ok in checks:
        if not ok:
            raise _refused(provider, code)
    wanted = provider.acr_values.split()
    if wanted and claims.get("acr") not in wanted:
        raise _refused(provider, "insufficient_acr")
    return claims


def read_userinfo(provider: Provider, access_token: str | None, sub: str) -> dict:
    endpoint = registry.metadata(provider).get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    try:
        response = requests.get(
            endpoint,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.SSO_TIMEOUT_SECONDS,
        )
    except requests.RequestException:
        raise registry.unreachable(provider) from None
    if response.status_code != 200:
        raise _refused(provider, "userinfo_refused")
    if response.headers.get("Content-Type", "").startswith("application/jwt"):
        info = verify_signed(provider, response.text.strip())  # ProConnect signs its userinfo
    else:
        try:
            info = response.json()
        except ValueError:
            info = None
    if not isinstance(info, dict) or info.get("sub") != sub:
        raise _refused(provider, "userinfo_mismatch")
    return info


# --- the account ---------------------------------------------------------------------------------


class UnknownAccount(ServiceError):
    """No Pass Emploi account for this person: the page explains how to get one."""

    def __init__(self, provider: Provider, email: str = ""):
        if provider.role == Role.COUNSELOR:
            message = (
                f"{provider.label} vous a bien identifié, mais aucun compte conseiller Pass "
                "Emploi ne correspond à votre adresse e-mail. Pass Emploi ne crée jamais de "
                "compte automatiquement."
            )
        else:
            message = (
                "Vous êtes bien identifié, mais aucun compte Pass Emploi ne vous correspond. "
                "Demandez à votre conseiller de créer votre compte."
            )
        super().__init__("unknown_account", message, status=403)
        self.provider = provider
        self.email = email


def _verified_email(provider: Provider, claims: dict) -> str:
    email = normalize_email(claims.get("email") if isinstance(claims.get("email"), str) else "")
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send "true" / "false"
        verified = verified.lower() == "true"
    if not email:
        return ""
    if verified is False or (verified is None and not provider.email_trusted):
        raise ServiceError(
            "email_unverified",
            f"{provider.label} n'a pas vérifié votre adresse e-mail : elle ne peut pas servir à "
            f"vous connecter. Vérifiez-la chez {provider.label} ou utilisez votre mot de passe.",
            status=403,
        )
    return email


def find_account(provider: Provider, claims: dict) -> tuple[User, SsoIdentity | None]:
    """The account of the person the provider identified, and their identity if already linked.

    Linked identities are matched on (provider, sub); otherwise on a verified email. The account
    must already exist with the provider's role (its structure is the one support gave it, never
    a claim); support staff never sign in through a provider.
    """
    identity = (
        SsoIdentity.objects.select_related("user", "user__counselor", "user__young_person")
        .filter(provider=provider.name, sub=claims["sub"])
        .first()
    )
    email = ""
    if identity is not None:
        user = identity.user
    else:
        email = _verified_email(provider, claims)
        user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None or not user.is_active or user.role != provider.role:
        raise UnknownAccount(provider, email)
    if user.is_staff:
        raise ServiceError(
            "staff_refused",
            "Les comptes du support se connectent uniquement avec leur mot de passe et leur "
            "double authentification.",
            status=403,
        )
    if not user.is_activated:
        raise ServiceError(
            "not_activated",
            "Votre compte n'est pas encore activé : utilisez d'abord le lien d'activation reçu "
            "par e-mail.",
            status=403,
        )
    return user, identity


def link(provider: Provider, user: User, sub: str) -> SsoIdentity:
    """Link `sub` to the account at its first federated sign-in (one per provider)."""
    try:
        with transaction.atomic():
            return SsoIdentity.objects.create(user=user, provider=provider.name, sub=sub)
    except IntegrityError:
        raise ServiceError(
            "identity_conflict",
            f"Votre compte est déjà lié à une autre identité {provider.label}. Contactez le "
            "support pour la délier.",
            status=403,
        ) from None


def finish(request, provider: Provider, params) -> tuple[User, dict]:
    """Check the provider's answer to the callback URL; returns the account and the flow.

    Raises ServiceError (an UnknownAccount for a person without an account); nothing is
    written unless every check passed.
    """
    flow = take_flow(request, provider, params.get("state", ""))
    if params.get("error"):
        raise ServiceError(
            "provider_error",
            f"La connexion avec {provider.label} a été annulée ou refusée. Vous pouvez "
            "recommencer, ou vous connecter avec votre adresse e-mail et votre mot de passe.",
            status=400,
        )
    if not params.get("code"):
        raise _refused(provider, "no_code")
    user, flow["id_token"] = exchange_code(
        provider, params["code"], flow["verifier"], redirect_uri(request, provider), flow["nonce"]
    )
    return user, flow


def exchange_code(
    provider: Provider, code: str, verifier: str, redirect_to: str, nonce: str
) -> tuple[User, str]:
    """Trade an authorization code for the provider's tokens, check them and find the account
    (linking the identity at its first use); returns the account and the ID token. Shared by
    the web callback and the native apps' endpoint (passemploi/sso/api.py)."""
    tokens = _post_token(provider, code, verifier, redirect_to)
    claims = check_id_token(provider, tokens["id_token"], nonce)
    info = read_userinfo(provider, tokens.get("access_token"), claims["sub"])
    claims = {**info, **{k: v for k, v in claims.items() if k not in info or k == "sub"}}
    user, identity = find_account(provider, claims)
    if identity is None:
        identity = link(provider, user, claims["sub"])
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return user, tokens["id_token"]


# --- sign-out ------------------------------------------------------------------------------------


def end_session_url(request) -> str:
    """Where to send the browser to end the provider's session too, read from the session
    before the sign-out clears it; "" for a password sign-in or a provider without one."""
    data = request.session.get(SESSION_KEY) or {}
    provider = registry.get(data.get("provider", ""))
    if provider is None or not data.get("id_token"):
        return ""
    try:
        endpoint = registry.metadata(provider).get("end_session_endpoint")
    except ServiceError:
        return ""
    if not isinstance(endpoint, str) or not endpoint:
        return ""
    query = urlencode(
        {
            "id_token_hint": data["id_token"],
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login")),
            "state": secrets.token_urlsafe(16),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
