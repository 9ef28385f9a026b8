"""broadcasts pages for the counselor."""

from django.urls import path  # noqa: F401

app_name = "broadcasts_counselor"
urlpatterns = []
