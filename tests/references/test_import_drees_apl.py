"""The DREES APL importer: the real 2022 GP workbook shipped with OASIS, and workbooks of other years and professions."""

from __future__ import annotations

from functools import cache

import pytest
from openpyxl import load_workbook

from oasis.datasets.errors import DataFileError
from oasis.references.enums import ReferenceKind
from oasis.references.importers import drees_apl, run_import
from oasis.references.importers.common import DUPLICATE_COLUMN, NEGATIVE, NOT_FINITE, REPEATED_HEADER
from oasis.references.models import OfficialApl, OfficialAplUnit, ReferenceImport
from oasis.references.services import territory_official_apl
from oasis.territories.models import CommuneCrosswalk
from oasis.territories.services import get_territory
from tests.references.conftest import SHIPPED_WORKBOOK, write_workbook

pytestmark = pytest.mark.django_db


@cache
def _published_rows() -> dict[str, tuple]:
    """The workbook read directly, independently of the importer: code → (APL, APL ≤ 65, pop. std, pop. totale)."""
    book = load_workbook(SHIPPED_WORKBOOK, read_only=True)
    try:
        return {row[0]: row[2:6] for row in book["APL 2022"].iter_rows(min_row=11, values_only=True) if row[0]}
    finally:
        book.close()


def test_the_shipped_workbook_is_imported_as_published(national):
    published = _published_rows()
    assert OfficialApl.objects.filter(profession="generaliste", annee=2022).count() == len(published) == 34964
    for code in ("86194", "86140", "01001", "75115", "97424"):
        row = OfficialApl.objects.get(profession="generaliste", annee=2022, code_insee=code)
        assert (row.apl, row.apl_moins_65, row.pop_standardisee, row.pop_totale) == pytest.approx(published[code])
    reference = ReferenceImport.objects.get(kind=ReferenceKind.DREES_APL, fichier=SHIPPED_WORKBOOK.name)
    assert reference.lignes["generaliste 2022"]["non_placees"] == []
    assert any("Décroissance" in " ".join(line) for line in reference.parametres["onglet_parametres"])


def test_national_mean_under_65_matches_the_published_figure(national):
    # The DREES publishes 3.34 consultations per standardised inhabitant for the 65-and-under APL in 2022.
    france = territory_official_apl(None, "generaliste", 2022)
    assert france is not None
    assert france.apl_moins_65 == pytest.approx(3.34, abs=0.005)


def test_a_territory_mean_is_weighted_by_standardised_population(national):
    published = _published_rows()
    vienne = [values for code, values in published.items() if code.startswith("86")]
    expected = sum(apl * std for apl, _u, std, _t in vienne) / sum(std for _a, _u, std, _t in vienne)
    expected_65 = sum(u * std for _a, u, std, _t in vienne) / sum(std for _a, _u, std, _t in vienne)
    summary = territory_official_apl(get_territory("departement", "86"), "generaliste")
    assert summary is not None
    assert summary.apl == pytest.approx(expected)
    assert summary.part_offre_plus_de_65_ans == pytest.approx((expected - expected_65) / expected)


def test_merged_communes_get_the_weighted_mean_of_their_former_communes(national):
    published = _published_rows()
    merged: dict[str, list[str]] = {}
    for origin, target in CommuneCrosswalk.objects.filter(millesime=2022).values_list("code_origine", "commune_id"):
        merged.setdefault(target, []).append(origin)
    # The commune that keeps its code is not in the crosswalk (only changed codes are): add it when it was published.
    target, origins = next((t, o) for t, o in sorted(merged.items()) if len(o) >= 2 and all(c in published for c in o))
    rows = [published[code] for code in {*origins, target} if code in published]
    assert len(rows) >= 2
    expected = sum(apl * std for apl, _u, std, _t in rows) / sum(std for _a, _u, std, _t in rows)
    unit = OfficialAplUnit.objects.get(profession="generaliste", annee=2022, commune_id=target)
    assert unit.apl == pytest.approx(expected)
    assert unit.pop_totale == pytest.approx(sum(total for *_rest, total in rows))


NURSE_HEADER = [
    "Code commune INSEE ",
    "Commune",
    "APL aux infirmières ",
    "APL aux infirmières de 65 ans ou moins",
    "Population standardisée 2021 pour les soins infirmiers ",
    "Population totale 2021",
]


