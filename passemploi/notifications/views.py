"""Pages: the young person's notification centre and preferences, the counselor's preferences."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from passemploi.accounts.access import counselor_required, young_person_required
from passemploi.notifications import services
from passemploi.notifications.access import get_notification_for_user, notifications_of
from passemploi.notifications.forms import PreferencesForm

PAGE_SIZE = 50


@young_person_required
def centre(request):
    rows = list(notifications_of(request.user)[:PAGE_SIZE])
    return render(
        request,
        "notifications/centre.html",
        {
            "notifications": rows,
            "has_unread": any(n.read_at is None for n in rows),
            "active_tab": "notifications",
        },
    )


@require_POST
@young_person_required
def read(request, pk):
    """Mark one notification read, then open what it is about."""
    notification = services.mark_read(request.user, get_notification_for_user(request.user, pk))
    target = notification.link
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications_young:centre")


@require_POST
@young_person_required
def read_all(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("notifications_young:centre")


def _preferences(request, template, done_url, extra):
    form = PreferencesForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.update_preferences(request.user, form.cleaned_data)
        messages.success(request, "Vos préférences sont enregistrées.")
        return redirect(done_url)
    return render(request, template, {"form": form, **extra}, status=400 if form.errors else 200)


@young_person_required
def young_preferences(request):
    return _preferences(
        request,
        "notifications/young_preferences.html",
        "notifications_young:preferences",
        {"active_tab": "profile"},
    )


@counselor_required
def counselor_preferences(request):
    return _preferences(
        request,
        "notifications/counselor_preferences.html",
        "notifications_counselor:preferences",
        {"active_section": "profile"},
    )
