"""What every official-file importer shares: the file's hash, the import record, placing published codes on communes.

Contract of every importer in this package
------------------------------------------
- The whole file is read and checked before the first write; a bad file raises ``DataFileError`` naming the file,
  the line and the reason, and the database keeps exactly what it had.
- All writes happen in one transaction, with the ``ReferenceImport`` row that records the vintage (source, date, file
  hash, row counts, method parameters).
- Idempotent: importing a file whose SHA-256 was already imported for the same reference does nothing.
- Rows that cannot be used are counted with their reason in ``ReferenceImport.lignes``, never silently dropped.
- What cannot be true is refused, not stored: a negative or non-finite figure, two columns of the same name, a header
  repeated inside the file, a file of another kind (the helpers below name the reason the same way everywhere).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from oasis.datasets.csvio import UNREADABLE
from oasis.datasets.errors import DataFileError
from oasis.references.models import ReferenceImport
from oasis.territories.models import Commune, CommuneCrosswalk
from oasis.territories.text import search_key

Progress = Callable[[int], None]

NEGATIVE = "valeur négative impossible"
NOT_FINITE = "valeur non finie (infinie ou NaN)"
DUPLICATE_COLUMN = "colonne en double dans l'en-tête"
REPEATED_HEADER = "ligne d'en-tête répétée"


def no_progress(_steps: int) -> None:
    """Default progress callback: does nothing."""


def file_sha256(path: Path) -> str:
    """The file's SHA-256 (hexadecimal); a file that cannot be read is refused by its name."""
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as error:
        raise DataFileError(path, None, f"{UNREADABLE} ({error.strerror})") from error


def check_figure(path: Path | str, line: int | None, column: str, value: float, *, negative: bool = False) -> float:
    """``value`` when it is a finite number (and not negative unless ``negative``); else the file is refused."""
    if not math.isfinite(value):
        raise DataFileError(path, line, f"{NOT_FINITE} dans « {column} » : {value}")
    if value < 0 and not negative:
        raise DataFileError(path, line, f"{NEGATIVE} dans « {column} » : {value:g}")
    return value


def check_unique_columns(path: Path | str, line: int | None, names: Sequence[str], key: Callable[[str], str]) -> None:
    """Refuse a header naming a column twice (compared through ``key``: case, accents, spaces); blanks are ignored."""
    seen: dict[str, str] = {}
    for name in names:
        normalised = key(name)
        if not normalised:
            continue
        if normalised in seen:
            raise DataFileError(path, line, f"{DUPLICATE_COLUMN} : « {seen[normalised]} » et « {name.strip()} »")
        seen[normalised] = name.strip()


def extract_date(name: str) -> date | None:
    """The extraction date in a published file name (``…_202112150810.txt`` → 15/12/2021)."""
    match = re.search(r"(20\d{2})(\d{2})(\d{2})\d{0,6}", name)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def previous_import(kind: str, path: Path, companion: Path | None = None) -> tuple[str, ImportReport | None]:
    """The file's SHA-256, and the report of its earlier import of this kind when there was one (then: do nothing).

    A file read with a companion (a zoning order with its TVS table) is the same import only with the same companion:
    its hash is then the SHA-256 of the two files' hexadecimal digests, one after the other.
    """
    sha256 = file_sha256(path)
    if companion is not None:
        sha256 = hashlib.sha256((sha256 + file_sha256(companion)).encode("ascii")).hexdigest()
    existing = ReferenceImport.objects.filter(kind=kind, sha256=sha256).first()
    return sha256, (ImportReport(existing, skipped=True) if existing is not None else None)


@dataclass
class ImportReport:
    """What an import did: the record it wrote (or found), and whether it was already there."""

    reference: ReferenceImport
    skipped: bool = False
    changes: Mapping[str, object] = field(default_factory=dict)


class CommuneResolver:
    """Places a published commune code (of a given COG vintage) on the current communes and PLM arrondissements.

    Codes that still exist resolve to themselves; older codes go through the crosswalk (fusions land on the new
    commune, scissions on each part with its population share); a PLM commune (Paris, Lyon, Marseille) resolves to
    itself, and ``by_postal_code`` finds its arrondissement.
    """

    def __init__(self) -> None:
        self.units = set(Commune.objects.units().values_list("code_insee", flat=True))
        self.communes = set(Commune.objects.values_list("code_insee", flat=True))
        self.crosswalk: dict[tuple[int, str], list[tuple[str, float]]] = defaultdict(list)
        for millesime, origine, commune, ratio in CommuneCrosswalk.objects.values_list(
            "millesime", "code_origine", "commune_id", "ratio"
        ):
            self.crosswalk[(millesime, origine)].append((commune, ratio))
        self.postal: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, nom, postaux in Commune.objects.units().values_list("code_insee", "nom", "codes_postaux"):
            for postal in postaux.split():
                self.postal[postal].append((code, search_key(nom)))

    def resolve(self, code: str, millesime: int | None = None) -> list[tuple[str, float]]:
        """[(current code, share)] for a published code; empty when the code is unknown."""
        if code in self.communes:
            return [(code, 1.0)]
        years = [millesime] if millesime is not None else sorted({year for year, _ in self.crosswalk}, reverse=True)
        for year in years:
            links = self.crosswalk.get((year, code))
            if links:
                return links
        return []

    def by_postal_code(self, postal: str, town: str) -> str | None:
        """The unit whose postal code it is; among several, the one whose name the town line gives."""
        candidates = self.postal.get(postal.strip(), [])
        if len(candidates) == 1:
            return candidates[0][0]
        wanted = search_key(_strip_cedex(town))
        matches = [code for code, key in candidates if key == wanted]
        if len(matches) == 1:
            return matches[0]
        starts = [code for code, key in candidates if wanted and (key.startswith(wanted) or wanted.startswith(key))]
        return starts[0] if len(starts) == 1 else None


def _strip_cedex(line: str) -> str:
    """« 01390 MIONNAY CEDEX 3 » → « MIONNAY »; « 75015 PARIS » → « PARIS »."""
    words = line.split()
    if words and words[0].isdigit():
        words = words[1:]
    if "CEDEX" in (word.upper() for word in words):
        words = words[: [word.upper() for word in words].index("CEDEX")]
    return " ".join(words)
