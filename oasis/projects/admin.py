"""The cahier des charges of each région is edited here by an administrator."""

from django.contrib import admin

from oasis.projects.models import CahierDesCharges


@admin.register(CahierDesCharges)
class CahierDesChargesAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("titre", "region", "min_generalistes", "min_auxiliaires", "salaries_moins_que_associes")
