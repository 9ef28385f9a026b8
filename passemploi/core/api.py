"""The /api/v1 root: authentication, the error format of the API conventions, and routers."""

import math

from django.conf import settings
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.security import SessionAuth

from passemploi.accounts.tokens import BearerTokenAuth
from passemploi.core.errors import ServiceError
from passemploi.core.throttles import PerAddressThrottle, PerUserThrottle


class CsrfSessionAuth(SessionAuth):
    """The web pages' own session (with CSRF on writes), for htmx calls to the API.

    Only a signed-in session is checked for CSRF: a native client without a session cookie
    must get the API's 401, not a CSRF refusal."""

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)


class StrictParser(Parser):
    """JSON bodies must be objects (every operation takes named fields: a bare list or number is
    a client error, not "no field given"); no NUL character anywhere, in the body or the query
    string (PostgreSQL cannot store one, and no legitimate input has one)."""

    def parse_body(self, request):
        if b"\x00" in request.body or b"\\u0000" in request.body:
            raise ValueError("NUL character")
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("a JSON object is expected")
        return data

    def parse_querydict(self, data, list_fields, request):
        if any("\x00" in value for values in data.lists() for value in values[1]):
            raise ServiceError(
                "invalid_query", "Caractère nul interdit dans les paramètres.", status=422
            )
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    parser=StrictParser(),
    title="Pass Emploi API",
    version="1",
    description=(
        "API REST de Pass Emploi pour l'application mobile des jeunes et les partenaires. "
        "Authentification : `Authorization: Bearer <jeton>` obtenu par `POST /api/v1/auth/token`."
    ),
    auth=[BearerTokenAuth(), CsrfSessionAuth(csrf=True)],
    throttle=[PerAddressThrottle(), PerUserThrottle()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_response(request, status: int, code: str, message: str, fields=None, headers=None):
    response = api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(loc) -> str:
    # Ninja locations look like ("body", "payload", "email"): keep the field's own name.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "payload")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(
            error.get("msg", "Invalide")
        )
    return error_response(
        request, 422, "validation_error", "Certaines données sont invalides.", fields
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return error_response(
        request,
        401,
        "not_authenticated",
        "Authentification requise : jeton absent, expiré ou révoqué.",
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", "Cette ressource n'existe pas.")


@api.exception_handler(ServiceError)
def on_service_error(request, exc):
    headers = {}
    if exc.status == 429:
        retry_after = exc.retry_after or int(settings.AXES_COOLOFF_TIME.total_seconds())
        headers["Retry-After"] = str(retry_after)
    return error_response(request, exc.status, exc.code, exc.message, exc.fields(), headers)


@api.exception_handler(Throttled)
def on_throttled(request, exc):
    wait = max(1, math.ceil(exc.wait or 1))
    return error_response(
        request,
        429,
        "rate_limited",
        f"Trop de requêtes : réessayez dans {wait} seconde{'s' if wait > 1 else ''}.",
        headers={"Retry-After": str(wait)},
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.status_code == 400:
        # Ninja's "Cannot parse request body": a body that is not the JSON (or form) announced.
        # Every write documents 422 for invalid input; this is invalid input too.
        return error_response(
            request, 422, "invalid_body", "Le corps de la requête est illisible (JSON attendu)."
        )
    return error_response(request, exc.status_code, "error", str(exc))


def register_routers() -> None:
    from passemploi.accounts.api import router as accounts_router
    from passemploi.actions import api_qualification  # noqa: F401 (registers its operations)
    from passemploi.actions.api import router as actions_router
    from passemploi.agenda import api_sessions  # noqa: F401 (registers its operations)
    from passemploi.agenda.api import router as agenda_router
    from passemploi.broadcasts.api import router as broadcasts_router
    from passemploi.chat import api_attachments  # noqa: F401 (registers its operations)
    from passemploi.chat.api import router as chat_router
    from passemploi.geo.api import router as geo_router
    from passemploi.news.api import router as news_router
    from passemploi.notifications.api import router as notifications_router
    from passemploi.offers import (
        api_alerts,  # noqa: F401 (registers its operations)
        api_favourites,  # noqa: F401 (registers its operations)
    )
    from passemploi.offers.api import router as offers_router
    from passemploi.portfolio import api_file  # noqa: F401 (registers its operations)
    from passemploi.portfolio.api import router as portfolio_router
    from passemploi.push.api import router as push_router
    from passemploi.sso.api import router as sso_router
    from passemploi.stats.api import router as stats_router

    api.add_router("", accounts_router)
    api.add_router("", actions_router)
    api.add_router("", agenda_router)
    api.add_router("", chat_router)
    api.add_router("", broadcasts_router)
    api.add_router("", news_router)
    api.add_router("", notifications_router)
    api.add_router("", portfolio_router)
    api.add_router("", push_router)
    api.add_router("", sso_router)
    api.add_router("", geo_router)
    api.add_router("", offers_router)
    api.add_router("", stats_router)


register_routers()


def api_urlpatterns():
    """The API's URL patterns, opted out of LoginRequiredMiddleware (the API has its own auth)."""
    patterns, app_name, namespace = api.urls

    def mark(items):
        for item in items:
            if hasattr(item, "url_patterns"):
                mark(item.url_patterns)
            else:
                item.callback.login_required = False

    mark(patterns)
    return patterns, app_name, namespace
