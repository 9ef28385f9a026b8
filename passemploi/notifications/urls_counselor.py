"""notifications pages for the counselor."""

from django.urls import path  # noqa: F401

app_name = "notifications_counselor"
urlpatterns = []
