"""The siting service's rules one by one: each option at and around its bounds, the three demands on a four-commune
example counted by hand, the coverage matrix at its cutoff, the existing structures kept, and the Vienne's result
recomputed from the travel times (not from the solver's own bookkeeping)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from oasis.accessibility.caching import cached_travel_times
from oasis.accessibility.computation import compute, default_provider
from oasis.accessibility.enums import Variante
from oasis.accessibility.params import load_parameters
from oasis.accessibility.units import load_units
from oasis.core.traveltime import TravelTimes
from oasis.planning import services
from oasis.planning.services import PlanningOptions, plan
from oasis.supply.models import SupplyCount
from oasis.territories.models import Commune
from oasis.territories.services import get_territory
from oasis.verdicts.services import verdict


def refusal(**options) -> str:
    with pytest.raises(ValueError) as raised:
        PlanningOptions(territory=None, **options).check()
    return str(raised.value)


@pytest.mark.parametrize(
    ("option", "refused", "accepted"),
    [
        ("sites", [0, 51], [1, 50]),
        ("minutes", [4.9, 60.1], [5, 60]),
        ("professionnels_par_site", [0, 31], [1, 30]),
    ],
)
def test_each_number_is_accepted_at_its_bounds_and_refused_beyond(option, refused, accepted):
    message = {
        "sites": services.SITES_OUT_OF_RANGE,
        "minutes": services.MINUTES_OUT_OF_RANGE,
        "professionnels_par_site": services.PROFESSIONALS_OUT_OF_RANGE,
    }[option]
    for value in refused:
        assert refusal(**{option: value}) == message
    for value in accepted:
        PlanningOptions(territory=None, **{option: value}).check()


def test_unknown_choices_are_named_with_the_known_ones():
    assert refusal(modele="gravitaire") == "Modèle inconnu : « gravitaire » (couverture, p-median)."
    assert refusal(demande="touristes") == "Demande inconnue : « touristes » (population, sous-denses, deficit)."
    assert refusal(methode="hasard") == "Méthode inconnue : « hasard » (exacte, glouton)."
    assert refusal(modele="p-median", methode="glouton") == services.P_MEDIAN_NEEDS_EXACT
    PlanningOptions(territory=None, modele="p-median", methode="exacte").check()


@pytest.fixture
def four_communes(db, national):
    """Four units: standardised populations 100, 200, NaN (unknown), 400; inhabitants (INSEE) 110, 210, 310, 0; the
    DREES's total populations, which no count of inhabitants reads, 111, 211, 311, NaN."""
    units = load_units()
    return dataclasses.replace(
        units,
        codes=units.codes[:4],
        pop_standardisee=np.array([100.0, 200.0, np.nan, 400.0]),
        pop_totale=np.array([111.0, 211.0, 311.0, np.nan]),
        population=np.array([110.0, 210.0, 310.0, 0.0]),
    )


def test_the_three_demands_counted_by_hand(four_communes):
    apl = np.array([1.0, 2.5, 2.0, np.nan])  # threshold 2.5: only the first is below it; the last is unknown
    population = services._weights("population", apl, four_communes, 2.5, "generaliste")
    assert population.tolist() == [100.0, 200.0, 0.0, 400.0]
    # « sous-denses »: the communes the verdict says are (official APL here), whatever the estimate gives.
    under = [verdict(code).sous_dense is True for code in four_communes.codes]
    sous_denses = services._weights("sous-denses", apl, four_communes, 2.5, "generaliste")
    assert sous_denses.tolist() == [total if flag else 0.0 for total, flag in zip([110.0, 210.0, 310.0, 0.0], under, strict=True)]
    deficit = services._weights("deficit", apl, four_communes, 2.5, "generaliste")
    assert deficit.tolist() == [150.0, 0.0, 0.0, 0.0]  # (2.5 − 1) × 100; the third has no standardised population


def test_the_coverage_matrix_keeps_pairs_at_the_cutoff_and_zero_minutes():
    times = TravelTimes(
        origin=np.array([0, 0, 1, 2, 2]),
        destination=np.array([0, 1, 1, 0, 2]),
        minutes=np.array([0.0, 20.0, 0.0, 20.000001, 3.0]),
        n=3,
        max_minutes=30.0,
    )
    matrix = services.coverage_matrix(times, 20.0)
    assert matrix.shape == (3, 3)
    assert matrix.toarray().astype(bool).tolist() == [[True, True, False], [False, True, False], [False, False, True]]
    assert services.cached_coverage(times, 20.0) is services.cached_coverage(times, 20.0)
    other = dataclasses.replace(times, minutes=times.minutes + 1)
    assert services.cached_coverage(other, 20.0).toarray().astype(bool)[0].tolist() == [True, False, False]


