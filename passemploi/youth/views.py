import json

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control

from passemploi.accounts import services
from passemploi.accounts.access import young_person_required
from passemploi.accounts.forms import TermsForm
from passemploi.accounts.terms import CURRENT_TERMS_VERSION, has_accepted_current_terms
from passemploi.actions.counter import WEEKLY_TARGET
from passemploi.actions.nouns import noun_for
from passemploi.offers.models import FavouritesSharing
from passemploi.youth.home import home_summary

# Bump to make installed apps drop their offline cache and fetch the new one.
SERVICE_WORKER_VERSION = "2026-11-28.2"
# Pages whose last version the service worker keeps for reading offline.
READABLE_OFFLINE = ("youth:home", "youth:tracking", "youth:messages", "youth:events")


@young_person_required
def home(request):
    young_person = request.user.young_person
    home = home_summary(young_person)
    return render(
        request,
        "youth/home.html",
        {
            "active_tab": "home",
            "home": home,
            "summary": home.week,
            "agenda": home.agenda,
            "noun": noun_for(young_person),
            "target": WEEKLY_TARGET,
        },
    )


@young_person_required
def profile(request):
    sharing = FavouritesSharing.objects.filter(young_person=request.user.young_person).first()
    return render(
        request,
        "youth/profile.html",
        {"active_tab": "profile", "favourites_shared": bool(sharing and sharing.shared)},
    )


@young_person_required
def terms(request):
    young_person = request.user.young_person
    form = TermsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.accept_terms(young_person)
        return redirect("youth:home")
    return render(
        request,
        "youth/terms.html",
        {
            "form": form,
            "version": CURRENT_TERMS_VERSION,
            "renewal": bool(young_person.terms_version)
            and not has_accepted_current_terms(young_person),
        },
        status=400 if form.errors else 200,
    )


@login_not_required
def offline(request):
    return render(request, "youth/offline.html")


@login_not_required
@cache_control(max_age=3600)
def manifest(request):
    data = {
        "name": "Pass Emploi",
        "short_name": "Pass Emploi",
        "description": "L'application du Contrat d'Engagement Jeune",
        "lang": "fr",
        "start_url": reverse("youth:home"),
        "scope": "/app/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#000091",
        "icons": [
            {
                "src": static("dsfr/dist/favicon/android-chrome-192x192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": static("dsfr/dist/favicon/android-chrome-512x512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@login_not_required
@cache_control(no_cache=True)
def service_worker(request):
    """Served from /app/ so that its scope is the whole young person's app."""
    response = render(
        request,
        "youth/sw.js",
        {
            "offline_url": reverse("youth:offline"),
            "version": SERVICE_WORKER_VERSION,
            "readable_offline": json.dumps([reverse(name) for name in READABLE_OFFLINE]),
        },
        content_type="application/javascript",
    )
    return response
