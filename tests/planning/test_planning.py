"""Siting on real territories: the Vienne's three sites, explained, with their APL impact."""

import pytest

from oasis.planning.services import MODELS, PlanningOptions, plan
from oasis.territories.services import get_territory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def vienne(**options):
    return plan(PlanningOptions(territory=get_territory("departement", "86"), **options))


def test_three_sites_in_the_vienne_with_their_reasons():
    result = vienne(sites=3)
    assert result.status == "optimal"
    assert len(result.sites) == 3
    codes = {site.code_insee for site in result.sites}
    assert all(code.startswith("86") for code in codes)
    existing = {code for code, *_ in result.existing}
    assert len(existing) == 17 and not codes & existing  # maisons and centres de santé of the BPE 2019, kept
    assert result.population_couverte_apres > result.population_couverte_avant
    gains = [site.population_nouvellement_couverte for site in result.sites]
    assert gains == sorted(gains, reverse=True) and gains[0] > 0
    assert sum(gains) == pytest.approx(result.population_couverte_apres - result.population_couverte_avant)
    for site in result.sites:
        assert site.apl_apres > site.apl_avant  # three GPs settle there
        assert site.raisons
    assert result.apl_impact["population_sortant_sous_densite"] > 0


def test_greedy_never_beats_exact_on_the_vienne():
    exact = vienne(sites=3)
    greedy = vienne(sites=3, methode="glouton")
    assert greedy.objective <= exact.objective + 1e-6


def test_demand_of_sous_dense_communes_only():
    result = vienne(sites=2, demande="sous-denses")
    assert result.objective <= result.demand_total
    assert result.objective > result.objective_existing


def test_candidates_restricted_by_population():
    result = vienne(sites=2, population_min=2000)
    from oasis.territories.models import Commune

    populations = dict(
        Commune.objects.filter(code_insee__in=[s.code_insee for s in result.sites]).values_list("code_insee", "population")
    )
    assert all(value >= 2000 for value in populations.values())


def test_national_greedy():
    result = plan(PlanningOptions(territory=None, sites=10, methode="glouton"))
    assert result.status == "greedy" and len(result.sites) == 10
    assert result.demand_places == 34_917


def test_bad_options():
    with pytest.raises(ValueError, match="Demande inconnue"):
        vienne(demande="touristes")
    with pytest.raises(ValueError, match="entre 1 et 50"):
        vienne(sites=0)


def test_page_errors_are_explained(client):
    response = client.get("/implantation/", {"territoire": "dep:00"})
    assert response.status_code == 400 and "Département inconnu" in response.content.decode()
    assert client.get("/implantation/").status_code == 200  # the empty form


def test_p_median_on_the_vienne():
    coverage = vienne(sites=2)
    median = vienne(sites=2, modele="p-median")
    assert median.status == "optimal" and len(median.sites) == 2
    assert median.provenance["modele"] == MODELS["p-median"]
    assert median.provenance["modele"].startswith("distance moyenne minimale : ")
    with pytest.raises(ValueError, match="méthode exacte"):
        vienne(modele="p-median", methode="glouton")
    # Both models must cover at least what the existing structures cover.
    assert median.population_couverte_apres >= coverage.population_couverte_avant


def test_each_site_lists_the_apl_changes_it_brings():
    site = vienne(sites=1).sites[0]
    assert site.variations_apl
    assert all(after >= before for _, before, after in site.variations_apl)
    assert site.code_insee in {code for code, _, _ in site.variations_apl}
