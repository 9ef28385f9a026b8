"""The young person's agenda pages, under /app/agenda/ (Événements itself is youth:events).

/app/agenda/<uuid>/ is linked from iCalendar files and invitation emails: keep it stable.
"""

from django.urls import path

from passemploi.agenda import views_young

app_name = "agenda_young"
urlpatterns = [
    path("synchronisation/", views_young.sync, name="sync"),
    path("synchronisation/revoquer/", views_young.sync_revoke, name="sync_revoke"),
    path("<uuid:pk>/", views_young.detail, name="detail"),
    path("<uuid:pk>/rendez-vous.ics", views_young.ics_file, name="ics"),
    path("<uuid:pk>/inscription/", views_young.register, name="register"),
    path("<uuid:pk>/desinscription/", views_young.unregister, name="unregister"),
]
