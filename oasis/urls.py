"""Root URLs: pages, then the JSON API under /api/."""

from django.contrib import admin
from django.urls import include, path

from oasis.api.views import api

handler400 = "oasis.www.errors.bad_request"
handler403 = "oasis.www.errors.permission_denied"
handler404 = "oasis.www.errors.page_not_found"
handler500 = "oasis.www.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("oasis.www.urls")),
]
