"""Aid schemes are configured here by an administrator (Département officers have their own page)."""

from django.contrib import admin

from oasis.recruitment.models import AidScheme


@admin.register(AidScheme)
class AidSchemeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("nom", "departement", "kind", "montant_mensuel", "plafond", "duree_engagement_mois", "actif")
    list_filter = ("kind", "actif")
