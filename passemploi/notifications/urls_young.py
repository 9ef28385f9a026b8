"""The young person's notification centre and switches, under /app/notifications/."""

from django.urls import path

from passemploi.notifications import views

app_name = "notifications_young"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("<uuid:pk>/lire/", views.read, name="read"),
    path("tout-lire/", views.read_all, name="read_all"),
    path("preferences/", views.young_preferences, name="preferences"),
]
