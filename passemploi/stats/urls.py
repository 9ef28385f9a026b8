from django.urls import path

from passemploi.stats import views

app_name = "stats"

urlpatterns = [
    path("stats/", views.public, name="public"),
    path("stats/donnees.csv", views.download, name="csv"),
    path("conseiller/pilotage/impact/", views.impact, name="impact"),
]