def test_other_years_professions_and_wordings(national, tmp_path):
    path = write_workbook(
        tmp_path / "apl_infirmieres_2023_2024.xlsx",
        {
            "Paramètres": [["Paramètres de l'indicateur"], ["Décroissance", 1, 0.5]],
            **{
                f"APL {year}": [
                    [f"Indicateur d'accessibilité potentielle localisée (APL) {year} aux infirmières"],
                    [],
                    NURSE_HEADER,
                    [None, None, "En ETP pour 100 000 habitants standardisés", None, None, None],
                    ["86194", "Poitiers", 150.5 + year - 2023, 140.25, 89000.5, 88000],
                    ["86140", "Lussac-les-Châteaux", 80.0, "72,5", 2500.0, 2400],
                    [],
                    ["Source : DREES, traitements.", None, None, None, None, None],
                ]
                for year in (2023, 2024)
            },
        },
    )
    report = run_import("drees-apl", path)
    assert not report.skipped
    assert report.reference.millesime == "Infirmiers 2023, Infirmiers 2024"
    assert report.reference.lignes["infirmier 2024"]["notes"] == 1
    poitiers = OfficialApl.objects.get(profession="infirmier", annee=2024, code_insee="86194")
    assert (poitiers.apl, poitiers.apl_moins_65, poitiers.pop_totale) == (151.5, 140.25, 88000)
    assert OfficialApl.objects.get(profession="infirmier", annee=2023, code_insee="86140").apl_moins_65 == 72.5
    assert report.reference.parametres["unites"]["infirmier 2023"] == "En ETP pour 100 000 habitants standardisés"
    # The same file again: nothing to do.
    assert run_import("drees-apl", path).skipped
    assert ReferenceImport.objects.filter(fichier=path.name).count() == 1


def test_columns_are_found_by_name_in_any_order(national, tmp_path):
    header = [
        "Libellé de la commune",
        "CODGEO",
        "Population totale 2021 ",
        "APL aux chirurgiens-dentistes",
        "Population standardisée 2021",
    ]
    rows = [["Titre"], header, ["Poitiers", "86194", 88000, 61.5, 89000.5]]
    path = write_workbook(tmp_path / "dentistes.xlsx", {"APL 2024": rows})
    run_import("drees-apl", path)
    row = OfficialApl.objects.get(profession="chirurgien-dentiste", annee=2024, code_insee="86194")
    assert (row.nom, row.apl, row.apl_moins_65, row.pop_standardisee, row.pop_totale) == ("Poitiers", 61.5, None, 89000.5, 88000)


def test_a_corrected_workbook_replaces_the_same_year(national, tmp_path):
    def sheet(value: float) -> dict[str, list[list[object]]]:
        return {"APL 2023": [NURSE_HEADER, ["86194", "Poitiers", value, value, 10.0, 10]]}

    run_import("drees-apl", write_workbook(tmp_path / "a.xlsx", sheet(100.0)))
    report = run_import("drees-apl", write_workbook(tmp_path / "b.xlsx", sheet(101.0)))
    assert report.changes["apl_par_annee"] == ["infirmier 2023 : 1 communes, 0 nouvelles, 1 modifiées"]
    assert list(OfficialApl.objects.filter(profession="infirmier", annee=2023).values_list("apl", flat=True)) == [101.0]


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        (
            [NURSE_HEADER, ["86194", "Poitiers", "beaucoup", 1, 1, 1]],
            2,
            f"{drees_apl.BAD_NUMBER} dans « APL aux infirmières » : « beaucoup »",
        ),
        ([NURSE_HEADER, ["86194", "Poitiers", True, 1, 1, 1]], 2, f"{drees_apl.BAD_NUMBER} dans « APL aux infirmières » : True"),
        ([NURSE_HEADER, ["8619", "Poitiers", 1, 1, 1, 1]], 2, f"{drees_apl.BAD_CODE} : « 8619 »"),
        (
            [NURSE_HEADER, ["86194", "Poitiers", 1, 1, 1, 1], ["86194", "Poitiers", 1, 1, 1, 1]],
            3,
            f"{drees_apl.DUPLICATE_CODE} : 86194",
        ),
        (
            [["Titre"], ["Code commune INSEE", "Commune", " APL aux pharmaciens "]],
            2,
            f"{drees_apl.UNKNOWN_APL_COLUMN} : « APL aux pharmaciens »",
        ),
        ([["Code commune INSEE", "Commune", "Population totale"]], 1, drees_apl.NO_APL_COLUMN),
        (
            [["Code INSEE", "APL aux médecins généralistes", "APL aux infirmières"]],
            1,
            f"{drees_apl.TWO_PROFESSIONS} (Infirmiers, Médecins généralistes)",
        ),
        ([["Commune", "APL aux infirmières"]], None, drees_apl.NO_HEADER),
        # What cannot be true: an APL or a population below zero, or not finite (written as text in the cell).
        ([NURSE_HEADER, ["86194", "Poitiers", -7.5, 1, 1, 1]], 2, f"{NEGATIVE} dans « APL aux infirmières » : -7.5"),
        ([NURSE_HEADER, ["86194", "Poitiers", "-7,5", 1, 1, 1]], 2, f"{NEGATIVE} dans « APL aux infirmières » : -7.5"),
        ([NURSE_HEADER, ["86194", "Poitiers", 1, 1, 1, -1]], 2, f"{NEGATIVE} dans « Population totale 2021 » : -1"),
        ([NURSE_HEADER, ["86194", "Poitiers", "inf", 1, 1, 1]], 2, f"{NOT_FINITE} dans « APL aux infirmières » : inf"),
        (
            [NURSE_HEADER, ["86194", "Poitiers", 1, "-Infinity", 1, 1]],
            2,
            f"{NOT_FINITE} dans « APL aux infirmières de 65 ans ou moins » : -inf",
        ),
        (
            [NURSE_HEADER, ["86194", "Poitiers", 1, 1, "NaN", 1]],
            2,
            f"{NOT_FINITE} dans « Population standardisée 2021 pour les soins infirmiers » : nan",
        ),
        # Two columns for one figure: which one is the APL? Neither is preferred silently.
        (
            [[*NURSE_HEADER, "APL aux infirmières "], ["86194", "Poitiers", 1, 1, 1, 1, 9]],
            1,
            f"{DUPLICATE_COLUMN} : « APL aux infirmières » et « APL aux infirmières »",
        ),
        (
            [[*NURSE_HEADER, "APL aux infirmières (bis)"], ["86194", "Poitiers", 1, 1, 1, 1, 9]],
            1,
            f"{DUPLICATE_COLUMN} : « APL aux infirmières » et « APL aux infirmières (bis) » donnent la même valeur",
        ),
        (
            [["Code commune INSEE", "CODGEO", "APL aux infirmières"], ["86194", "86195", 1]],
            1,
            f"{DUPLICATE_COLUMN} : « Code commune INSEE » et « CODGEO » donnent la même valeur",
        ),
        (
            [[*NURSE_HEADER, "Population totale"], ["86194", "Poitiers", 1, 1, 1, 1, 2]],
            1,
            f"{DUPLICATE_COLUMN} : « Population totale 2021 » et « Population totale » donnent la même valeur",
        ),
        # The header again further down (two tables pasted one under the other).
        ([NURSE_HEADER, ["86194", "Poitiers", 1, 1, 1, 1], NURSE_HEADER], 3, f"{REPEATED_HEADER} (déjà ligne 1)"),
    ],
)
def test_a_bad_workbook_is_refused_with_its_sheet_line_and_reason_and_nothing_is_written(national, tmp_path, rows, line, reason):
    before = OfficialApl.objects.count(), ReferenceImport.objects.count()
    path = write_workbook(tmp_path / "bad.xlsx", {"APL 2023": rows})
    with pytest.raises(DataFileError) as error:
        run_import("drees-apl", path)
    assert (error.value.path, error.value.line, error.value.reason) == (f"{path} (onglet « APL 2023 »)", line, reason)
    assert (OfficialApl.objects.count(), ReferenceImport.objects.count()) == before


