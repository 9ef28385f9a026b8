"""The "Recevoir les notifications sur ce téléphone" switch of the young person's app."""

from django import template
from django.conf import settings

from passemploi.push import webpush

register = template.Library()


@register.inclusion_tag("push/partials/device_switch.html", takes_context=True)
def push_device_switch(context):
    """Renders nothing when Web Push is not configured; the script shows the switch only in a
    browser that supports it (progressive enhancement)."""
    return {
        "enabled": webpush.enabled(),
        "public_key": settings.VAPID_PUBLIC_KEY,
        "csrf_token": context.get("csrf_token", ""),
    }
