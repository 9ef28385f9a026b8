"""news pages for the counselor."""

from django.urls import path  # noqa: F401

app_name = "news_counselor"
urlpatterns = []
