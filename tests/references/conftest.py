"""Official-format samples (real files copied from the publishers' extracts) and files written in their layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

FORMATS = Path(__file__).resolve().parent.parent / "data" / "formats"
RPPS_SAMPLE = FORMATS / "rpps" / "PS_LibreAcces_Personne_activite_extrait_2021.txt"
FINESS_SAMPLE = FORMATS / "finess" / "etalab_cs1100507_extrait_2026.csv"
ROOT = Path(__file__).resolve().parent.parent.parent
SHIPPED_WORKBOOK = ROOT / "oasis" / "data" / "official" / "apl_medecins_generalistes_2022.xlsx"


def rpps_header(extra: tuple[str, ...] = ()) -> list[str]:
    """The real 52-column header of the sample (the trailing ``|`` makes an empty last name), plus appended columns."""
    names = RPPS_SAMPLE.read_text(encoding="utf-8").split("\n", 1)[0].split("|")
    return [*names[:-1], *extra, ""]


def rpps_line(header: list[str], **values: str) -> str:
    by_name = {
        "person": "Identification nationale PP",
        "profession": "Code profession",
        "savoir_faire": "Code savoir-faire",
        "mode": "Code mode exercice",
        "commune": "Code commune (coord. structure)",
        "postal": "Code postal (coord. structure)",
        "town": "Bureau cedex (coord. structure)",
        "nom": "Nom d'exercice",
    }
    fields = {by_name[key]: value for key, value in values.items()}
    return "|".join(fields.get(name, "") for name in header)


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An .xlsx workbook with these sheets, each row appended as given."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def finess_structure_line(numero: str, categorie: str, departement: str, commune: str, name: str, opened: str) -> str:
    """A FINESS ``structureet`` line in the published 32-field layout."""
    from oasis.references.importers import finess

    fields = ["structureet", numero, "860000000", name, name.upper(), "", "", "1", "RUE", "DE LA GARE", "", "", commune]
    fields += [departement, "VIENNE", f"{departement}000 X", "", "", categorie, "Maison de santé (L.6223-3)", "", "", ""]
    fields += ["", "", "", "", "", opened, opened, "2026-01-01", ""]
    assert len(fields) == finess.STRUCTUREET_FIELDS
    return ";".join(fields)


def finess_sample_with(folder: Path, *added: str) -> Path:
    """The FINESS sample extract with these lines (``structureet``, ``geolocalisation``) added: ``folder/finess.csv``."""
    path = folder / "finess.csv"
    lines = [FINESS_SAMPLE.read_text(encoding="utf-8").rstrip("\n"), *added]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _write(name: str, content: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text(content, encoding=encoding)
        return path

    return _write
