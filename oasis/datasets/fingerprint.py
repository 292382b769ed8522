"""Which version of the data is loaded: results computed on another version are not reused."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Max


def data_version() -> str:
    """Latest bundle load, reference import and practitioner import, as ``"bundle:reference:practitioner"``."""
    parts = []
    for label in ("datasets.BundleLoad", "references.ReferenceImport", "accessibility.PractitionerImport"):
        latest = apps.get_model(label).objects.aggregate(latest=Max("pk"))["latest"]
        parts.append(str(latest or 0))
    return ":".join(parts)
