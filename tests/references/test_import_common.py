"""What every importer shares: the file's SHA-256, the extraction date in a published file name, an import already
done recognised by its hash, and published codes placed on communes (current codes, the crosswalk by vintage, postal
codes with the town line)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from oasis.datasets.errors import DataFileError
from oasis.references.importers import IMPORTERS, common, run_import
from oasis.references.models import ReferenceImport
from oasis.territories.models import Commune, CommuneCrosswalk


def test_the_sha256_of_a_file_is_the_published_digest(tmp_path):
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")
    # FIPS 180-2, appendix B.1: SHA-256("abc").
    assert common.file_sha256(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    big = tmp_path / "big.bin"
    big.write_bytes(b"a" * 1_000_000)
    # FIPS 180-2, appendix B.3: one million « a », read in blocks.
    assert common.file_sha256(big) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_a_file_that_cannot_be_read_is_refused_by_its_name(db, tmp_path, kind):
    before = ReferenceImport.objects.count()
    for path, reason in [
        (tmp_path / "absent.csv", "No such file or directory"),
        (tmp_path, "Is a directory"),
    ]:
        with pytest.raises(DataFileError) as error:
            run_import(kind, path)
        assert (error.value.path, error.value.line, error.value.reason) == (str(path), None, f"{common.UNREADABLE} ({reason})")
    assert ReferenceImport.objects.count() == before


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Extraction_RPPS_Profil4_202112150810.txt", date(2021, 12, 15)),
        ("etalab-cs1100507-stock-20240229-0337.csv", date(2024, 2, 29)),
        ("apl_20231231.xlsx", date(2023, 12, 31)),
        ("finess_20231331.csv", None),  # no 31st month
        ("finess_20230230.csv", None),  # no 30th of February
        ("finess_2023.csv", None),
        ("apl-2023-v2.xlsx", None),
        ("fichier_19991231.csv", None),  # only this century's dates are published
    ],
)
def test_the_extraction_date_in_a_file_name(name, expected):
    assert common.extract_date(name) == expected


def test_a_file_already_imported_is_recognised_by_its_hash(db, tmp_path):
    path = tmp_path / "zonage.csv"
    path.write_text("region;date_arrete;code_insee;profession;zone\n", encoding="utf-8")
    sha256, earlier = common.previous_import("zonage", path)
    assert (sha256, earlier) == (common.file_sha256(path), None)
    reference = ReferenceImport.objects.create(kind="zonage", sha256=sha256, source="test", millesime="2024", lignes={})
    sha256, earlier = common.previous_import("zonage", path)
    assert earlier is not None and (earlier.reference, earlier.skipped) == (reference, True)
    assert common.previous_import("finess", path)[1] is None  # the same file as another kind is not the same import
    table = tmp_path / "tvs.csv"
    table.write_text("code_tvs;code_insee\n", encoding="utf-8")
    together = hashlib.sha256((common.file_sha256(path) + common.file_sha256(table)).encode("ascii")).hexdigest()
    assert common.previous_import("zonage", path, table) == (together, None)


def test_published_codes_are_placed_on_current_communes_through_the_crosswalk(db, national):
    CommuneCrosswalk.objects.create(millesime=2019, code_origine="99901", commune_id="86070", ratio=1.0)
    CommuneCrosswalk.objects.create(millesime=2021, code_origine="99901", commune_id="86140", ratio=0.25)
    CommuneCrosswalk.objects.create(millesime=2021, code_origine="99901", commune_id="86165", ratio=0.75)
    resolver = common.CommuneResolver()
    assert resolver.resolve("86194") == [("86194", 1.0)]
    assert resolver.resolve("86194", 2019) == [("86194", 1.0)]
    assert resolver.resolve("75056") == [("75056", 1.0)]  # a PLM commune stays itself
    assert resolver.resolve("99901", 2019) == [("86070", 1.0)]
    assert sorted(resolver.resolve("99901", 2021)) == [("86140", 0.25), ("86165", 0.75)]
    assert sorted(resolver.resolve("99901")) == [("86140", 0.25), ("86165", 0.75)]  # newest vintage first
    assert resolver.resolve("99901", 2020) == []
    assert resolver.resolve("99999") == []


def test_a_postal_code_finds_its_unit_with_the_town_line(db, national):
    Commune.objects.filter(pk__in=["86070", "86140"]).update(codes_postaux="99990 99991")
    Commune.objects.filter(pk="86165").update(codes_postaux="99992")
    resolver = common.CommuneResolver()
    assert resolver.by_postal_code(" 99992 ", "n'importe") == "86165"  # alone under its code
    assert resolver.by_postal_code("99990", "99990 CHAUVIGNY CEDEX 2") == "86070"
    assert resolver.by_postal_code("99991", "LUSSAC LES CHATEAUX") == "86140"
    assert resolver.by_postal_code("99990", "Lussac") == "86140"  # the start of a name
    assert resolver.by_postal_code("99990", "POITIERS") is None
    assert resolver.by_postal_code("99990", "") is None
    assert resolver.by_postal_code("99993", "CHAUVIGNY") is None


def test_a_town_line_naming_one_unit_exactly_wins_over_those_it_starts(db, national):
    assert Commune.objects.get(pk="33261").nom == "Lussac"
    Commune.objects.filter(pk__in=["33261", "86140"]).update(codes_postaux="99994")
    resolver = common.CommuneResolver()
    assert resolver.by_postal_code("99994", "LUSSAC") == "33261"  # « Lussac-les-Châteaux » only starts with it
    assert resolver.by_postal_code("99994", "LUSSAC LES CHATEAUX") == "86140"


@pytest.mark.parametrize(
    ("line", "town"),
    [
        ("01390 MIONNAY CEDEX 3", "MIONNAY"),
        ("75015 PARIS", "PARIS"),
        ("SAINT DENIS cedex", "SAINT DENIS"),
        ("LUSSAC", "LUSSAC"),
        ("", ""),
    ],
)
def test_the_town_line_loses_its_postal_code_and_cedex(line, town):
    assert common._strip_cedex(line) == town
