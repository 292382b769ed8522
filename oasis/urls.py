"""Root URLs: pages, then the JSON API under /api/."""

from django.contrib import admin
from django.urls import include, path

from oasis.api.views import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("oasis.www.urls")),
]
