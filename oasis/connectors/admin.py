"""The synchronisations in the admin: the last ones, what each changed and any error; the imported aids, read only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join

from oasis.connectors.models import Aide, SyncRun
from oasis.connectors.summary import LABELS, describe


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnly):
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
