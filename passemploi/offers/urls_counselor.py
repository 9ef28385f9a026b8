from django.urls import path

from passemploi.offers import views, views_favourites

app_name = "offers_counselor"
urlpatterns = [
    path("", views.counselor_search, name="search"),
    path("<int:offer_id>/", views.counselor_detail, name="detail"),
    path(
        "beneficiaires/<uuid:pk>/suivi/",
        views_favourites.young_person_favourites,
        name="young_person_favourites",
    ),
]
