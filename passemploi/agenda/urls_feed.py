"""Calendar subscriptions, mounted at the site root: the public-by-token feed, and the
counselor's subscription page (an explicit path beside the counselor agenda's own pages)."""

from django.urls import path

from passemploi.agenda import views_feed

app_name = "calendar_feed"
urlpatterns = [
    path("calendrier/<str:token>.ics", views_feed.feed, name="feed"),
    path("conseiller/agenda/synchronisation/", views_feed.counselor_sync, name="counselor_sync"),
    path(
        "conseiller/agenda/synchronisation/revoquer/",
        views_feed.counselor_revoke,
        name="counselor_revoke",
    ),
]
