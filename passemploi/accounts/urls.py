from django.urls import path

from passemploi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("compte/deconnexion-partout/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("activation/<str:token>/", views.activate, name="activate"),
    path("mot-de-passe-oublie/", views.password_views["reset"], name="password_reset"),
    path("mot-de-passe-oublie/envoye/", views.password_views["done"], name="password_reset_done"),
    path(
        "reinitialisation/<uidb64>/<token>/",
        views.password_views["confirm"],
        name="password_reset_confirm",
    ),
    path(
        "reinitialisation/terminee/",
        views.password_views["complete"],
        name="password_reset_complete",
    ),
]
