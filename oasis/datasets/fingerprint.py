"""Which version of the data is loaded, and what is kept while it stays the same.

Results computed on another version are not reused: a key carries the version of the data and of OASIS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db.models import Max

import oasis

T = TypeVar("T")
KEPT_SECONDS = 24 * 3600
_MISSING = object()


def data_version() -> str:
    """Latest bundle load, reference import and practitioner import, as ``"bundle:reference:practitioner"``."""
    parts = []
    for label in ("datasets.BundleLoad", "references.ReferenceImport", "accessibility.PractitionerImport"):
        latest = apps.get_model(label).objects.aggregate(latest=Max("pk"))["latest"]
        parts.append(str(latest or 0))
    return ":".join(parts)


def version() -> str:
    """The data version and OASIS's: what a computed answer depends on besides its parameters."""
    return f"{data_version()}|{oasis.__version__}"


def kept(key: str, build: Callable[[], T], seconds: int = KEPT_SECONDS) -> T:
    """``build()``, kept in the process cache while the data and OASIS stay the same (3 queries to check)."""
    versioned = f"{key}:{version()}"
    value = cache.get(versioned, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(versioned, value, seconds)
    return value  # type: ignore[no-any-return]
