from django.urls import path

from passemploi.actions import views_young
from passemploi.agenda import views_young as agenda_views
from passemploi.chat import views as chat_views
from passemploi.youth import views

app_name = "youth"
urlpatterns = [
    path("", views.home, name="home"),
    path("suivi/", views_young.tracking, name="tracking"),
    path("messages/", chat_views.young_conversation, name="messages"),
    path("evenements/", agenda_views.events, name="events"),
    path("profil/", views.profile, name="profile"),
    path("cgu/", views.terms, name="terms"),
    path("hors-ligne/", views.offline, name="offline"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]
