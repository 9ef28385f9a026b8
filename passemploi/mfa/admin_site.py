"""The support admin: staff only, and only once the session passed the second factor."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect


class SupportAdminSite(admin.AdminSite):
    site_header = "Pass Emploi — support"
    site_title = "Pass Emploi support"

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        """Everyone signs in on the app's own page (password, then the code)."""
        if request.user.is_authenticated:
            # Signed in but not through the second factor (a session older than the rule).
            return redirect("mfa:security")
        return redirect_to_login(request.GET.get("next") or request.get_full_path())
