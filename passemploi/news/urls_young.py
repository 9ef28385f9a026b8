"""The young person's structure news ("Ma Mission Locale"), under /app/ma-structure/."""

from django.urls import path

from passemploi.news import views

app_name = "news_young"
urlpatterns = [
    path("", views.young_index, name="index"),
]
