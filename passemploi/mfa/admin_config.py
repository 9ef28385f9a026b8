"""Installs SupportAdminSite as the default admin site (this module must import no model)."""

from django.contrib.admin.apps import AdminConfig


class SupportAdminConfig(AdminConfig):
    default_site = "passemploi.mfa.admin_site.SupportAdminSite"
