from django.urls import path

from oasis.www import views

urlpatterns = [
    path("", views.home, name="home"),
    path("territoires/<str:niveau>/<str:code>/", views.territory, name="territory"),
    path("epci/", views.epci_list, name="epci_list"),
    path("sources/", views.sources, name="sources"),
]
