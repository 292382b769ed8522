from django.contrib import admin

from oasis.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "departement", "region", "collectivite_niveau", "collectivite_code")
    list_filter = ("role",)
