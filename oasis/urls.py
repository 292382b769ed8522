"""Root URLs: pages, then the JSON API under /api/."""

from django.urls import include, path

from oasis.api.views import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("oasis.www.urls")),
]
