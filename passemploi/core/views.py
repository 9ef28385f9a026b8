import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from passemploi.accounts.enums import Role


@login_not_required
def home(request):
    """One entry point that sends each role to its own space."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    role = user.role
    if role == Role.COUNSELOR:
        return redirect("portfolio:index")
    if role == Role.YOUNG_PERSON:
        return redirect("youth:home")
    if role == Role.SUPPORT:
        return redirect("admin:index")
    return render(request, "core/no_role.html", status=403)


@login_not_required
@never_cache
@transaction.non_atomic_requests
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def public_page(template: str):
    @login_not_required
    def view(request):
        return render(request, template)

    return view


def error_403(request, exception=None):
    if _wants_json(request):
        return _json_error(403, "forbidden", "Accès refusé.")
    return render(request, "403.html", status=403)


def _wants_json(request) -> bool:
    return request is not None and request.path.startswith("/api/")


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)


def error_404(request, exception=None):
    if _wants_json(request):
        return _json_error(404, "not_found", "Cette ressource n'existe pas.")
    return render(request, "404.html", status=404)


def error_500(request):
    # Django calls this while handling the exception: a database that is down or saturated (a
    # restart, the pool's wait exceeded) is a temporary outage, said as such with a retry hint.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return _unavailable(request)
    if _wants_json(request):
        return _json_error(500, "server_error", "Erreur inattendue. Réessayez plus tard.")
    # No request context: the failure may come from the database the user lookup needs.
    return render(None, "500.html", status=500)


RETRY_AFTER_OUTAGE = 5


def _unavailable(request):
    if _wants_json(request):
        response = _json_error(
            503,
            "service_unavailable",
            f"Service momentanément indisponible : réessayez dans {RETRY_AFTER_OUTAGE} secondes.",
        )
    else:
        response = render(None, "503.html", {"retry_after": RETRY_AFTER_OUTAGE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_OUTAGE)
    return response
