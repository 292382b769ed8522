from django.contrib import admin
from django.http import HttpRequest

from oasis.accounts.models import ProConnectIdentity, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "departement", "region", "collectivite_niveau", "collectivite_code")
    list_filter = ("role",)


@admin.register(ProConnectIdentity)
class ProConnectIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: an identity is bound by the first ProConnect sign-in; deleting it lets the account be bound anew."""

    list_display = ("user", "sub", "linked_at")
    search_fields = ("user__username", "user__email", "sub")
    readonly_fields = ("user", "sub", "linked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
