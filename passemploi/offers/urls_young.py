from django.urls import path

from passemploi.offers import views, views_alerts, views_favourites

app_name = "offers_young"
urlpatterns = [
    path("", views.young_search, name="search"),
    path("<int:offer_id>/", views.young_detail, name="detail"),
    path("<int:offer_id>/suivre/", views_favourites.save, name="save"),
    path("<int:offer_id>/ne-plus-suivre/", views_favourites.remove, name="remove"),
    path("<int:offer_id>/postuler/", views_favourites.apply, name="apply"),
    path("suivi/", views_favourites.favourite_list, name="favourites"),
    path("suivi/partage/", views_favourites.sharing, name="sharing"),
    path("suivi/<uuid:pk>/reponse/", views_favourites.answer, name="answer"),
    path("suivi/<uuid:pk>/etat/", views_favourites.change_status, name="status"),
    path("suivi/<uuid:pk>/action/", views_favourites.create_action, name="create_action"),
    path("alertes/", views_alerts.alert_list, name="alerts"),
    path("alertes/creer/", views_alerts.alert_create, name="alert_create"),
    path("alertes/<uuid:pk>/renommer/", views_alerts.alert_rename, name="alert_rename"),
    path("alertes/<uuid:pk>/supprimer/", views_alerts.alert_delete, name="alert_delete"),
    path(
        "suggestions/<uuid:pk>/accepter/",
        views_alerts.suggestion_accept,
        name="suggestion_accept",
    ),
    path(
        "suggestions/<uuid:pk>/refuser/",
        views_alerts.suggestion_refuse,
        name="suggestion_refuse",
    ),
]
