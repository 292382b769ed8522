"""The cahier des charges of each région is edited here by an administrator."""

from django.contrib import admin

from oasis.projects.models import AciBareme, CahierDesCharges, FundingTool


@admin.register(CahierDesCharges)
class CahierDesChargesAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("titre", "region", "kind", "min_generalistes", "min_auxiliaires", "salaries_moins_que_associes")


@admin.register(FundingTool)
class FundingToolAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("nom", "financeur", "nature", "public", "montant_max", "taux_max", "zone", "territoire", "ordre")
    list_editable = ("ordre",)


@admin.register(AciBareme)
class AciBaremeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("nom", "kind", "actif", "valeur_point", "patientele_reference")
