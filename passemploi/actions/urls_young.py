"""The young person's action pages, under /app/actions/ (Mon suivi itself is youth:tracking)."""

from django.urls import path

from passemploi.actions import views_young

app_name = "actions_young"
urlpatterns = [
    path("nouvelle/", views_young.create, name="create"),
    path("<uuid:pk>/", views_young.detail, name="detail"),
    path("<uuid:pk>/modifier/", views_young.edit, name="edit"),
    path("<uuid:pk>/statut/", views_young.change_status, name="status"),
    path("<uuid:pk>/dupliquer/", views_young.duplicate, name="duplicate"),
    path("<uuid:pk>/supprimer/", views_young.delete, name="delete"),
]
