"""What each siting option changes, checked against the travel times and the rows rather than the solver's own
bookkeeping: the demand threshold of each profession, candidates with professionals only, a capacity per site, the
p-median's objective, the greedy method with the existing structures, and the impact of all the sites together."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from oasis.accessibility.caching import cached_travel_times
from oasis.accessibility.computation import compute, default_provider
from oasis.accessibility.enums import Variante
from oasis.accessibility.params import DEFAULT_PARAMETERS, load_parameters
from oasis.accessibility.units import load_units
from oasis.accessibility.whatif import what_if
from oasis.planning import services
from oasis.planning.services import PlanningOptions, plan
from oasis.territories.models import Commune
from oasis.territories.services import get_territory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def vienne(**options):
    return plan(PlanningOptions(territory=get_territory("departement", "86"), **options))


def test_the_demand_threshold_is_the_official_one_else_the_upper_bound_of_sous_dote():
    published = json.loads(DEFAULT_PARAMETERS.read_text(encoding="utf-8"))["professions"]
    assert services.demand_threshold(compute("generaliste")) == published["generaliste"]["seuil_sous_dense"] == 2.5
    nurses = compute("infirmier")
    assert "seuil_sous_dense" not in published["infirmier"]
    ratio = published["infirmier"]["classes_relatives_a_la_moyenne"][1]
    assert services.demand_threshold(nurses) == pytest.approx(ratio * nurses.summary["apl_moyen_national"])
    two = dataclasses.replace(nurses, summary={**nurses.summary, "bornes_classes": [1.0, 2.0]})
    assert services.demand_threshold(two) == 2.0
    message = (
        f"{services.MISSING_CLASS_BOUNDS} (infirmier, calcul {nurses.content_hash[:12]}) : "
        "la demande « sous-denses » ou « déficit » ne peut pas être calculée."
    )
    for bounds in (None, [], [1.0]):
        missing = dataclasses.replace(nurses, summary={**nurses.summary, "bornes_classes": bounds})
        with pytest.raises(ValueError) as error:
            services.demand_threshold(missing)
        assert str(error.value) == message.replace(nurses.content_hash[:12], missing.content_hash[:12])


def test_nurses_under_served_demand_uses_their_class_bound():
    result = vienne(sites=1, profession="infirmier", demande="sous-denses")
    nurses = compute("infirmier")
    units = load_units()
    inside = np.isin(units.codes, list(Commune.objects.filter(departement_id="86").values_list("code_insee", flat=True)))
    bound = services.demand_threshold(nurses)
    under = inside & ~np.isnan(nurses.apl) & (nurses.apl < bound)
    inhabitants = dict(Commune.objects.units().values_list("code_insee", "population"))
    population = np.array([float(inhabitants[code]) for code in units.codes])
    assert result.demand_total == pytest.approx(population[under].sum())
    assert 0 < result.demand_total < population[inside].sum()
    # Nurses have no official threshold: nobody is said to leave under-density.
    assert [(site.population_sortant_sous_densite, len(site.raisons)) for site in result.sites] == [(0.0, 1)]


def test_with_professionals_only_communes_counting_one_are_candidates():
    result = vienne(sites=3, avec_professionnels=True)
    computation = compute("generaliste")
    units = load_units()
    inside = np.isin(units.codes, list(Commune.objects.filter(departement_id="86").values_list("code_insee", flat=True)))
    existing = np.isin(units.codes, [code for code, *_ in result.existing])
    with_one = inside & (computation.supply.counts > 0)
    assert result.candidates == int((with_one | existing).sum()) - int(existing.sum())
    assert 0 < result.candidates < vienne(sites=3).candidates
    assert all(computation.supply.counts[units.index[site.code_insee]] > 0 for site in result.sites)


def test_a_capacity_per_site_limits_what_each_new_site_adds():
    free = vienne(sites=2)
    capped = vienne(sites=2, capacite=100.0)
    assert free.objective - free.objective_existing > 200
    assert capped.objective < free.objective
    median_free = vienne(sites=2, modele="p-median")
    median_capped = vienne(sites=2, modele="p-median", capacite=100.0)
    assert median_capped.objective != pytest.approx(median_free.objective)


def _nearest_minutes(open_codes: set[str], minutes: float) -> tuple[np.ndarray, np.ndarray]:
    """(minutes to the nearest open site within ``minutes``, NaN beyond; Vienne mask) for every unit."""
    units = load_units()
    computation = compute("generaliste", Variante.ENSEMBLE)
    reach = max(minutes, computation.parameters.decay.max_minutes)
    times = cached_travel_times(default_provider(load_parameters()), units, reach)
    open_mask = np.isin(units.codes, list(open_codes))
    near = (times.minutes <= minutes) & open_mask[times.destination]
    best = np.full(units.n, np.inf)
    np.minimum.at(best, times.origin[near], times.minutes[near])
    inside = np.isin(units.codes, list(Commune.objects.filter(departement_id="86").values_list("code_insee", flat=True)))
    return best, inside


def test_the_p_median_objective_is_the_weighted_time_to_the_nearest_open_site():
    """Every demand place goes to its nearest open site (new or existing); one beyond 20 minutes costs 40."""
    result = vienne(sites=2, modele="p-median")
    best, inside = _nearest_minutes({code for code, *_ in result.existing} | {s.code_insee for s in result.sites}, 20.0)
    standard = np.nan_to_num(load_units().pop_standardisee)
    cost = np.where(np.isinf(best), 40.0, best)
    assert result.objective == pytest.approx(float((standard * cost)[inside].sum()), rel=1e-6)
    assert result.status == "optimal"
    assert 0 <= result.solve_seconds < 600


def test_the_greedy_method_builds_on_the_existing_structures():
    result = vienne(sites=3, methode="glouton")
    best, inside = _nearest_minutes({code for code, *_ in result.existing} | {s.code_insee for s in result.sites}, 20.0)
    standard = np.nan_to_num(load_units().pop_standardisee)
    assert result.objective == pytest.approx(float(standard[inside & ~np.isinf(best)].sum()))
    assert result.objective > result.objective_existing
    assert result.provenance["methode"] == f"heuristique gloutonne (au moins {services.GREEDY_BOUND:.0%} de l'optimum)"


def test_the_apl_impact_is_that_of_all_the_sites_together():
    result = vienne(sites=3, professionnels_par_site=2)
    changes = [{"type": "structure", "commune": site.code_insee, "nombre": 2} for site in result.sites]
    assert result.apl_impact == what_if(compute("generaliste"), changes).summary
    assert result.apl_impact != what_if(compute("generaliste"), changes[-1:]).summary


def test_each_site_says_where_it_is_and_what_its_installation_changes():
    result = vienne(sites=2)
    units = load_units()
    computation = compute("generaliste")
    for site in result.sites:
        unit = units.index[site.code_insee]
        assert (site.longitude, site.latitude) == (float(units.longitude[unit]), float(units.latitude[unit]))
        impact = what_if(computation, [{"type": "structure", "commune": site.code_insee, "nombre": 3}])
        leaving = float(impact.summary.get("population_sortant_sous_densite", 0.0))
        assert site.population_sortant_sous_densite == leaving
        if leaving:
            assert site.raisons[1] == f"{int(leaving):,} habitants sortiraient de la sous-densité".replace(",", "\u202f")
        else:
            assert len(site.raisons) == 1
        changed = {units.codes[k] for k in np.flatnonzero(~np.isnan(impact.before) & (impact.after != impact.before))}
        assert {code for code, _before, _after in site.variations_apl} == changed
        assert all(after > before for _code, before, after in site.variations_apl)
    assert result.provenance["structures_existantes"] == "maisons et centres de santé de la BPE 2019, conservés"


def test_a_finess_import_adds_its_structures_and_says_so(tmp_path):
    from oasis.references.importers import run_import
    from tests.references.conftest import finess_sample_with, finess_structure_line

    lussac = finess_structure_line("860000001", "603", "86", "140", "MSP de Lussac-les-Châteaux", "2019-09-02")
    run_import("finess", finess_sample_with(tmp_path, lussac))
    result = vienne(sites=1)
    assert result.provenance["structures_existantes"] == (
        "maisons et centres de santé de la BPE 2019 et de FINESS, extraction du 12/05/2026, conservés"
    )
    assert "86140" in {code for code, *_ in result.existing}


def test_a_territory_without_any_structure_starts_from_nobody_covered():
    """Two small communes without maison nor centre de santé: nothing is covered before the new site."""
    territory = get_territory("set", "86001,86002")
    result = plan(PlanningOptions(territory=territory, sites=1, minutes=5))
    assert result.existing == []
    assert (result.objective_existing, result.population_couverte_avant) == (0.0, 0.0)
    assert result.population_couverte_apres > 0 and len(result.sites) == 1


def test_a_commune_that_already_has_a_maison_de_sante_is_refused_in_french_not_with_a_solver_error():
    units = load_units()
    existing, _ = services._existing_sites(units)
    loudun = units.index["86137"]
    assert existing[loudun]  # the premise: Loudun has a maison de santé (BPE)
    options = PlanningOptions(territory=get_territory("commune", "86137"), sites=1, population_min=0)
    with pytest.raises(ValueError) as refused:
        plan(options)
    message = str(refused.value)
    assert message.startswith("1 site demandé, mais Loudun n'a que 0 commune candidate"), message
    # A commune without one is planned as before.
    assert plan(dataclasses.replace(options, territory=get_territory("commune", "86041"))).sites
