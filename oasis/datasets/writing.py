"""Writing the bundle: the communes' rows, each file and its manifest, swapped in whole once complete."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from oasis.datasets import sources as src
from oasis.datasets.bundle import BUNDLE_FORMAT, FILES, MANIFEST, manifest_bytes
from oasis.datasets.cog import Cog2025
from oasis.datasets.csvio import csv_bytes, sha256, write_gzip


def commune_rows(cog: Cog2025, libelles: dict[tuple[str, str], str]) -> list[tuple[object, ...]]:
    def number(value: float | None, digits: int) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    rows: list[tuple[object, ...]] = []
    for code in sorted(cog.communes):
        commune = cog.communes[code]
        rows.append(
            (
                code,
                commune.nom,
                commune.type,
                commune.parent,
                commune.departement,
                commune.region,
                commune.epci,
                commune.population,
                number(commune.pop_totale_drees, 0),
                number(commune.pop_standardisee, 3),
                number(commune.longitude, 6),
                number(commune.latitude, 6),
                commune.point_source,
                number(commune.area_km2, 3),
                commune.bassin_de_vie,
                commune.aav2020,
                libelles.get(("AAV2020", commune.aav2020), ""),
                commune.categorie_aav,
                commune.codes_postaux,
            )
        )
    return rows


def write_bundle(output: Path, tables: Mapping[str, Iterable[Sequence[object]]]) -> dict[str, object]:
    """Write each table as the bundle file of that name, with the manifest, all at once; return the manifest."""
    contents = {name: csv_bytes(FILES[name], rows) for name, rows in tables.items()}
    manifest: dict[str, object] = {
        "format": BUNDLE_FORMAT,
        "cog": src.COG_MILLESIME,
        "millesimes": {
            "bpe": list(src.BPE_MILLESIMES),
            "bpe_courant": src.BPE_LATEST,
            "pop_standardisee": src.POP_STANDARDISEE_MILLESIME,
        },
        "datasets": [info.as_dict() for info in src.DATASETS],
        "files": {name: {"sha256": sha256(content), "rows": content.count(b"\n") - 1} for name, content in contents.items()},
    }
    _write_atomically(output, contents, manifest)
    return manifest


def _write_atomically(output: Path, contents: dict[str, bytes], manifest: dict[str, object]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".bundle-", dir=output.parent))
    try:
        for name, content in contents.items():
            write_gzip(staging / name, content)
        (staging / MANIFEST).write_bytes(manifest_bytes(manifest))
        previous = output.with_name(output.name + ".previous")
        if previous.exists():
            shutil.rmtree(previous)
        if output.exists():
            output.rename(previous)
        staging.rename(output)
        if previous.exists():
            shutil.rmtree(previous)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
