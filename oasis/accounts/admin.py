from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from oasis.accounts.models import ProConnectIdentity, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The role is chosen by name (« ARS — délégation départementale ») and the département by its name too; a
    délégation's région is its département's (Profile.save)."""

    list_display = ("user", "role", "departement", "region", "collectivite_niveau", "collectivite_code")
    list_filter = ("role", "region", "departement")
    search_fields = ("user__username", "user__email", "organisation")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        for name in ("departement", "region"):
            if name in form.base_fields:
                field = form.base_fields[name]
                field.queryset = field.queryset.order_by("nom")  # type: ignore[attr-defined]
        return form


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
