"""APL on the national bundle: published figure, reproducibility, territories, scenarios, imported activity."""

import numpy as np
import pytest

from oasis.accessibility.computation import compute
from oasis.accessibility.imports import import_practitioners
from oasis.accessibility.models import AplResult, AplRun, ScenarioResult
from oasis.accessibility.rows import territory_rows, territory_summary
from oasis.accessibility.runs import run_apl
from oasis.accessibility.whatif import run_scenario, what_if
from oasis.datasets.errors import DataFileError
from oasis.supply.enums import PROFESSIONS
from oasis.territories.models import Commune
from oasis.territories.services import get_territory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_national_gp_apl_is_within_two_percent_of_the_published_mean():
    # DREES: APL aux médecins généralistes de 65 ans et moins, 2023, mean weighted by standardised population: 3.29.
    computation = compute("generaliste", "moins-65")
    assert computation.summary["apl_moyen_national"] == pytest.approx(3.29, rel=0.02)
    # The calage is exact up to the supply no demand can reach (a few GPs without any population around).
    assert computation.summary["offre_sans_demande_accessible"] < 0.01 * computation.summary["offre_totale"]


@pytest.mark.parametrize("profession", [p.value for p in PROFESSIONS])
def test_every_profession_computes(profession):
    computation = compute(profession)
    valid = ~np.isnan(computation.apl)
    assert valid.sum() == 34_900  # all units but Mayotte's 17 communes (no DREES population)
    assert np.all(computation.apl[valid] >= 0)
    assert computation.summary["apl_moyen_national"] > 0


def test_a_run_stored_meanwhile_by_another_process_is_returned(monkeypatch):
    """First visitors after an import: two requests compute the same run, the second to store it must not fail."""
    from oasis.accessibility import runs

    store = runs._store_run

    def another_process_stores_it_first(*args):
        store(*args)  # the other request commits first
        return store(*args)  # this one then meets the unique content hash

    monkeypatch.setattr(runs, "_store_run", another_process_stores_it_first)
    run = run_apl("generaliste", "moins-65")
    assert AplRun.objects.filter(content_hash=run.content_hash).count() == 1
    assert AplResult.objects.filter(run=run).count() == 34_900


def test_run_is_stored_once_and_reused():
    first = run_apl("infirmier")
    again = run_apl("infirmier")
    assert first.pk == again.pk
    assert AplRun.objects.filter(content_hash=first.content_hash).count() == 1
    assert AplResult.objects.filter(run=first).count() == 34_900
    assert first.entrees["offre"]["millesime"] == 2019
    assert first.entrees["temps_de_trajet"]["source"] == "estimation"
    assert first.parametres["version"]


def test_territory_rows_and_summary_for_the_vienne():
    run = run_apl("generaliste", "moins-65")
    rows = territory_rows(run, get_territory("departement", "86"))
    assert len(rows) == 265
    summary = territory_summary(run, rows)
    assert 1.0 < summary["apl_moyen"] < 6.0
    inhabitants = dict(Commune.objects.filter(departement_id="86").values_list("code_insee", "population"))
    assert summary["population_sous_dotee"] == sum(inhabitants[row.code_insee] for row in rows if row.sous_dense_estimation)
    assert summary["population"] == sum(inhabitants.values()) == 438_897


def test_installing_gps_never_lowers_any_apl_and_raises_the_commune():
    computation = compute("generaliste", "moins-65")
    result = what_if(computation, [{"type": "structure", "commune": "86140", "nombre": 3}])
    valid = ~np.isnan(result.before)
    assert np.all(result.after[valid] >= result.before[valid] - 1e-12)
    index = computation.units.index["86140"]
    assert result.after[index] > result.before[index]
    assert result.summary["population_entrant_sous_densite"] == 0


def test_departures_lower_apl_and_are_bounded_by_who_is_there():
    computation = compute("generaliste")
    poitiers = computation.units.index["86194"]
    result = what_if(computation, [{"type": "retrait", "commune": "86194", "nombre": 10}])
    assert result.after[poitiers] < result.before[poitiers]
    with pytest.raises(ValueError, match="praticien"):
        what_if(computation, [{"type": "retrait", "commune": "86194", "nombre": 10_000}])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "ajout", "commune": "99999", "nombre": 1}, "commune inconnue"),
        ({"type": "ajout", "commune": "75056", "nombre": 1}, "arrondissement attendu"),
        ({"type": "ajout", "commune": "86194", "nombre": 0}, "entier positif"),
        ({"type": "demenagement"}, "type « demenagement » inconnu"),
        ({"type": "depart_age", "age": 65}, "âges des praticiens sont inconnus"),
    ],
)
def test_bad_changes_are_explained(change, message):
    with pytest.raises(ValueError, match=message):
        what_if(compute("generaliste"), [change])


