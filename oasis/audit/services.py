"""Record an event; callers do it inside the transaction that makes the change."""

from __future__ import annotations

from typing import Any

from django.db import models

from oasis.audit.models import AuditEvent


def record(user: Any, action: str, obj: models.Model, details: dict[str, Any] | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        objet_type=obj._meta.label_lower,
        objet_id=str(obj.pk),
        objet_libelle=str(obj)[:300],
        details=details or {},
    )


def history(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(objet_type=obj._meta.label_lower, objet_id=str(obj.pk)).select_related("user")
