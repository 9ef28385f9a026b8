"""The counselor's notification switch (the email digest), under /conseiller/notifications/."""

from django.urls import path

from passemploi.notifications import views

app_name = "notifications_counselor"
urlpatterns = [path("", views.counselor_preferences, name="preferences")]
