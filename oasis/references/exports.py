"""The official APL as CSV (values exactly as published) and its provenance."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from oasis.references.models import OfficialApl
    from oasis.references.services import OfficialAplSummary
    from oasis.territories.services import Territory

OFFICIAL_COLUMNS = ("code_insee", "nom", "apl", "apl_moins_65", "pop_standardisee", "pop_totale")


def official_to_csv(rows: QuerySet[OfficialApl]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OFFICIAL_COLUMNS)
    for values in rows.values_list(*OFFICIAL_COLUMNS):
        writer.writerow([_published(value) for value in values])
    return buffer.getvalue()


def official_provenance(summary: OfficialAplSummary | None, territory: Territory | None) -> dict[str, Any]:
    return {
        "source": "officielle",
        "territoire": {"niveau": territory.niveau, "code": territory.code, "nom": territory.nom} if territory else "France",
        "resume": asdict(summary) if summary else None,
    }


def _published(value: object) -> object:
    """A value as the workbook holds it: 806 stays 806, 1.89 stays 1.89, a missing value is empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return int(value) if value.is_integer() else repr(value)
    return value
