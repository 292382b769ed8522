"""Who did what, when, to which object: written in the same transaction as the change itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oasis.audit.labels import action_label


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=60)
    objet_type = models.CharField(max_length=60)
    objet_id = models.CharField(max_length=40)
    objet_libelle = models.CharField(max_length=300)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["objet_type", "objet_id"])]
        verbose_name = "événement du journal"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.objet_type}:{self.objet_id}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)
