from django.urls import path

from passemploi.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("mentions-legales/", views.public_page("core/legal.html"), name="legal"),
    path("donnees-personnelles/", views.public_page("core/privacy.html"), name="privacy"),
    path("cgu/", views.public_page("core/terms.html"), name="terms"),
    path("accessibilite/", views.public_page("core/accessibility.html"), name="accessibility"),
]
