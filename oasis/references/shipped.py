"""The official files shipped with OASIS (``oasis/data/official/``), imported with the same importers a user runs.

The DREES GP workbook of 2022 ships so that a fresh install shows the official APL out of the box; newer workbooks
are imported by users (``oasis data import drees-apl``) or fetched by ``oasis data update``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from oasis.references.enums import ReferenceKind
from oasis.references.importers import ImportReport, run_import

SHIPPED = {"apl_medecins_generalistes_2022.xlsx": ReferenceKind.DREES_APL}


def shipped_dir() -> Path:
    return Path(settings.OASIS_OFFICIAL_DIR)


def import_shipped() -> list[ImportReport]:
    """Import every shipped official file not imported yet (idempotent: a file already imported is skipped)."""
    return [run_import(kind, shipped_dir() / name) for name, kind in SHIPPED.items()]
