from django.urls import path

from passemploi.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.index, name="index"),
    path(
        "beneficiaires/<uuid:pk>/renvoyer-activation/",
        views.resend_activation,
        name="resend_activation",
    ),
    path("equipe/", views.team, name="team"),
    path("profil/", views.profile, name="profile"),
]
