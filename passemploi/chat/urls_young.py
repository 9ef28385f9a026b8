"""The young person's conversation actions, under /app/messages/ (the page is youth:messages)."""

from django.urls import path

from passemploi.chat import views, views_items

app_name = "chat_young"
urlpatterns = [
    path("fil/", views.young_thread, name="thread"),
    path("message/<uuid:pk>/modifier/", views.young_edit, name="edit"),
    path("message/<uuid:pk>/supprimer/", views.young_delete, name="delete"),
    path("pieces-jointes/<uuid:pk>/", views_items.young_attachment, name="attachment"),
]
