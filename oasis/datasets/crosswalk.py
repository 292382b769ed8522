"""Crosswalking vintages for the bundle: every commune code of 2015 to 2024 mapped to the COG 2025.

The yearly passages (INSEE's table, 2015 → 2024) and the 2024 → 2025 step drawn from the COG 2025 itself (fusions,
listed scissions, apportioned by population) compose into one sparse matrix per vintage; a code of an older COG is
resolved through it, and the crosswalk table of the bundle is written from it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from oasis.core.crosswalk import compose, passage_matrix
from oasis.datasets import sources as src
from oasis.datasets.cog import Cog2025
from oasis.datasets.csvio import iter_csv, parse_code_insee, parse_float, parse_int
from oasis.datasets.errors import DataFileError


class CodeSpace:
    """Every commune code met in any vintage, numbered for the sparse crosswalk matrices."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.position: dict[str, int] = {}

    def __call__(self, code: str) -> int:
        index = self.position.get(code)
        if index is None:
            index = len(self.codes)
            self.position[code] = index
            self.codes.append(code)
        return index

    def __len__(self) -> int:
        return len(self.codes)


def read_population_2024(path: Path) -> dict[str, int]:
    population: dict[str, int] = {}
    for line, row in iter_csv(path, ("CODGEO", "POP")):
        code = parse_code_insee(path, line, "CODGEO", row["CODGEO"])
        # Mayotte's 2021 population is published empty: the commune exists, its population is unknown.
        population[code] = parse_int(path, line, "POP", row["POP"]) if row["POP"].strip() else 0
    return population


def _read_passage(path: Path, space: CodeSpace) -> dict[int, list[tuple[int, int, float]]]:
    """The links of each yearly passage, keyed by the year before (2015 → 2023)."""
    links: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    columns = ("cog_avant", "cog_apres", "cod_avant", "cod_apres", "typemodif", "ratio")
    for line, row in iter_csv(path, columns):
        before = parse_int(path, line, "cog_avant", row["cog_avant"])
        after = parse_int(path, line, "cog_apres", row["cog_apres"])
        if after != before + 1 or not 2015 <= before <= 2023:
            raise DataFileError(path, line, f"millésimes {before} → {after} hors de la période 2015 → 2024")
        origin = parse_code_insee(path, line, "cod_avant", row["cod_avant"])
        destination = parse_code_insee(path, line, "cod_apres", row["cod_apres"])
        ratio = parse_float(path, line, "ratio", row["ratio"], minimum=0, maximum=1)
        if ratio == 0:
            raise DataFileError(path, line, "colonne ratio : une part nulle n'a pas de sens")
        links[before].append((space(origin), space(destination), ratio))
    if not links:
        raise DataFileError(path, None, "aucune ligne de passage")
    return links


def vintages_to_2025(cog: Cog2025, passage_path: Path, communes_path: Path) -> tuple[CodeSpace, dict[int, sp.csr_matrix]]:
    """Every commune code met, numbered, and the passage of each vintage (COG 2015 to 2024) to the COG 2025.

    ``cog.population_2024`` must be read first: it gives the codes of 2024, and a commune of 2025 absent from it must
    come from a fusion or a listed scission.
    """
    space = CodeSpace()
    for code in cog.communes:
        space(code)
    links = _read_passage(passage_path, space)
    to_2025 = _passage_to_2025(cog, space, communes_path)
    yearly = [_yearly_matrix(links.get(year, []), len(space)) for year in range(2015, 2024)]
    return space, {year: compose([*yearly[year - 2015 :], to_2025]) for year in range(2015, 2025)}


def _yearly_matrix(links: list[tuple[int, int, float]], size: int) -> sp.csr_matrix:
    """One year's passage: the published links, and every other code kept as it is."""
    origins = {origin for origin, _, _ in links}
    return _matrix(links + [(index, index, 1.0) for index in range(size) if index not in origins], size)


def _passage_to_2025(cog: Cog2025, space: CodeSpace, communes_path: Path) -> sp.csr_matrix:
    """2024 → 2025 from the COG 2025 itself: fusions (délégués, anciens codes) and the listed scissions."""
    for code in [*cog.deleguees, *cog.anciens_codes, *cog.population_2024]:
        space(code)
    restored = {child for children in src.SCISSIONS_2025.values() for child in children}
    for code in cog.communes:
        if code not in cog.population_2024 and cog.communes[code].type == "COM":
            explained = code in restored or code in cog.deleguees.values() or code in cog.anciens_codes.values()
            if not explained:
                raise DataFileError(
                    communes_path,
                    None,
                    f"commune {code} nouvelle en 2025 sans origine connue (ni fusion ni scission)",
                )
    triplets: list[tuple[int, int, float]] = []
    for code in list(space.codes):
        origin = space(code)
        if code in src.SCISSIONS_2025:
            pieces = (code, *src.SCISSIONS_2025[code])
            total = sum(cog.communes[piece].population for piece in pieces)
            triplets += [(origin, space(piece), cog.communes[piece].population / total) for piece in pieces]
        elif code in cog.communes:
            triplets.append((origin, origin, 1.0))
        elif code in cog.deleguees:
            triplets.append((origin, space(cog.deleguees[code]), 1.0))
        elif code in cog.anciens_codes:
            triplets.append((origin, space(cog.anciens_codes[code]), 1.0))
    return _matrix(triplets, len(space))


def _matrix(triplets: list[tuple[int, int, float]], size: int) -> sp.csr_matrix:
    rows, cols, ratios = zip(*triplets, strict=True) if triplets else ((), (), ())
    return passage_matrix(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(ratios), (size, size))


def resolve(
    path: Path, line: int, code: str, year: int, space: CodeSpace, composite: dict[int, sp.csr_matrix]
) -> tuple[int, sp.csr_matrix]:
    """Check that ``code`` of COG ``year`` reaches the COG 2025; return its row and the year's passage."""
    matrix = composite[min(year, 2024)]
    index = space.position.get(code)
    if index is None or index >= matrix.shape[0] or matrix.indptr[index] == matrix.indptr[index + 1]:
        raise DataFileError(path, line, f"code commune « {code} » (COG {year}) sans correspondance dans le COG 2025")
    return index, matrix


def crosswalk_rows(composite: dict[int, sp.csr_matrix], space: CodeSpace) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for year, matrix in sorted(composite.items()):
        coo = matrix.tocoo()
        for origin, destination, ratio in zip(coo.row, coo.col, coo.data, strict=True):
            if origin == destination and math.isclose(ratio, 1.0):
                continue
            rows.append((year, space.codes[origin], space.codes[destination], f"{ratio:.6f}"))
    return sorted(rows, key=lambda row: (row[0], row[1], row[2]))


def largest_origin(
    code_2025: str, year: int, space: CodeSpace, composite: dict[int, sp.csr_matrix], known: dict[str, str]
) -> str:
    """The attribute a new 2025 commune inherits: that of its largest contributor in the older table."""
    column = composite[year][:, space(code_2025)].tocoo()
    candidates = [(ratio, space.codes[row]) for row, ratio in zip(column.row, column.data, strict=True)]
    candidates = [(ratio, code) for ratio, code in candidates if code in known]
    return known[max(candidates)[1]] if candidates else ""
