"""The second sign-in step, the enrolment of support staff at sign-in, and the counselor's
"Sécurité du compte" page where the second factor is turned on and off."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from passemploi.core.errors import ServiceError
from passemploi.mfa import services
from passemploi.mfa.forms import CodeForm


def _next(request) -> str:
    target = services.pending_next(request)
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, True):
        return target
    return "/"


def _setup(device) -> dict:
    """The QR code (inline SVG, no script) and the same secret as text for manual entry."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return {"qr": qr, "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))}


def _expired(request):
    messages.info(request, "Votre connexion a expiré : saisissez à nouveau votre mot de passe.")
    return redirect("accounts:login")


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request):
    user = services.pending_user(request)
    if user is None:
        return _expired(request)
    if services.device_of(user) is None:
        return redirect("mfa:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.verify(user, form.cleaned_data["code"])
        except ServiceError as exc:
            form.add_error("code", exc.message)
        else:
            target = _next(request)
            services.complete(request, user, device)
            return redirect(target)
    return render(request, "mfa/verify.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Support staff without a device set one up before their first sign-in completes."""
    user = services.pending_user(request)
    if user is None:
        return _expired(request)
    device = services.unconfirmed_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.confirm(user, form.cleaned_data["code"], request)
        except ServiceError as exc:
            form.add_error("code", exc.message)
        else:
            target = _next(request)
            services.complete(request, user, confirmed)
            messages.success(request, "La double authentification est activée.")
            return redirect(target)
    return render(request, "mfa/enrol.html", {"form": form} | _setup(device))


@require_http_methods(["GET", "POST"])
def security(request):
    user = request.user
    if not services.may_enable(user):
        raise PermissionDenied
    device = services.device_of(user)
    form = CodeForm(request.POST or None)
    context = {
        "device": device,
        "required": services.required(user),
        "form": form,
        "base_template": (
            "core/counselor_base.html" if hasattr(user, "counselor") else "core/base.html"
        ),
    }
    if device is None:
        context |= _setup(services.unconfirmed_device(user))
    if request.method == "POST" and form.is_valid():
        try:
            if device is None:
                services.confirm(user, form.cleaned_data["code"], request)
                messages.success(request, "La double authentification est activée.")
            else:
                services.disable(user, form.cleaned_data["code"], request)
                messages.success(request, "La double authentification est désactivée.")
        except ServiceError as exc:
            form.add_error("code", exc.message)
        else:
            return redirect("mfa:security")
    return render(request, "mfa/security.html", context)
