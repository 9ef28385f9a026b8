from django.urls import path

from passemploi.actions import views_counselor as views

app_name = "actions_counselor"
urlpatterns = [
    path(
        "beneficiaires/<uuid:pk>/actions/",
        views.young_person_actions,
        name="young_person_actions",
    ),
    path("beneficiaires/<uuid:pk>/compteur-heures/", views.hour_counter, name="hour_counter"),
    path("actions/nouvelle/", views.create, name="create"),
    path("actions/<uuid:pk>/", views.detail, name="detail"),
    path("actions/<uuid:pk>/modifier/", views.edit, name="edit"),
    path("actions/<uuid:pk>/commentaires/", views.comment, name="comment"),
    path("actions/<uuid:pk>/qualifier/", views.qualify, name="qualify"),
    path("pilotage/actions-a-qualifier/", views.to_qualify, name="to_qualify"),
]
