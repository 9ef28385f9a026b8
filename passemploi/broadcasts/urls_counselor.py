"""The counselor's broadcast pages, under /conseiller/listes/."""

from django.urls import path

from passemploi.broadcasts import views

app_name = "broadcasts_counselor"
urlpatterns = [
    path("", views.index, name="index"),
    path("nouvelle/", views.create, name="create"),
    path("<uuid:pk>/", views.edit, name="edit"),
    path("<uuid:pk>/supprimer/", views.delete, name="delete"),
    path("message/", views.send, name="send"),
    path("message-important/", views.notice, name="notice"),
    path("message-important/retirer/", views.notice_remove, name="notice_remove"),
]
