from django.urls import path

from passemploi.sso import views

app_name = "sso"
urlpatterns = [
    path("connexion/federee/<str:provider>/", views.start, name="start"),
    path("connexion/federee/<str:provider>/retour/", views.callback, name="callback"),
]
