"""How the DREES workbook's cells are read (blanks, spaced numbers, codes that lost their leading zero, the header
within the first forty rows, short rows, the unit row, the parameter sheet) and how published rows land on current
communes (fusions weighted by standardised population, scissions shared, the crosswalk's vintage by APL year, what
is new or changed for the same profession and year). Expected values are computed here by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from oasis.datasets.errors import DataFileError
from oasis.references.importers import drees_apl, run_import
from oasis.references.models import OfficialApl, OfficialAplUnit
from oasis.territories.models import CommuneCrosswalk
from tests.references.conftest import write_workbook

HEADER = ["Code commune INSEE", "Commune", "APL aux infirmières", "APL aux infirmières de 65 ans ou moins"]
HEADER += ["Population standardisée", "Population totale"]


@pytest.mark.parametrize("blank", [None, "", "  ", "-", "NA", "n.d.", "nd", " nd "])
def test_a_blank_or_unpublished_value_is_none(blank):
    assert drees_apl._number(blank, Path("f.xlsx"), 3, "APL") is None


@pytest.mark.parametrize(
    ("value", "number"), [(7, 7.0), (2.5, 2.5), ("72,5", 72.5), ("1 234,5", 1234.5), ("1\u202f234,5", 1234.5)]
)
def test_numbers_with_a_decimal_comma_and_spaced_thousands(value, number):
    assert drees_apl._number(value, Path("f.xlsx"), 3, "APL") == number


@pytest.mark.parametrize(
    ("cell", "code"), [(86194, "86194"), (1001, "01001"), (1001.0, "01001"), (" 2a004 ", "2A004"), (None, ""), (True, "TRUE")]
)
def test_codes_keep_five_characters_in_upper_case(cell, code):
    assert drees_apl._code(cell) == code


@pytest.mark.parametrize(
    ("cell", "is_code"),
    [("Code commune INSEE", True), (" Code INSEE ", True), ("CODGEO", True), ("Commune", False), ("Code", False), (None, False)],
)
def test_the_code_column_by_its_names(cell, is_code):
    assert drees_apl._is_code_header(cell) is is_code
    assert drees_apl._key(None) == ""


def _import(tmp_path: Path, rows: list[list[object]], sheet: str = "APL 2023", name: str = "apl.xlsx", **sheets):
    return run_import("drees-apl", write_workbook(tmp_path / name, {sheet: rows, **sheets}))


@pytest.mark.django_db
@pytest.mark.usefixtures("national")
@pytest.mark.parametrize(("header_row", "found"), [(40, True), (41, False)])
def test_the_header_is_looked_for_in_the_first_forty_rows(tmp_path, header_row, found):
    rows = [["Titre"]] * (header_row - 1) + [HEADER, ["86194", "Poitiers", 150.0, 140.0, 10.0, 10]]
    if found:
        assert _import(tmp_path, rows).reference.lignes["infirmier 2023"]["lignes"] == 1
    else:
        with pytest.raises(DataFileError) as error:
            _import(tmp_path, rows)
        assert error.value.reason == drees_apl.NO_HEADER


@pytest.mark.django_db
@pytest.mark.usefixtures("national")
def test_a_short_row_has_its_missing_cells_empty_and_the_parameter_sheet_is_kept_as_text(tmp_path):
    parameters = [["Paramètres de l'indicateur", None, ""], [], ["Décroissance", 1, 0.5], [None, "", None]]
    report = _import(tmp_path, [HEADER, [], ["86194", "Poitiers", 150.0]], **{"Paramètres": parameters})
    unit = OfficialAplUnit.objects.get(profession="infirmier", annee=2023, commune_id="86194")
    assert (unit.apl, unit.apl_moins_65, unit.pop_standardisee, unit.pop_totale) == (None, None, 0.0, 0.0)
    assert report.reference.parametres["onglet_parametres"] == [["Paramètres de l'indicateur"], ["Décroissance", "1", "0.5"]]
    assert report.reference.parametres["unites"] == {"infirmier 2023": ""}  # no unit row under the header


@pytest.mark.django_db
@pytest.mark.usefixtures("national")
def test_published_rows_land_on_current_communes_weighted_by_standardised_population(tmp_path):
    """99901 and 99902 merged into Chauvigny; 99903 split into Lussac (¾) and Montmorillon (¼); 99999 is unknown."""
    for origin, commune, ratio in [("99901", "86070", 1.0), ("99902", "86070", 1.0), ("99903", "86140", 0.75)]:
        CommuneCrosswalk.objects.create(millesime=2023, code_origine=origin, commune_id=commune, ratio=ratio)
    CommuneCrosswalk.objects.create(millesime=2023, code_origine="99903", commune_id="86165", ratio=0.25)
    rows = [
        HEADER,
        ["99999", "Inconnue", 1.0, 1.0, 1.0, 1],
        ["99901", "A", 3.0, None, 100.0, 90],
        ["99902", "B", 5.0, 6.0, 300.0, 310],
        ["99903", "C", 8.0, 7.0, 1000.0, 1200],
        ["86194", "Poitiers", 4.0, 4.0, None, 5],  # no standardised population: no weight, no mean
        ["86066", "Châtellerault", 2.0, 2.0, 0.5, 1],  # a weight under one still makes a mean
    ]
    report = _import(tmp_path, rows)
    units = {
        u.commune_id: (u.apl, u.apl_moins_65, u.pop_standardisee, u.pop_totale)
        for u in OfficialAplUnit.objects.filter(profession="infirmier", annee=2023)
    }
    assert units["86070"] == pytest.approx(((3 * 100 + 5 * 300) / 400, 6.0, 400.0, 400.0))
    assert units["86140"] == pytest.approx((8.0, 7.0, 750.0, 900.0))
    assert units["86165"] == pytest.approx((8.0, 7.0, 250.0, 300.0))
    # Each published row is kept as published, on the current commune that holds the largest share of it.
    published = dict(OfficialApl.objects.filter(profession="infirmier", annee=2023).values_list("code_insee", "commune_id"))
    assert published == {"99999": None, "99901": "86070", "99902": "86070", "99903": "86140", "86194": "86194", "86066": "86066"}
    assert units["86194"] == (None, None, 0.0, 5.0)
    assert units["86066"] == pytest.approx((2.0, 2.0, 0.5, 1.0))
    lignes = report.reference.lignes["infirmier 2023"]
    assert (lignes["lignes"], lignes["communes_actuelles"], lignes["non_placees"]) == (6, 5, ["99999"])


@pytest.mark.django_db
@pytest.mark.usefixtures("national")
@pytest.mark.parametrize(("annee", "commune"), [(2024, "86070"), (2025, "86165")])
def test_up_to_2024_the_crosswalk_of_the_apl_year_after_it_the_newest(tmp_path, annee, commune):
    CommuneCrosswalk.objects.create(millesime=2024, code_origine="99901", commune_id="86070", ratio=1.0)
    CommuneCrosswalk.objects.create(millesime=2026, code_origine="99901", commune_id="86165", ratio=1.0)
    _import(tmp_path, [HEADER, ["99901", "A", 3.0, 3.0, 100.0, 90]], sheet=f"APL {annee}")
    assert list(OfficialAplUnit.objects.filter(profession="infirmier", annee=annee).values_list("commune_id", flat=True)) == [
        commune
    ]
    assert OfficialApl.objects.get(profession="infirmier", annee=annee, code_insee="99901").commune_id == commune


@pytest.mark.django_db
@pytest.mark.usefixtures("national")
def test_what_is_new_or_changed_is_counted_for_the_same_profession_and_year(tmp_path):
    """The shipped GP 2022 rows are neither new nor changed for nurses in 2022; nurses' 2022 rows are not 2023's."""
    rows = [HEADER, ["86194", "Poitiers", 150.0, 140.0, 10.0, 10], ["86140", "Lussac", 80.0, 70.0, 10.0, 10]]
    gp = (
        OfficialApl.objects.filter(profession="generaliste", annee=2022).count(),
        OfficialAplUnit.objects.filter(profession="generaliste", annee=2022).count(),
    )
    first = _import(tmp_path, rows, sheet="APL 2022", name="a.xlsx")
    assert first.changes["apl_par_annee"] == ["infirmier 2022 : 2 communes, 2 nouvelles, 0 modifiées"]
    assert (
        (
            OfficialApl.objects.filter(profession="generaliste", annee=2022).count(),
            OfficialAplUnit.objects.filter(profession="generaliste", annee=2022).count(),
        )
        == gp
        != (0, 0)
    )  # the GPs' rows of the same year are not replaced by the nurses'
    assert OfficialApl.objects.filter(profession="infirmier", annee=2023).count() == 0
    rows[1][2] = 151.0
    second = _import(tmp_path, rows, sheet="APL 2023", name="b.xlsx")
    assert second.changes["apl_par_annee"] == ["infirmier 2023 : 2 communes, 2 nouvelles, 0 modifiées"]
    third = _import(tmp_path, rows, sheet="APL 2022", name="c.xlsx")
    assert third.changes["apl_par_annee"] == ["infirmier 2022 : 2 communes, 0 nouvelles, 1 modifiées"]


@pytest.mark.django_db
@pytest.mark.usefixtures("national")
def test_notes_below_the_table_are_counted_and_the_rows_after_them_read(tmp_path):
    header = ["Code commune INSEE", None, "Commune", "APL aux infirmières", "Population standardisée"]  # an empty column
    rows = [
        header,
        ["86194", None, None, 150.0, 10.0],
        ["Source : DREES", None, None, None, None],
        ["Champ : France entière", None, None, None, None],
        ["86140", None, "Lussac-les-Châteaux", 80.0, 10.0],
    ]
    report = _import(tmp_path, rows)
    lignes = report.reference.lignes["infirmier 2023"]
    assert (lignes["lignes"], lignes["notes"]) == (2, 2)
    names = dict(OfficialApl.objects.filter(profession="infirmier", annee=2023).values_list("code_insee", "nom"))
    assert names == {"86194": "", "86140": "Lussac-les-Châteaux"}


@pytest.mark.django_db
@pytest.mark.usefixtures("national")
@pytest.mark.parametrize("dry_run", [False, True])
def test_the_import_says_its_source_vintage_and_three_steps(tmp_path, dry_run):
    steps: list[int] = []
    path = write_workbook(tmp_path / "apl.xlsx", {"APL 2023": [HEADER, ["86194", "Poitiers", 150.0, 140.0, 10.0, 10]]})
    report = drees_apl.import_drees_apl(path, dry_run=dry_run, progress=steps.append)
    assert steps == [1] * drees_apl.STAGES == [1, 1, 1]
    assert (report.reference.source, report.reference.millesime) == (drees_apl.SOURCE, "Infirmiers 2023")
    assert report.reference.parametres["cog"] == {"2023": 2023}
    assert report.changes["apl_par_annee"] == ["infirmier 2023 : 1 communes, 1 nouvelles, 0 modifiées"]
    assert OfficialApl.objects.filter(profession="infirmier", annee=2023).exists() is not dry_run
