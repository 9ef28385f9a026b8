from django.urls import path

from passemploi.mfa import views

app_name = "mfa"
urlpatterns = [
    path("connexion/code/", views.verify, name="verify"),
    path("connexion/double-authentification/", views.enrol, name="enrol"),
    path("compte/securite/", views.security, name="security"),
]
