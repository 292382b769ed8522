"""Which version of the data is loaded, and what is kept while it stays the same.

Results computed on another version are not reused: a key carries the version of the data and of OASIS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count, Max

import oasis
from oasis.datasets import precomputed

T = TypeVar("T")
KEPT_SECONDS = 24 * 3600
_MISSING = object()
_building: ContextVar[str | None] = ContextVar("oasis_kept_building", default=None)
"""The data version a ``kept`` value is being built on: what it keeps inside is read on the same version (3 queries
less each; the outer value is labelled with that version anyway)."""


def data_version() -> str:
    """Latest bundle load, reference import and practitioner import, and how many of each, as
    ``"bundle.n:reference.n:practitioner.n"``: an import deleted (a zoning order withdrawn, whose older order acts
    again) is a new version too, whichever it was."""
    parts = []
    for label in ("datasets.BundleLoad", "references.ReferenceImport", "accessibility.PractitionerImport"):
        found = apps.get_model(label).objects.aggregate(latest=Max("pk"), count=Count("pk"))
        parts.append(f"{found['latest'] or 0}.{found['count']}")
    return ":".join(parts)


def version() -> str:
    """The data version and OASIS's: what a computed answer depends on besides its parameters."""
    return f"{data_version()}|{oasis.__version__}"


def kept(
    key: str, build: Callable[[], T], seconds: int = KEPT_SECONDS, current: str | None = None, process_cache: bool = True
) -> T:
    """``build()``, kept while the data and OASIS stay the same (3 queries to check): in the process cache, and in the
    files every process reads (precomputed.py), so that what one process or ``oasis precalculer`` computed, another
    reads instead of computing it again. ``current``: ``version()`` when the caller has just read it.
    ``process_cache=False``: the caller keeps the value in its own memory (large national arrays: the process cache
    pickles what it is given, a tenth of a second for the units, and unpickles it at each read)."""
    current = current or _building.get() or version()
    versioned = f"{key}:{current}"
    value = cache.get(versioned, _MISSING) if process_cache else _MISSING
    if value is _MISSING:
        value = precomputed.read(key, current)
        if value is precomputed.MISSING:
            token = _building.set(current)
            try:
                value = build()
            finally:
                _building.reset(token)
            precomputed.write(key, current, value)
        if process_cache:
            cache.set(versioned, value, seconds)
    return value  # type: ignore[return-value]


def etag(key: str, current: str) -> str:
    """A strong validator of what ``kept(key, …)`` answers on the data version ``current``: both, hashed."""
    return '"' + hashlib.sha256(f"{key}:{current}".encode()).hexdigest()[:32] + '"'
