from django.urls import path

from passemploi.offers import views, views_alerts, views_favourites

app_name = "offers_counselor"
urlpatterns = [
    path("", views.counselor_search, name="search"),
    path("<int:offer_id>/", views.counselor_detail, name="detail"),
    path("<int:offer_id>/partager/", views_alerts.share, name="share"),
    path("suggerer/", views_alerts.suggest, name="suggest"),
    path(
        "beneficiaires/<uuid:pk>/suivi/",
        views_favourites.young_person_favourites,
        name="young_person_favourites",
    ),
]
