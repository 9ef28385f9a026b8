from django import template

from passemploi.accounts.enums import Role
from passemploi.sso import providers

register = template.Library()


@register.inclusion_tag("sso/buttons.html", takes_context=True)
def sso_buttons(context):
    """The buttons of the configured providers (none configured: nothing is shown)."""
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "next": context.get("next", ""),
        "counselor_providers": providers.configured(Role.COUNSELOR),
        "young_providers": providers.configured(Role.YOUNG_PERSON),
    }


@register.inclusion_tag("sso/identities.html")
def sso_identities(user):
    """The account's linked provider identities, on its profile or security page."""
    linked = list(user.sso_identities.order_by("linked_at")) if user.is_authenticated else []
    for identity in linked:
        known = providers.KNOWN.get(identity.provider)
        identity.label = known[0] if known else identity.provider
    return {"identities": linked}
