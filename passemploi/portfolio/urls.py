from django.urls import path

from passemploi.portfolio import views, views_file, views_moves

app_name = "portfolio"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views_file.export, {"fmt": "csv"}, name="export_csv"),
    path("export.xlsx", views_file.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("beneficiaires/<uuid:pk>/", views_file.young_person_file, name="file"),
    path(
        "beneficiaires/<uuid:pk>/renvoyer-activation/",
        views.resend_activation,
        name="resend_activation",
    ),
    path("beneficiaires/<uuid:pk>/archiver/", views_moves.archive, name="archive"),
    path("beneficiaires/<uuid:pk>/desarchiver/", views_moves.unarchive, name="unarchive"),
    path("reprendre/", views_moves.take_back, name="take_back"),
    path("equipe/", views.team, name="team"),
    path("equipe/reaffectation/", views_moves.reassign, name="reassign"),
    path("equipe/archives/", views_moves.archives, name="archives"),
    path("profil/", views.profile, name="profile"),
]