def test_scenario_is_stored_with_the_communes_it_changes():
    run = run_apl("generaliste", "moins-65")
    scenario = run_scenario(run, "Maison de santé à Lussac", [{"type": "structure", "commune": "86140", "nombre": 3}])
    changed = ScenarioResult.objects.filter(scenario=scenario)
    assert changed.count() == scenario.resume["communes_modifiees"] > 0
    assert all(row.apl_apres > row.apl_avant for row in changed)


def test_imported_activity_replaces_the_imputation(tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text(
        "code_insee,actes,age,mode,nouvel_installe\n"
        "86194,5000,50,liberal,0\n"
        "86194,7000,70,liberal,0\n"
        "86140,100,45,liberal,1\n"
        "86001,9000,40,centre-de-sante,0\n"
    )
    report = import_practitioners(path, "generaliste", 2023)
    assert report.created and report.source.lignes == 4
    assert not import_practitioners(path, "generaliste", 2023).created  # same file: nothing to do
    everyone = compute("generaliste", "ensemble")
    under_66 = compute("generaliste", "moins-65")
    # 5000 + 6000 (capped) + 5400 (newly installed) + 9000 (centre de santé, uncapped)
    assert everyone.supply.values.sum() == pytest.approx(25_400)
    assert under_66.supply.values.sum() == pytest.approx(19_400)
    assert everyone.supply.description["source"] == "import"
    assert everyone.content_hash != under_66.content_hash
    retirement = what_if(everyone, [{"type": "depart_age", "age": 65}])
    assert retirement.summary["variation_offre"] == pytest.approx(-6000)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code_insee,actes\n86194,beaucoup\n", "ligne 2 : colonne actes"),
        ("code_insee,actes\n99999,100\n", "ligne 2 : commune « 99999 » inconnue"),
        ("code_insee,actes\n75056,100\n", "par arrondissement"),
        ("code_insee,actes,age\n86194,100,230\n", "âge plausible"),
        ("code_insee,actes,mode\n86194,100,hopital\n", "colonne mode"),
        ("code_insee,etp\n86194,1\n", "colonnes manquantes : actes"),
    ],
)
def test_bad_activity_file_is_refused_and_nothing_is_imported(tmp_path, content, message):
    path = tmp_path / "activite.csv"
    path.write_text(content)
    with pytest.raises(DataFileError, match=message):
        import_practitioners(path, "generaliste", 2023)
    assert compute("generaliste").supply.description["source"] == "bpe"


@pytest.mark.parametrize("level", ["region", "departement", "epci", "bassin_de_vie"])
def test_aggregation_matches_the_territory_summary(level):
    from oasis.accessibility.aggregation import aggregate

    computation = compute("generaliste", "moins-65")
    groups = {group.code: group for group in aggregate(computation, level)}
    code = {"region": "75", "departement": "86", "epci": "200069854", "bassin_de_vie": "86194"}[level]
    mask = np.array(getattr(computation.units, level)) == code
    valid = mask & ~np.isnan(computation.apl)
    weights = np.nan_to_num(computation.units.pop_standardisee)[valid]
    expected = float(np.sum(computation.apl[valid] * weights) / weights.sum())
    assert groups[code].apl_moyen == pytest.approx(expected, rel=1e-12)
    under = valid & (computation.apl < 2.5)
    inhabitants = dict(Commune.objects.units().values_list("code_insee", "population"))
    population = np.array([float(inhabitants[unit]) for unit in computation.units.codes])
    assert groups[code].pop_sous_dotee == pytest.approx(population[under].sum())
    assert groups[code].population == pytest.approx(population[valid].sum())


def test_unknown_aggregation_level():
    from oasis.accessibility.aggregation import aggregate

    with pytest.raises(ValueError, match="Niveau d'agrégation inconnu"):
        aggregate(compute("generaliste"), "canton")
