from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from passemploi.accounts import services
from passemploi.accounts.forms import (
    ActivationForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from passemploi.core.api import error_response
from passemploi.core.errors import ServiceError
from passemploi.mfa import services as mfa
from passemploi.sso import services as sso


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        return {"username": self.request.GET.get("email", "")}

    def form_valid(self, form):
        user = form.get_user()
        if not mfa.needs_second_step(user):
            return super().form_valid(form)
        # Password right: the sign-in completes only after the second factor (mfa views).
        mfa.start_pending(self.request, user, self.get_success_url())
        return redirect("mfa:verify" if mfa.device_of(user) else "mfa:enrol")


def lockout(request, *args, **kwargs):
    """django-axes: what a locked-out user sees instead of a bare 403.

    Axes passes (request, response, credentials) in sync mode but (request, credentials) in
    async mode, so the extra arguments are ignored. The API answers in its own error format.
    """
    if request.path.startswith("/api/"):
        return error_response(
            request,
            429,
            "too_many_attempts",
            "Trop de tentatives de connexion : compte bloqué temporairement. Réessayez plus tard.",
        )
    form = LoginForm(request)
    form.cleaned_data = {}  # an unbound form has none, and add_error() needs it
    form.add_error(
        None,
        "Trop de tentatives de connexion. Votre compte est bloqué pour quelques minutes : "
        "réessayez plus tard ou réinitialisez votre mot de passe.",
    )
    return render(request, "accounts/login.html", {"form": form}, status=429)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        # A federated sign-in ends the provider's session too (read before the session goes).
        provider_logout = sso.end_session_url(request)
        response = super().post(request, *args, **kwargs)
        return redirect(provider_logout) if provider_logout else response


@login_not_required
@require_http_methods(["GET", "POST"])
def activate(request, token):
    try:
        account_token = services.check_activation_token(token)
    except ServiceError as error:
        return render(request, "accounts/activation_invalid.html", {"error": error}, status=400)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activate_account(token, form.cleaned_data["password1"])
        except ServiceError as error:
            form.add_error("password1", error.message)
        else:
            messages.success(
                request, "Votre compte est activé. Connectez-vous avec votre mot de passe."
            )
            response = redirect("accounts:login")
            response["Location"] += "?" + urlencode({"email": account_token.user.email})
            return response
    return render(
        request,
        "accounts/activate.html",
        {"form": form, "account_user": account_token.user},
        status=400 if form.errors else 200,
    )


password_views = {
    "reset": login_not_required(
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/emails/password_reset.txt",
            subject_template_name="accounts/emails/password_reset_subject.txt",
            form_class=ResetRequestForm,
            success_url=reverse_lazy("accounts:password_reset_done"),
        )
    ),
    "done": login_not_required(
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
    ),
    "confirm": login_not_required(
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=ResetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        )
    ),
    "complete": login_not_required(
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        )
    ),
}


@require_http_methods(["POST"])
def sign_out_everywhere(request):
    """ "Se déconnecter de tous les appareils": every session and app token of the account ends,
    this one included."""
    services.sign_out_everywhere(request.user, request=request)
    logout(request)
    messages.success(request, "Vous êtes déconnecté de tous vos appareils.")
    return redirect("accounts:login")
