"""The FINESS etalab extract read line by line: every field of a kept établissement, the long name or else the short
one, the address cut at 300 characters, the widths allowed (a trailing « ; » adds one field), a BOM, blank lines,
and each refusal with its file, line and reason."""

from __future__ import annotations

from datetime import date

import pytest

from oasis.datasets.errors import DataFileError
from oasis.references.importers import finess
from tests.references.conftest import finess_structure_line

HEADER = "finess;etalab;111;2026-05-12"
GEOLOCATION = "geolocalisation;860000001;497500.0;6614500.0;1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93;2026-05-04"


def _lines(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def _msp(numero: str = "860000001", **fields: str) -> str:
    values = finess_structure_line(numero, "603", "86", "140", "MSP de Lussac", "2019-09-02").split(";")
    for index, value in fields.items():
        values[int(index.lstrip("f"))] = value
    return ";".join(values)


def test_every_field_of_a_kept_etablissement(tmp_path):
    path = tmp_path / "finess.csv"
    hospital = finess_structure_line("860000002", "355", "86", "194", "CH de Poitiers", "1970-01-01")
    path.write_text(_lines(_msp(), "", hospital, GEOLOCATION, "autre;ligne"), encoding="utf-8")
    found = finess._read_etalab(path)
    assert found.extract == date(2026, 5, 12)
    assert (found.outcome["etablissements"], found.outcome["lignes_autres"]) == (2, 1)
    assert found.published == ["86140", "86194"]
    (msp,) = found.structures
    longitude, latitude = finess.to_wgs84(497500.0, 6614500.0, 2154)
    assert msp == {
        "numero_finess": "860000001",
        "nom": "MSP DE LUSSAC",
        "categorie": "603",
        "code_commune_publie": "86140",
        "adresse": "1 RUE DE LA GARE 86000 X",
        "date_ouverture": date(2019, 9, 2),
        "longitude": longitude,
        "latitude": latitude,
    }


def test_the_short_name_when_the_long_one_is_empty_and_the_address_cut_at_300(tmp_path):
    path = tmp_path / "finess.csv"
    path.write_text("\ufeff" + _lines(_msp(f4="", f9="A" * 400)), encoding="utf-8")  # with a BOM
    (msp,) = finess._read_etalab(path).structures
    assert msp["nom"] == "MSP de Lussac"
    assert msp["adresse"] == ("1 RUE " + "A" * 400)[:300]


def test_an_overseas_code_becomes_the_insee_one():
    assert finess._code_insee("9A", "101") == "97101"
    assert finess._code_insee("9F", "606") == "97606"
    assert finess._code_insee("9J", "613") == "98613"
    assert finess._code_insee("86", "140") == "86140"


@pytest.mark.parametrize(("extra", "accepted"), [(0, True), (1, True), (-1, False), (2, False)])
def test_a_structure_line_has_32_fields_or_33_with_a_trailing_separator(tmp_path, extra, accepted):
    values = _msp().split(";")
    values = values + [""] * extra if extra >= 0 else values[:extra]
    path = tmp_path / "finess.csv"
    path.write_text(_lines(";".join(values)), encoding="utf-8")
    if accepted:
        assert len(finess._read_etalab(path).structures) == 1
    else:
        with pytest.raises(DataFileError) as error:
            finess._read_etalab(path)
        reason = f"{finess.WRONG_WIDTH} ({len(values)} au lieu de 32)"
        assert (error.value.path, error.value.line, error.value.reason) == (str(path), 2, reason)


@pytest.mark.parametrize(("extra", "accepted"), [(0, True), (1, True), (-1, False), (2, False)])
def test_a_geolocation_line_has_6_fields_or_7(tmp_path, extra, accepted):
    values = GEOLOCATION.split(";")
    values = values + [""] * extra if extra >= 0 else values[:extra]
    path = tmp_path / "finess.csv"
    path.write_text(_lines(_msp(), ";".join(values)), encoding="utf-8")
    if accepted:
        assert finess._read_etalab(path).structures[0]["longitude"] is not None
    else:
        with pytest.raises(DataFileError) as error:
            finess._read_etalab(path)
        reason = f"{finess.WRONG_WIDTH} ({len(values)} au lieu de 6)"
        assert (error.value.path, error.value.line, error.value.reason) == (str(path), 3, reason)


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("", 1, finess.NOT_FINESS),
        ("finess;etalab;111\n", 1, finess.NOT_FINESS),
        ("etalab;finess;111;2026-05-12\n", 1, finess.NOT_FINESS),
        ("finess;etalab;111;2026-13-01\n", 1, f"{finess.BAD_DATE} : « 2026-13-01 »"),
        (_lines(_msp(f28="02/09/2019")), 2, f"{finess.BAD_DATE} : « 02/09/2019 »"),
        (
            _lines(_msp(), GEOLOCATION.replace("EPSG:2154 ", "")),
            3,
            f"{finess.UNKNOWN_SYSTEM} : « 1,ATLASANTE,96,BAN,RGF93 / Lambert-93 »",
        ),
        (
            _lines(_msp(), GEOLOCATION.replace("497500.0;6614500.0", "497500,5;6614500.0")),
            3,
            f"{finess.BAD_COORDINATES} : « 497500,5 », « 6614500.0 »",
        ),
    ],
)
def test_a_bad_extract_is_refused_with_its_file_line_and_reason(tmp_path, content, line, reason):
    path = tmp_path / "finess.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        finess._read_etalab(path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), line, reason)


def test_a_system_pyproj_does_not_know_is_refused_at_its_line(tmp_path):
    path = tmp_path / "finess.csv"
    path.write_text(_lines(_msp(), GEOLOCATION.replace("EPSG:2154", "EPSG:99999")), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        finess._read_etalab(path)
    assert (error.value.path, error.value.line) == (str(path), 3)
    assert error.value.reason.startswith(f"{finess.UNKNOWN_SYSTEM} : EPSG:99999 (")


@pytest.mark.parametrize("blank", ["x", "y", "both"])
def test_a_geolocation_without_one_coordinate_leaves_its_structure_unplaced_and_the_next_read(tmp_path, blank):
    x, y = ("" if blank in ("x", "both") else "497500.0"), ("" if blank in ("y", "both") else "6614500.0")
    other = GEOLOCATION.replace("860000001", "860000002")
    lines = [_msp(), _msp("860000002"), GEOLOCATION.replace("497500.0;6614500.0", f"{x};{y}"), other]
    path = tmp_path / "finess.csv"
    path.write_text(_lines(*lines), encoding="utf-8")
    first, second = finess._read_etalab(path).structures
    assert (first["longitude"], first["latitude"]) == (None, None)
    assert (second["longitude"], second["latitude"]) == pytest.approx((0.3541, 46.6000), abs=1e-4)


def test_lines_of_other_kinds_are_counted(tmp_path):
    path = tmp_path / "finess.csv"
    path.write_text(_lines(_msp(), "structurej;860000000", "equipementsocial;860000001;1"), encoding="utf-8")
    read = finess._read_etalab(path)
    assert read.outcome == {"etablissements": 1, "lignes_autres": 2}
