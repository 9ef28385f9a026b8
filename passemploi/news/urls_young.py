"""news pages for the young."""

from django.urls import path  # noqa: F401

app_name = "news_young"
urlpatterns = []
