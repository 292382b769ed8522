"""An administrator may set any Département's contact here (its officers have their own page)."""

from django.contrib import admin

from oasis.installation.models import DepartementContact


@admin.register(DepartementContact)
class DepartementContactAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("departement", "nom", "fonction", "telephone", "email", "updated_at")
    search_fields = ("nom", "departement__nom")
