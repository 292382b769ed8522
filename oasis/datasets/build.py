"""Build the national bundle from the raw open-data files.

Contract
--------
- Reads only the files listed in :mod:`oasis.datasets.sources`, below ``source``.
- Every file is validated (header, encoding, types, vintage) and cross-checked
  against the COG 2025; the first fault raises :class:`DataFileError` naming the
  file, the line and the reason, and nothing is written.
- Every dataset keyed on an older COG is mapped to COG 2025 through the
  crosswalk; whole counts are apportioned so that no professional is lost or
  duplicated.
- The output is deterministic: the same raw files give byte-identical
  uncompressed files and the same manifest.
- The bundle is written to a temporary folder next to ``output`` and swapped in
  only when complete.

This module runs the steps in order; each purpose has its module: reading the COG
(:mod:`~oasis.datasets.cog`), crosswalking the vintages (:mod:`~oasis.datasets.crosswalk`),
reading the geography (:mod:`~oasis.datasets.geography`) and the health figures
(:mod:`~oasis.datasets.figures`), writing the bundle (:mod:`~oasis.datasets.writing`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from oasis.datasets import sources as src
from oasis.datasets.cog import read_cog, read_points
from oasis.datasets.crosswalk import crosswalk_rows, read_population_2024, vintages_to_2025
from oasis.datasets.errors import DataFileError
from oasis.datasets.figures import read_barometre, read_bpe, read_cnam, read_pop_standardisee
from oasis.datasets.geography import DEPARTEMENT_SIMPLIFICATION, read_bassins_de_vie, read_libelles, read_shapes, read_zonages
from oasis.datasets.writing import commune_rows, write_bundle

STEPS = (
    "découpage administratif",
    "points et superficies",
    "table de passage",
    "zonages",
    "populations standardisées",
    "équipements BPE",
    "bassins de vie",
    "séries des structures",
    "démographie Cnam",
    "contours",
    "écriture",
)


def build_bundle(source: Path, output: Path, on_step: Callable[[str], None] | None = None) -> dict[str, object]:
    """Build the bundle from ``source`` into ``output``; return the manifest."""
    step = on_step or (lambda _name: None)
    source = source.resolve()

    def path(relative: str) -> Path:
        file_path = source / relative
        if not file_path.is_file():
            raise DataFileError(file_path, None, "fichier source introuvable")
        return file_path

    step(STEPS[0])
    cog = read_cog(path(src.COMMUNES_JSON), path(src.EPCI_JSON), path(src.DEPARTEMENTS_JSON), path(src.REGIONS_JSON))
    step(STEPS[1])
    read_points(path(src.CENTROIDES_CSV), cog)
    step(STEPS[2])
    cog.population_2024 = read_population_2024(path(src.POP_2024_CSV))
    space, composite = vintages_to_2025(cog, path(src.PASSAGE_CSV), path(src.COMMUNES_JSON))
    step(STEPS[3])
    read_zonages(path(src.SUPRACOM_2023_CSV), path(src.SUPRACOM_2024_CSV), cog, space, composite)
    libelles = read_libelles(path(src.LIBELLES_2024_CSV))
    step(STEPS[4])
    read_pop_standardisee(path(src.POP_STANDARDISEE_CSV), cog, space, composite)
    step(STEPS[5])
    offre = read_bpe(path(src.BPE_CSV), cog, space, composite)
    step(STEPS[6])
    bassins = read_bassins_de_vie(path(src.BASSINS_DE_VIE_CSV), libelles, cog, space, composite)
    step(STEPS[7])
    series = read_barometre(path(src.BAROMETRE_CSV), cog)
    step(STEPS[8])
    cnam = read_cnam(path(src.CNAM_CSV), cog)
    step(STEPS[9])
    commune_shapes = read_shapes(path(src.POLYGONES_COMMUNES), set(cog.communes), "code", 4)
    departement_shapes = read_shapes(
        path(src.POLYGONES_DEPARTEMENTS), set(cog.departements), "code", 3, simplify_degrees=DEPARTEMENT_SIMPLIFICATION
    )
    step(STEPS[10])
    return write_bundle(
        output,
        {
            "regions.csv.gz": sorted(cog.regions.items()),
            "departements.csv.gz": [(c, n, r) for c, (n, r) in sorted(cog.departements.items())],
            "epci.csv.gz": [(c, n, t) for c, (n, t) in sorted(cog.epci.items())],
            "bassins_de_vie.csv.gz": bassins,
            "communes.csv.gz": commune_rows(cog, libelles),
            "crosswalk.csv.gz": crosswalk_rows(composite, space),
            "offre_bpe.csv.gz": offre,
            "series_structures.csv.gz": series,
            "cnam_demographie.csv.gz": cnam,
            "geometrie_communes.csv.gz": commune_shapes,
            "geometrie_departements.csv.gz": departement_shapes,
        },
    )
