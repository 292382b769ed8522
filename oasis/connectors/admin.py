"""The synchronisations in the admin: the last ones, what each changed and any error; the imported aids, read only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.html import format_html_join

from oasis.connectors.enums import Connector
from oasis.connectors.models import Aide, SyncRun
from oasis.connectors.summary import LABELS, describe
from oasis.connectors.tasks import synchronise_now


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def sources() -> list[tuple[str, str, str]]:
    """What can be synchronised on this instance: (connector, source, label)."""
    found: list[tuple[str, str, str]] = []
    if settings.OASIS_AIDES_TERRITOIRES_KEY:
        found.append((Connector.AIDES_TERRITOIRES, settings.OASIS_AIDES_TERRITOIRES_URL, "Aides-territoires"))
    for number in settings.OASIS_DS_DEMARCHES:
        found.append((Connector.DEMARCHES_SIMPLIFIEES, f"démarche {number}", f"Démarches simplifiées, démarche {number}"))
    return found


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnly):
    change_list_template = "admin/connectors/syncrun/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        sync = path("synchroniser/", self.admin_site.admin_view(self.synchronise_view), name="connectors_syncrun_synchroniser")
        return [sync, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "sources": sources()})

    def synchronise_view(self, request: HttpRequest) -> HttpResponse:
        """Queue one synchronisation for the worker (POST only); its run appears in the list when it starts."""
        if request.method != "POST" or not request.user.is_superuser:
            raise PermissionDenied
        chosen = next((s for s in sources() if f"{s[0]}|{s[1]}" == request.POST.get("source")), None)
        if chosen is None:
            messages.error(request, "Source inconnue ou non configurée.")
        else:
            synchronise_now.enqueue(chosen[0], chosen[1], request.user.pk)
            messages.success(request, f"Synchronisation « {chosen[2]} » demandée : elle s'affichera ici dès son début.")
        return redirect("admin:connectors_syncrun_changelist")

    list_display = ("started_at", "connector", "source", "status", "summary", "error")
    list_filter = ("connector", "status")
    fields = ("connector", "source", "started_at", "finished_at", "status", "by", "error", "details")

    @admin.display(description="changements")
    def summary(self, run: SyncRun) -> str:
        return describe(run.changes) if run.changes else "—"

    @admin.display(description="détail des changements")
    def details(self, run: SyncRun) -> str:
        sections = [
            (LABELS.get(key, key), format_html_join("", "<li>{}</li>", ((item,) for item in items)))
            for key, items in (run.changes or {}).items()
            if items
        ]
        return format_html_join("", "<h3>{}</h3><ul>{}</ul>", sections) or "—"


@admin.register(Aide)
class AideAdmin(ReadOnly):
    list_display = ("nom", "perimetre", "perimetre_echelle", "date_limite", "statut", "pour_projets", "pour_professionnels")
    list_filter = ("statut", "perimetre_echelle", "pour_projets", "pour_professionnels")
    search_fields = ("nom", "perimetre")
