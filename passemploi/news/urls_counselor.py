"""The counselor's news pages, under /conseiller/actualites/."""

from django.urls import path

from passemploi.news import views

app_name = "news_counselor"
urlpatterns = [
    path("", views.counselor_index, name="index"),
    path("nouvelle/", views.create, name="create"),
    path("<uuid:pk>/modifier/", views.edit, name="edit"),
    path("<uuid:pk>/supprimer/", views.delete, name="delete"),
]
