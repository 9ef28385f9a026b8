from django.urls import path

from passemploi.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.commune_options, name="options"),
]
