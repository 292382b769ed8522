"""One importer per official reference, behind one entry point (``run_import``) used by the command and the update."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oasis.references.enums import ReferenceKind
from oasis.references.importers import drees_apl, finess, rpps, zonage
from oasis.references.importers.common import ImportReport, Progress, no_progress


@dataclass(frozen=True)
class Importer:
    function: Callable[..., ImportReport]
    stages: int


IMPORTERS: dict[str, Importer] = {
    ReferenceKind.DREES_APL.value: Importer(drees_apl.import_drees_apl, drees_apl.STAGES),
    ReferenceKind.RPPS.value: Importer(rpps.import_rpps, rpps.STAGES),
    ReferenceKind.FINESS.value: Importer(finess.import_finess, finess.STAGES),
    ReferenceKind.ZONAGE.value: Importer(zonage.import_zonage, zonage.STAGES),
}


def run_import(
    kind: str, path: Path, *, tvs: Path | None = None, dry_run: bool = False, progress: Progress = no_progress
) -> ImportReport:
    """Import ``path`` as the official reference ``kind`` (see each importer's contract)."""
    options: dict[str, Any] = {"dry_run": dry_run, "progress": progress}
    if kind == ReferenceKind.ZONAGE:
        options["tvs"] = tvs
    return IMPORTERS[kind].function(path, **options)


__all__ = ["IMPORTERS", "ImportReport", "no_progress", "run_import"]
