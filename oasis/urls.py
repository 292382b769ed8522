"""Root URLs: pages, then the JSON API under /api/."""

from django.contrib import admin
from django.urls import include, path

from oasis.api.views import api
from oasis.www.api_docs_views import api_docs

handler400 = "oasis.www.errors.bad_request"
handler403 = "oasis.www.errors.permission_denied"
handler404 = "oasis.www.errors.page_not_found"
handler500 = "oasis.www.errors.server_error"

admin.site.site_header = "Administration d'OASIS"
admin.site.site_title = "Administration d'OASIS"
admin.site.index_title = "Tables de la base de données"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/docs", api_docs, name="api_docs"),  # before the API: its own accessible page, not Swagger UI
    path("api/", api.urls),
    path("", include("oasis.www.urls")),
]
