"""Each synchronisation leaves a :class:`SyncRun`: what it changed, or the error that stopped it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone

from oasis.connectors.enums import SyncStatus
from oasis.connectors.http import ConnectorError
from oasis.connectors.models import SyncRun


@contextmanager
def tracked(connector: str, source: str, by: Any = None) -> Iterator[SyncRun]:
    """Record a run around a synchronisation; an error is written on the run, then raised again."""
    run = SyncRun.objects.create(
        connector=connector, source=source[:200], by=by if getattr(by, "is_authenticated", False) else None
    )
    try:
        yield run
    except ConnectorError as error:
        run.status, run.error, run.changes = SyncStatus.ECHEC, str(error), {}
        raise
    except Exception as error:
        run.status, run.error, run.changes = SyncStatus.ECHEC, f"Erreur inattendue : {error!r}", {}
        raise
    else:
        run.status = SyncStatus.REUSSIE
    finally:
        run.finished_at = timezone.now()
        run.save()


def last_success(connector: str, source: str | None = None) -> SyncRun | None:
    """The last synchronisation of a connector (and source) that succeeded."""
    runs = SyncRun.objects.filter(connector=connector, status=SyncStatus.REUSSIE)
    if source is not None:
        runs = runs.filter(source=source)
    return runs.order_by("-started_at").first()
