from django.contrib.auth.views import LogoutView
from django.urls import path

from oasis.accounts.views import ThrottledLoginView
from oasis.www import diagnostic_views, map_views, observatory_views, planning_views, projects_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("territoires/<str:niveau>/<str:code>/", views.territory, name="territory"),
    path("territoires/<str:niveau>/<str:code>/etat-des-lieux/", diagnostic_views.diagnostic, name="diagnostic"),
    path("territoires/<str:niveau>/<str:code>/etat-des-lieux.pdf", diagnostic_views.diagnostic_pdf, name="diagnostic_pdf"),
    path("territoires/<str:niveau>/<str:code>/etat-des-lieux.csv", diagnostic_views.diagnostic_csv, name="diagnostic_csv"),
    path("carte/", map_views.map_page, name="map"),
    path("implantation/", planning_views.planning, name="planning"),
    path("implantation/sites.csv", planning_views.planning_csv, name="planning_csv"),
    path("epci/", views.epci_list, name="epci_list"),
    path("connexion/", ThrottledLoginView.as_view(), name="login"),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path("projets/", projects_views.project_list, name="projects"),
    path("projets/export.csv", projects_views.project_export, name="project_export"),
    path("projets/nouveau/", projects_views.project_create, name="project_create"),
    path("projets/<int:pk>/", projects_views.project_detail, name="project_detail"),
    path("projets/<int:pk>/etape/", projects_views.project_move, name="project_move"),
    path("projets/<int:pk>/commentaire/", projects_views.project_comment, name="project_comment"),
    path("projets/<int:pk>/action/", projects_views.project_next_action, name="project_next_action"),
    path("projets/<int:pk>/equipe/", projects_views.project_team_add, name="project_team_add"),
    path("projets/<int:pk>/equipe/<int:member_id>/retrait/", projects_views.project_team_remove, name="project_team_remove"),
    path("projets/<int:pk>/cahier-des-charges/", projects_views.project_checklist, name="project_checklist"),
    path("projets/<int:pk>/avis.pdf", projects_views.project_avis, name="project_avis"),
    path("sources/", views.sources, name="sources"),
    path("observatoire/", observatory_views.observatory, name="observatory"),
    path("observatoire/choisir/", observatory_views.observatory_pick, name="observatory_pick"),
    path("observatoire/serie.csv", observatory_views.observatory_csv, name="observatory_csv"),
    path("observatoire/<str:niveau>/<str:code>/", observatory_views.observatory, name="observatory_place"),
    path("observatoire/<str:niveau>/<str:code>/serie.csv", observatory_views.observatory_csv, name="observatory_place_csv"),
]
