from django import template

register = template.Library()


@register.filter
def pluralize_fr(count, suffix="s"):
    """French plural: 0 and 1 take the singular ("0 bénéficiaire suivi")."""
    try:
        return suffix if abs(int(count)) > 1 else ""
    except (TypeError, ValueError):
        return ""
