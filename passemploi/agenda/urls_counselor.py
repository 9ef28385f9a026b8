from django.urls import path

from passemploi.agenda import views_attendance
from passemploi.agenda import views_counselor as views

app_name = "agenda_counselor"
urlpatterns = [
    path("agenda/", views.week, name="week"),
    path("agenda/nouveau/", views.create, name="create"),
    path("agenda/sessions/nouvelle/", views.create_session, name="create_session"),
    path("agenda/<uuid:pk>/", views.detail, name="detail"),
    path("agenda/<uuid:pk>/modifier/", views.edit, name="edit"),
    path("agenda/<uuid:pk>/annuler/", views.cancel, name="cancel"),
    path("agenda/<uuid:pk>/inscrire/", views.register, name="register"),
    path("agenda/<uuid:pk>/desinscrire/", views.unregister, name="unregister"),
    path("agenda/<uuid:pk>/clore/", views_attendance.close, name="close"),
    path("agenda/<uuid:pk>/emargement/", views_attendance.sheet, name="sheet"),
    path("agenda/<uuid:pk>/emargement.csv", views_attendance.sheet_csv, name="sheet_csv"),
    path("pilotage/a-clore/", views_attendance.to_close, name="to_close"),
]
