"""Notifications for an administrator: which e-mails left, which wait, which were set aside and why."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from oasis.notifications.models import Notification

RETRIED = "{count} notification(s) remise(s) dans la file d'envoi : elles partiront au prochain envoi."


class DeliveryFilter(admin.SimpleListFilter):
    title = "envoi par courriel"
    parameter_name = "envoi"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("envoyee", "Envoyée"), ("en_attente", "En attente"), ("mise_de_cote", "Mise de côté (échec)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        if self.value() == "envoyee":
            return queryset.filter(emailed_at__isnull=False)
        if self.value() == "en_attente":
            return queryset.filter(emailed_at__isnull=True, failed_at__isnull=True)
        if self.value() == "mise_de_cote":
            return queryset.filter(failed_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "recipient", "event", "created_at", "emailed_at", "failed_at", "failure_reason")
    list_filter = (DeliveryFilter, "event")
    search_fields = ("title", "recipient__email", "failure_reason")
    list_select_related = ("recipient",)
    readonly_fields = ("recipient", "event", "key", "created_at", "read_at", "emailed_at", "failed_at", "failure_reason")
    actions = ["retry"]

    @admin.action(description="Remettre dans la file d'envoi les courriels mis de côté")
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = queryset.filter(failed_at__isnull=False, emailed_at__isnull=True).update(failed_at=None, failure_reason="")
        self.message_user(request, RETRIED.format(count=count), messages.SUCCESS)
