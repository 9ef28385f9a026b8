from django.contrib import admin
from django.urls import include, path

from passemploi.core.api import api_urlpatterns

urlpatterns = [
    path("", include("passemploi.core.urls")),
    path("", include("passemploi.accounts.urls")),
    path("", include("passemploi.mfa.urls")),
    path("", include("passemploi.sso.urls")),
    path("conseiller/", include("passemploi.portfolio.urls")),
    path("conseiller/", include("passemploi.actions.urls_counselor")),
    # Calendar feeds (/calendrier/<token>.ics) and /conseiller/agenda/synchronisation/: before
    # the counselor agenda's own /conseiller/agenda/ pages.
    path("", include("passemploi.agenda.urls_feed")),
    path("conseiller/", include("passemploi.agenda.urls_counselor")),
    path("conseiller/messagerie/", include("passemploi.chat.urls_counselor")),
    path("conseiller/listes/", include("passemploi.broadcasts.urls_counselor")),
    path("conseiller/actualites/", include("passemploi.news.urls_counselor")),
    path("conseiller/notifications/", include("passemploi.notifications.urls_counselor")),
    # Before youth's own /app/ patterns: the offers pages replace its "Offres" placeholder.
    path("app/offres/", include("passemploi.offers.urls_young")),
    path("app/", include("passemploi.youth.urls")),
    path("app/messages/", include("passemploi.chat.urls_young")),
    path("app/actions/", include("passemploi.actions.urls_young")),
    path("app/agenda/", include("passemploi.agenda.urls_young")),
    path("app/ma-structure/", include("passemploi.news.urls_young")),
    path("app/notifications/", include("passemploi.notifications.urls_young")),
    path("conseiller/offres/", include("passemploi.offers.urls_counselor")),
    path("communes/", include("passemploi.geo.urls")),
    # Public /stats/ and the impact dashboard /conseiller/pilotage/impact/.
    path("", include("passemploi.stats.urls")),
    path("api/v1/", api_urlpatterns()),
    path("admin/", admin.site.urls),
]

handler403 = "passemploi.core.views.error_403"
handler404 = "passemploi.core.views.error_404"
handler500 = "passemploi.core.views.error_500"
