"""Which version of the data is loaded, and what is kept while it stays the same.

Results computed on another version are not reused: a key carries the version of the data and of OASIS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db.models import Max

import oasis
from oasis.datasets import precomputed

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


def kept(key: str, build: Callable[[], T], seconds: int = KEPT_SECONDS, current: str | None = None) -> T:
    """``build()``, kept while the data and OASIS stay the same (3 queries to check): in the process cache, and in the
    files every process reads (precomputed.py), so that what one process or ``oasis precalculer`` computed, another
    reads instead of computing it again. ``current``: ``version()`` when the caller has just read it."""
    current = current or version()
    versioned = f"{key}:{current}"
    value = cache.get(versioned, _MISSING)
    if value is _MISSING:
        value = precomputed.read(key, current)
        if value is precomputed.MISSING:
            value = build()
            precomputed.write(key, current, value)
        cache.set(versioned, value, seconds)
    return value  # type: ignore[no-any-return]


def etag(key: str, current: str) -> str:
    """A strong validator of what ``kept(key, …)`` answers on the data version ``current``: both, hashed."""
    return '"' + hashlib.sha256(f"{key}:{current}".encode()).hexdigest()[:32] + '"'
