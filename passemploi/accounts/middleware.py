"""Session lifetimes by role, the user's local time zone, and the terms gate for young people."""

import time
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import timezone

from passemploi.accounts.enums import Role
from passemploi.accounts.terms import has_accepted_current_terms

LOGIN_AT_KEY = "login_at"
# Paths a young person may reach before accepting the current terms. The app shell files are
# public: the service worker registered from the terms page caches the real offline page.
TERMS_EXEMPT_PREFIXES = (
    "/app/cgu/",
    "/deconnexion/",
    "/cgu/",
    "/static/",
    "/app/sw.js",
    "/app/hors-ligne/",
    "/app/manifest.webmanifest",
)


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            response = self._apply(request, user)
            if response is not None:
                return response
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def _apply(self, request, user):
        if user.sessions_valid_after is not None:
            login_at = request.session.get(LOGIN_AT_KEY) or 0
            if login_at < user.sessions_valid_after.timestamp():
                # Signed out everywhere since this session began.
                logout(request)
                if request.path.startswith("/api/"):
                    return None
                messages.info(request, "Vous avez été déconnecté de tous vos appareils.")
                return redirect_to_login(request.get_full_path())
        role = user.role
        if role == Role.COUNSELOR or user.is_staff:
            # Counselors and support staff open sensitive files, often on shared computers.
            login_at = request.session.get(LOGIN_AT_KEY)
            if login_at is None or time.time() - login_at > settings.COUNSELOR_SESSION_ABSOLUTE:
                logout(request)
                if request.path.startswith("/api/"):
                    return None  # now anonymous: the API answers its own JSON 401
                messages.info(request, "Votre session a expiré. Veuillez vous reconnecter.")
                return redirect_to_login(request.get_full_path())
            # Sliding idle timeout: every request pushes the expiry back.
            request.session.set_expiry(settings.COUNSELOR_SESSION_IDLE)
            if role == Role.COUNSELOR:
                self._activate_zone(user.counselor.structure.time_zone)
        if role == Role.YOUNG_PERSON:
            young_person = user.young_person
            self._activate_zone(young_person.structure.time_zone)
            if (
                request.path.startswith("/app/")
                and not request.path.startswith(TERMS_EXEMPT_PREFIXES)
                and not has_accepted_current_terms(young_person)
            ):
                return redirect("youth:terms")
        return None

    @staticmethod
    def _activate_zone(name: str) -> None:
        try:
            timezone.activate(zoneinfo.ZoneInfo(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo(settings.TIME_ZONE))
