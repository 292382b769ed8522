from django.contrib import admin

from oasis.references.models import ReferenceImport


@admin.register(ReferenceImport)
class ReferenceImportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("kind", "millesime", "fichier", "imported_at", "duration_seconds")
    list_filter = ("kind",)
    readonly_fields = [field.name for field in ReferenceImport._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
