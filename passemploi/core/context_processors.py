from django.conf import settings

from passemploi.accounts.access import counselor_of, young_person_of


def site(request):
    """Role profiles for the shells. The user and profiles come from one query (EmailBackend)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"current_counselor": None, "current_young_person": None}
    return {
        "current_counselor": counselor_of(user),
        "current_young_person": young_person_of(user),
        "support_email": settings.SUPPORT_EMAIL,
    }