def test_existing_structures_are_the_newest_bpes_maisons_and_centres(db, national):
    units = load_units()
    newest = SupplyCount.objects.order_by("-millesime").values_list("millesime", flat=True).first()
    # Montmorillon: a maison de santé only in an older vintage, a centre counted zero in the newest: not kept.
    SupplyCount.objects.filter(commune_id="86165", equipement__in=["maison-de-sante", "centre-de-sante"]).delete()
    SupplyCount.objects.create(commune_id="86165", equipement="maison-de-sante", millesime=newest - 1, nombre=2)
    SupplyCount.objects.create(commune_id="86165", equipement="centre-de-sante", millesime=newest, nombre=0)
    SupplyCount.objects.filter(commune_id="86070", equipement="centre-de-sante", millesime=newest).delete()
    SupplyCount.objects.create(commune_id="86070", equipement="centre-de-sante", millesime=newest, nombre=1)
    present, label = services._existing_sites(units)
    assert label == f"maisons et centres de santé de la BPE {newest}, conservés"
    assert present.dtype == bool and present.shape == (units.n,)
    assert present[units.index["86070"]] and not present[units.index["86165"]]
    expected = set(
        SupplyCount.objects.filter(
            millesime=newest, nombre__gt=0, equipement__in=["maison-de-sante", "centre-de-sante"]
        ).values_list("commune_id", flat=True)
    ) & set(units.codes)
    assert {units.codes[i] for i in np.flatnonzero(present)} == expected


def test_the_vienne_result_recomputed_from_the_travel_times(db, national):
    territory = get_territory("departement", "86")
    result = plan(PlanningOptions(territory=territory, sites=3, minutes=20))
    units = load_units()
    parameters = load_parameters()
    computation = compute("generaliste", Variante.ENSEMBLE)
    times = cached_travel_times(default_provider(parameters), units, max(20.0, computation.parameters.decay.max_minutes))
    inside = np.isin(units.codes, list(Commune.objects.filter(departement_id="86").values_list("code_insee", flat=True)))
    existing = {code for code, *_ in result.existing}
    chosen = {site.code_insee for site in result.sites}

    def covered_by(sites: set[str]) -> np.ndarray:
        targets = np.isin(np.array(units.codes), list(sites))
        near = (times.minutes <= 20.0) & targets[times.destination]
        covered = np.zeros(units.n, dtype=bool)
        covered[times.origin[near]] = True
        return covered & inside

    inhabitants = dict(Commune.objects.units().values_list("code_insee", "population"))  # the territory page's figure
    population = np.array([float(inhabitants[code]) for code in units.codes])
    standard = np.nan_to_num(units.pop_standardisee)
    before, after = covered_by(existing), covered_by(existing | chosen)
    assert result.population_couverte_avant == pytest.approx(population[before].sum())
    assert result.population_couverte_apres == pytest.approx(population[after].sum())
    assert result.population_totale == pytest.approx(population[inside].sum())
    assert result.objective == pytest.approx(standard[after].sum())
    assert result.objective_existing == pytest.approx(standard[before].sum())
    assert result.demand_total == pytest.approx(standard[inside].sum())
    assert result.demand_places == int(inside.sum())
    assert result.candidates == int(inside.sum()) - len(existing)
    for site in result.sites:
        alone = covered_by({site.code_insee})
        assert site.communes_couvertes == int(alone.sum())
        assert site.population_commune == pytest.approx(population[units.index[site.code_insee]])
        assert site.nom == Commune.objects.get(pk=site.code_insee).nom
    assert result.provenance["demande"] == services.DEMANDS["population"]
    assert result.provenance["modele"] == services.MODELS["couverture"]
    assert result.provenance["methode"] == "programme linéaire en nombres entiers (HiGHS), optimum prouvé"
    assert result.provenance["impact"] == "3 professionnels nouvellement installés par site (méthode DREES)"
    assert result.provenance["couverture"].startswith("20 minutes, ")
    assert result.provenance["calcul_apl"] == computation.content_hash
    first = result.sites[0]
    newly = int(first.population_nouvellement_couverte)
    assert first.raisons[0] == (
        f"couvre {newly:,} habitants à moins de 20 min non couverts par une structure existante ou un site mieux placé"
    ).replace(",", "\u202f")


def test_candidates_at_the_population_minimum_are_kept(db, national):
    territory = get_territory("departement", "86")
    populations = dict(Commune.objects.filter(departement_id="86").values_list("code_insee", "population"))
    units = load_units()
    total = {code: populations[code] for code in populations if code in units.index}
    floor = sorted(total.values())[-10]  # ten communes at or above it
    result = plan(PlanningOptions(territory=territory, sites=2, population_min=int(floor), methode="glouton"))
    allowed = {code for code, value in total.items() if value >= int(floor)}
    existing = {code for code, *_ in result.existing}
    assert result.candidates == len(allowed - existing)
    assert {site.code_insee for site in result.sites} <= allowed
    assert result.provenance["methode"].startswith("heuristique gloutonne (au moins ")
