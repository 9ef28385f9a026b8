"""Private calendar subscriptions: the public-by-token iCalendar feed, and the counselor's page
to find or revoke their link (the young person's page is views_young.sync).

The feed URL is the only secret: anyone holding it reads the calendar, so it is long and random
(models.new_feed_token), per user, and revoking it (attendance.revoke_feed) makes the old URL a
404 at once. No session is needed, since calendar apps fetch it on their own.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from passemploi.accounts.access import counselor_of, counselor_required, young_person_of
from passemploi.agenda import ics, registrations
from passemploi.agenda.access import get_feed_by_token
from passemploi.agenda.enums import Attendance
from passemploi.agenda.models import Appointment

# How far back a feed goes; upcoming appointments are all there.
FEED_PAST = timedelta(days=92)
# Calendar apps poll every few hours at best: a short private cache spares repeated fetches.
FEED_CACHE = "private, max-age=300"
SHOWN = [a for a in Attendance.values if a != Attendance.UNREGISTERED]


def feed_appointments(user, now=None):
    """A young person: the appointments and sessions they take part in (not those they left).
    A counselor: the appointments and sessions they organise. Cancelled ones stay, marked
    CANCELLED, so that calendars drop them. From three months ago on."""
    now = now or timezone.now()
    young_person = young_person_of(user)
    counselor = counselor_of(user) if young_person is None else None
    if young_person is not None:
        appointments = Appointment.objects.filter(
            participations__young_person=young_person, participations__attendance__in=SHOWN
        )
    elif counselor is not None:
        appointments = Appointment.objects.filter(counselor=counselor)
    else:
        appointments = Appointment.objects.none()
    return appointments.filter(starts_at__gte=now - FEED_PAST).order_by("starts_at", "pk")


def feed_name(user) -> str:
    if counselor_of(user) is not None:
        return "Pass Emploi — Mon agenda conseiller"
    return "Pass Emploi — Mes rendez-vous"


@login_not_required
@require_safe
def feed(request, token):
    calendar_feed = get_feed_by_token(token)
    user = calendar_feed.user
    body = ics.calendar(feed_appointments(user), name=feed_name(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pass-emploi.ics"'
    response["Cache-Control"] = FEED_CACHE
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def feed_urls(calendar_feed) -> tuple[str, str]:
    """The feed's https URL and its webcal:// twin (which phones open as a subscription)."""
    url = settings.SITE_URL + reverse("calendar_feed:feed", kwargs={"token": calendar_feed.token})
    return url, re.sub(r"^https?://", "webcal://", url)


def subscription_context(user, revoke_url: str) -> dict:
    url, webcal = feed_urls(registrations.feed_for(user))
    return {"feed_url": url, "webcal_url": webcal, "revoke_url": revoke_url}


@counselor_required
@require_safe
def counselor_sync(request):
    context = subscription_context(request.user, reverse("calendar_feed:counselor_revoke"))
    return render(
        request, "agenda/feed/counselor_sync.html", context | {"active_section": "agenda"}
    )


@counselor_required
@require_POST
def counselor_revoke(request):
    registrations.revoke_feed(request.user)
    messages.success(
        request,
        "L'ancien lien ne fonctionne plus. Ajoutez le nouveau lien ci-dessous à votre agenda.",
    )
    return redirect("calendar_feed:counselor_sync")
