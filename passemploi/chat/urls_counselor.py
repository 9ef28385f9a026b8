"""The counselor's messaging pages, under /conseiller/messagerie/."""

from django.urls import path

from passemploi.chat import views, views_items

app_name = "chat_counselor"
urlpatterns = [
    path("", views.counselor_list, name="list"),
    path("beneficiaire/<uuid:pk>/", views.counselor_start, name="start"),
    path("<uuid:pk>/", views.counselor_conversation, name="conversation"),
    path("<uuid:pk>/fil/", views.counselor_thread, name="thread"),
    path("<uuid:pk>/suivi/", views.counselor_flag, name="flag"),
    path("message/<uuid:pk>/modifier/", views.counselor_edit, name="edit"),
    path("message/<uuid:pk>/supprimer/", views.counselor_delete, name="delete"),
    path("pieces-jointes/<uuid:pk>/", views_items.counselor_attachment, name="attachment"),
    path("partager/", views_items.counselor_share, name="share"),
]
