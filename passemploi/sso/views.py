from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from passemploi.audit import services as audit
from passemploi.audit.models import AuditKind
from passemploi.core.errors import ServiceError
from passemploi.sso import providers, services


def _provider_or_404(name: str):
    provider = providers.get(name)
    if provider is None:
        raise Http404("Fournisseur d'identité inconnu.")
    return provider


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return settings.LOGIN_REDIRECT_URL


def _refused(request, provider, error: ServiceError):
    audit.record(
        AuditKind.SSO_FAILED,
        actor_label=getattr(error, "email", ""),
        request=request,
        provider=provider.name,
        reason=error.code,
    )
    template = "sso/unknown_account.html" if error.code == "unknown_account" else "sso/error.html"
    context = {
        "provider": provider,
        "error": error,
        "is_counselor": provider.role == "counselor",
        "support_email": settings.SUPPORT_EMAIL,
    }
    return render(request, template, context, status=error.status)


@login_not_required
@require_POST
def start(request, provider):
    """The provider's button: send the browser to its authorization page."""
    provider = _provider_or_404(provider)
    try:
        url = services.begin(request, provider, request.POST.get("next", ""))
    except ServiceError as error:
        return _refused(request, provider, error)
    return redirect(url)


@login_not_required
@require_GET
def callback(request, provider):
    """The provider sends the browser back here with a code (or an error)."""
    provider = _provider_or_404(provider)
    try:
        user, flow = services.finish(request, provider, request.GET)
    except ServiceError as error:
        return _refused(request, provider, error)
    # No second factor here: the provider authenticated the person (counselors choose its
    # strength with ACR values, docs/sso.md), and support staff never sign in this way.
    auth.login(request, user, backend=services.BACKEND)
    request.session[services.SESSION_KEY] = {
        "provider": provider.name,
        "id_token": flow["id_token"],
    }
    return redirect(_safe_next(request, flow.get("next", "")))
