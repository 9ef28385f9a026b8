from django.urls import path

from passemploi.actions import views_young
from passemploi.agenda import views_young as agenda_views
from passemploi.chat import views as chat_views
from passemploi.youth import views, views_settings

app_name = "youth"
urlpatterns = [
    path("", views.home, name="home"),
    path("suivi/", views_young.tracking, name="tracking"),
    path("messages/", chat_views.young_conversation, name="messages"),
    path("evenements/", agenda_views.events, name="events"),
    path("profil/", views.profile, name="profile"),
    path("cgu/", views.terms, name="terms"),
    path("bienvenue/", views_settings.onboarding, name="onboarding"),
    path("bienvenue/termine/", views_settings.onboarding_done, name="onboarding_done"),
    path("aide/", views_settings.faq, name="faq"),
    path("aide/contact/", views_settings.contact, name="contact"),
    path("profil/mes-donnees/", views_settings.data_export, name="data_export"),
    path(
        "profil/mes-donnees/<uuid:pk>/",
        views_settings.data_export_download,
        name="data_export_download",
    ),
    path("hors-ligne/", views.offline, name="offline"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
]