def test_a_file_that_is_not_a_workbook(national, tmp_path):
    path = tmp_path / "apl.xlsx"
    path.write_text("code;apl\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        run_import("drees-apl", path)
    assert error.value.reason.startswith(drees_apl.UNREADABLE) and error.value.path == str(path)
    other = write_workbook(tmp_path / "other.xlsx", {"Feuil1": [["x"]]})
    with pytest.raises(DataFileError) as error:
        run_import("drees-apl", other)
    assert (error.value.path, error.value.line, error.value.reason) == (str(other), None, drees_apl.NO_SHEET)


@pytest.mark.parametrize("name", ["apl.csv", "apl.xlsx", "apl"])
def test_a_csv_or_any_file_that_is_no_workbook_is_refused_by_its_name(national, tmp_path, name):
    path = tmp_path / name
    path.write_text("Code commune INSEE;APL aux infirmières\n86194;1,5\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        run_import("drees-apl", path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), None, drees_apl.UNREADABLE)


def test_a_workbook_under_another_extension_is_refused_with_the_one_expected(national, tmp_path):
    path = write_workbook(tmp_path / "apl.xlsx", {"APL 2023": [NURSE_HEADER, ["86194", "Poitiers", 1, 1, 1, 1]]})
    renamed = path.rename(tmp_path / "apl.zip")
    with pytest.raises(DataFileError) as error:
        run_import("drees-apl", renamed)
    assert error.value.reason == f"{drees_apl.UNREADABLE} : extension « .zip » attendue « .xlsx »"
    assert not ReferenceImport.objects.filter(fichier="apl.zip").exists()


@pytest.mark.parametrize("value", [0, 0.0, "0", 1e-9])
def test_a_nil_apl_is_possible_and_stored(national, tmp_path, value):
    path = write_workbook(tmp_path / "zero.xlsx", {"APL 2023": [NURSE_HEADER, ["86194", "Poitiers", value, 0, 0, 0]]})
    run_import("drees-apl", path)
    assert OfficialApl.objects.get(profession="infirmier", annee=2023, code_insee="86194").apl == float(value)
