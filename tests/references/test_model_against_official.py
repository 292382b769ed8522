"""The model against the official APL: the newest official year of the profession asked, the 65-and-under column by
default, communes without an estimate or an official value left out, an unknown population counting nobody. Expected
figures are counted here from the rows."""

from __future__ import annotations

import pytest

from oasis.accessibility.models import AplResult
from oasis.accessibility.runs import current_run
from oasis.references import agreement
from oasis.references.models import OfficialAplUnit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def _vienne(column: str = "apl_moins_65", annee: int = 2022) -> tuple[int, float, float]:
    """(communes, population, population below 2.5 in both) of the Vienne's GP rows with both values, by hand."""
    estimate = dict(current_run("generaliste").results.values_list("commune_id", "apl"))
    rows = OfficialAplUnit.objects.filter(profession="generaliste", annee=annee, commune__departement_id="86")
    communes, population, both_below = 0, 0.0, 0.0
    for code, official, pop in rows.values_list("commune_id", column, "pop_totale"):
        mine = estimate.get(code)
        if mine is None or official is None:
            continue
        communes += 1
        population += pop or 0.0
        if mine < 2.5 and official < 2.5:
            both_below += pop or 0.0
    return communes, population, both_below


def _figures(result: agreement.Agreement) -> tuple[int, float, float]:
    return result.communes, result.population, result.both_below


def test_by_default_the_newest_gp_year_under_65():
    year, france, departements = agreement.model_against_official()
    assert year == 2022
    assert _figures(departements["86"]) == pytest.approx(_vienne(), abs=0.01)
    assert france.communes == sum(group.communes for group in departements.values())
    all_ages = agreement.model_against_official(column="apl")[2]["86"]
    assert _figures(all_ages) == pytest.approx(_vienne("apl"), abs=0.01)
    assert _figures(all_ages) != _figures(departements["86"])  # the two columns differ somewhere in the Vienne


def test_other_years_and_professions_are_left_out():
    """A 2021 GP row and a 2022 nurses' row for each Vienne commune change nothing in the 2022 GP comparison."""
    rows = list(OfficialAplUnit.objects.filter(profession="generaliste", annee=2022, commune__departement_id="86"))
    for row in rows:
        OfficialAplUnit.objects.create(
            reference=row.reference, profession="generaliste", annee=2021, commune=row.commune, apl=9.0, apl_moins_65=9.0
        )
        OfficialAplUnit.objects.create(
            reference=row.reference, profession="infirmier", annee=2022, commune=row.commune, apl=9.0, apl_moins_65=9.0
        )
    expected = _vienne()
    assert _figures(agreement.model_against_official("generaliste")[2]["86"]) == pytest.approx(expected, abs=0.01)
    year, _france, older = agreement.model_against_official("generaliste", 2021)
    assert year == 2021
    assert (older["86"].communes, older["86"].population, older["86"].both_below) == (expected[0], 0.0, 0.0)


def test_a_commune_without_estimate_or_official_value_is_left_out_and_an_unknown_population_counts_nobody():
    before = agreement.model_against_official()[2]["86"]
    AplResult.objects.filter(run=current_run("generaliste"), commune_id="86194").delete()
    OfficialAplUnit.objects.filter(profession="generaliste", annee=2022, commune_id="86140").update(apl_moins_65=None)
    chauvigny = OfficialAplUnit.objects.get(profession="generaliste", annee=2022, commune_id="86070")
    assert chauvigny.pop_totale
    chauvigny.pop_totale = None
    chauvigny.save()
    after = agreement.model_against_official()[2]["86"]
    assert after.communes == before.communes - 2
    assert _figures(after) == pytest.approx(_vienne(), abs=0.01)


def test_an_unknown_column_or_a_profession_without_official_apl_is_refused_by_name():
    with pytest.raises(ValueError) as error:
        agreement.model_against_official(column="apl_moins_75")
    assert str(error.value) == agreement.UNKNOWN_COLUMN.format(column="apl_moins_75")
    with pytest.raises(LookupError) as missing:
        agreement.model_against_official("orthophoniste")
    assert str(missing.value) == agreement.NO_OFFICIAL_APL.format(profession="orthophoniste")
