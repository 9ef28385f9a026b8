"""`manage.py check --deploy`: attachments are not virus-scanned without clamd."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def clamd_configured(app_configs, **kwargs):
    if settings.CLAMD_SOCKET or settings.CLAMD_HOST:
        return []
    return [
        Warning(
            "Chat attachments are not scanned for viruses: set CLAMD_SOCKET or CLAMD_HOST.",
            id="chat.W001",
        )
    ]
