"""Native apps' federated sign-in: the app runs the authorization request itself (with its own
PKCE verifier, state and nonce, and a redirect URI registered with the provider for this
client) and hands the code here; the server, which holds the client secret, trades it, checks
the ID token and answers the app's own tokens, as `POST /api/v1/auth/token` does."""

from django.http import Http404
from ninja import Field, Router, Schema

from passemploi.accounts import tokens
from passemploi.accounts.schemas import ErrorOut, TokenOut
from passemploi.accounts.services import record_login
from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.core.errors import ServiceError
from passemploi.sso import providers, services

router = Router(tags=["Authentification"])


class OidcCodeIn(Schema):
    code: str = Field(..., min_length=1, max_length=2048, description="Code d'autorisation")
    code_verifier: str = Field(
        ..., min_length=43, max_length=128, description="Vérificateur PKCE de l'application"
    )
    redirect_uri: str = Field(
        ..., min_length=1, max_length=2048, description="URI de retour utilisée par l'application"
    )
    nonce: str = Field(..., min_length=16, max_length=255, description="Nonce de la demande")


@router.post(
    "/auth/oidc/{provider}/token",
    auth=None,
    response={
        200: TokenOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        502: ErrorOut,
    },
    summary="Obtenir des jetons avec un fournisseur d'identité",
    description=(
        "Échange un code d'autorisation de ProConnect (`proconnect`), France Travail Connect "
        "(`ft_connect`) ou FranceConnect (`franceconnect`), obtenu par l'application avec PKCE, "
        "contre les jetons de Pass Emploi. Le compte doit déjà exister (docs/sso.md)."
    ),
)
def oidc_token(request, provider: str, payload: OidcCodeIn):
    found = providers.get(provider)
    if found is None:
        raise Http404("Fournisseur d'identité inconnu.")
    try:
        user, _ = services.exchange_code(
            found, payload.code, payload.code_verifier, payload.redirect_uri, payload.nonce
        )
    except ServiceError as error:
        audit.record(
            AuditKind.SSO_FAILED,
            actor_label=getattr(error, "email", ""),
            request=request,
            provider=found.name,
            reason=error.code,
            client="api",
        )
        raise
    record_login(user)
    audit.record(AuditKind.TOKEN_ISSUED, actor=user, request=request, provider=found.name)
    return tokens.issue_token_pair(user)
