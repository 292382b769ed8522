"""The FINESS+ reader alone: every field of an établissement read from the publisher's layout, the ones missing left
empty, closed établissements left out from their closing day, one object or a list or JSON Lines, with or without
gzip and BOM, and each bad file refused with its path, line and reason."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest

from oasis.datasets.errors import DataFileError
from oasis.references.importers import finess_plus

TODAY = date(2026, 11, 29)


def _ege(numero: str, **info: str) -> dict:
    return {
        "informationsGeneralesEGE": {"numFinessEt": numero, **info},
        "categorieEntiteGeographiqueExercice": {"code": "603"},
        "adresse": [
            {
                "numeroVoie": "2",
                "typeVoie": "RUE",
                "libelleVoie": "DU MARCHE",
                "cogCommune": "86194",
                "ligneAcheminement": "86000 POITIERS",
                "coordonneesGeographique": {"directionLatitude": "46,58", "directionLongitude": "0.34"},
            }
        ],
    }


def _structure(*eges: dict) -> dict:
    return {"pmej": [{"ege": list(eges)}], "gco": {}}


def _read(path: Path) -> list[dict]:
    return list(finess_plus.etablissements(path, TODAY))


def test_every_field_of_an_etablissement(tmp_path):
    path = tmp_path / "s.json"
    ege = _ege("860000101", denominationEge="MSP du Marché", dateOuverture="2023-05-02T00:00:00")
    path.write_text(json.dumps(_structure(ege)))  # one object, not a list
    assert _read(path) == [
        {
            "numero_finess": "860000101",
            "nom": "MSP du Marché",
            "categorie": "603",
            "code_commune_publie": "86194",
            "adresse": "2 RUE DU MARCHE 86000 POITIERS",
            "date_ouverture": date(2023, 5, 2),
            "longitude": 0.34,
            "latitude": 46.58,  # a decimal comma read as a point
        }
    ]


def test_the_first_name_and_number_given_are_read_and_what_is_missing_is_empty(tmp_path):
    named = _ege("", numFinessEge="860000105", denominationEge="", raisonSociale="SISA du Marché", dateCreation="2024-01-15")
    bare = {"informationsGeneralesEGE": {}, "adresse": [{"libelleVoie": "PLACE", "coordonneesGeographique": {}}]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps([_structure(named, bare)]))
    first, second = _read(path)
    assert (first["numero_finess"], first["nom"], first["date_ouverture"]) == ("860000105", "SISA du Marché", date(2024, 1, 15))
    assert second == {
        "numero_finess": "",
        "nom": "",
        "categorie": "",
        "code_commune_publie": "",
        "adresse": "PLACE",
        "date_ouverture": None,
        "longitude": None,
        "latitude": None,
    }


@pytest.mark.parametrize(
    ("closing", "kept"),
    [("2026-11-28", False), ("2026-11-29", False), ("2026-11-30", True), ("", True), ("pas une date", True)],
)
def test_an_etablissement_is_left_out_from_its_closing_day(tmp_path, closing, kept):
    path = tmp_path / "s.json"
    path.write_text(json.dumps([_structure(_ege("860000103", dateFermeture=closing), _ege("860000104"))]))
    assert [row["numero_finess"] for row in _read(path)] == (["860000103"] if kept else []) + ["860000104"]


def test_json_lines_gzip_and_a_bom_are_read(tmp_path):
    lines = "\ufeff" + json.dumps(_structure(_ege("860000101"))) + "\n\n" + json.dumps(_structure(_ege("860000102"))) + "\n"
    path = tmp_path / "s.jsonl.gz"
    path.write_bytes(gzip.compress(lines.encode("utf-8")))
    assert finess_plus.is_finess_plus(path)
    assert [row["numero_finess"] for row in _read(path)] == ["860000101", "860000102"]


@pytest.mark.parametrize(
    ("content", "plus"),
    [
        (b'[{"pmej": []}]', True),
        (b'{"pmej": []}', True),
        (b'\n  \t[{"pmej": []}]', True),
        (gzip.compress(b"[]"), True),
        (b"finess;etalab;111;2026-05-12\n", False),
        (b"", False),
    ],
)
def test_an_export_is_told_from_an_etalab_extract_by_its_first_bytes(tmp_path, content, plus):
    path = tmp_path / "export"
    path.write_bytes(content)
    assert finess_plus.is_finess_plus(path) is plus


def _refusal(path: Path) -> tuple[str, int | None, str]:
    with pytest.raises(DataFileError) as error:
        _read(path)
    return error.value.path, error.value.line, error.value.reason


def test_bad_files_are_refused_with_their_path_line_and_reason(tmp_path):
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(gzip.compress(b"[]")[:-6])
    path, line, reason = _refusal(broken)
    assert (path, line) == (str(broken), None)
    assert reason.startswith("archive gzip corrompue (") and reason != "archive gzip corrompue ()"

    lines = tmp_path / "lines.json"
    first, second = json.dumps(_structure(_ege("860000101"))), json.dumps(_structure(_ege("860000102")))
    lines.write_text(f"{first}\n{second}\n{{pas du JSON\n")
    path, line, reason = _refusal(lines)
    # The broken line and its own error, not where the whole text stops being one document (line 2, « Extra data »).
    assert (path, line) == (str(lines), 3)
    assert reason == f"{finess_plus.NOT_JSON} (Expecting property name enclosed in double quotes)"

    document = tmp_path / "document.json"
    document.write_text('[\n  {"pmej": [],\n   "gco": {,\n  }\n]\n')
    path, line, reason = _refusal(document)
    assert (path, line) == (str(document), 3)  # one document over several lines: the line the parser names
    assert reason == f"{finess_plus.NOT_JSON} (Expecting property name enclosed in double quotes)"

    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"pmej": [], "nom": "Maison de santé"}'.encode("latin-1"))
    assert _refusal(latin1) == (str(latin1), None, f"{finess_plus.NOT_UTF8} (octet n° 36)")  # the é, counted from 1

    for content in ('{"gco": {}}', '[{"gco": {}}, "pmej"]'):
        other = tmp_path / "other.json"
        other.write_text(content)
        assert _refusal(other) == (str(other), None, finess_plus.NOT_STRUCTURES)
