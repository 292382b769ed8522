from django.urls import path

from oasis.www import diagnostic_views, map_views, observatory_views, planning_views, views

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
    path("sources/", views.sources, name="sources"),
    path("observatoire/", observatory_views.observatory, name="observatory"),
    path("observatoire/choisir/", observatory_views.observatory_pick, name="observatory_pick"),
    path("observatoire/serie.csv", observatory_views.observatory_csv, name="observatory_csv"),
    path("observatoire/<str:niveau>/<str:code>/", observatory_views.observatory, name="observatory_place"),
    path("observatoire/<str:niveau>/<str:code>/serie.csv", observatory_views.observatory_csv, name="observatory_place_csv"),
]
