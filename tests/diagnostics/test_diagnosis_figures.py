"""The état des lieux's figures recomputed independently: brute-force nearest distances from the raw counts and points,
times from the published parameter file, shares from the APL results, densities from the BPE national total."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from oasis.accessibility.models import AplResult
from oasis.diagnostics.services import build_diagnosis
from oasis.supply.models import SupplyCount
from oasis.territories.models import Commune
from oasis.territories.services import get_territory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

PARAMETERS = Path(__file__).resolve().parents[2] / "oasis" / "accessibility" / "parametres"


def _travel_parameters() -> dict:
    return json.loads((PARAMETERS / "apl-2023.json").read_text(encoding="utf-8"))["temps_de_trajet"]


def _haversine(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


@pytest.fixture
def creuse():
    # Built in each test (not once per module), so that mutation testing knows every test that reads it.
    return build_diagnosis(get_territory("departement", "23"))


def test_distance_time_and_share_beyond_20_minutes_for_orthophonistes(creuse):
    travel = _travel_parameters()
    units = list(
        Commune.objects.units().values_list(
            "code_insee", "longitude", "latitude", "departement_id", "categorie_aav", "population"
        )
    )
    present = set(
        SupplyCount.objects.filter(equipement="orthophoniste", millesime=2019, nombre__gt=0).values_list("commune_id", flat=True)
    )
    speeds = travel["vitesse_kmh_par_categorie_aav"]
    targets = np.array(
        [(lon, lat, speeds.get(c, travel["vitesse_kmh_defaut"])) for code, lon, lat, _d, c, _p in units if code in present]
    )
    inside = [(lon, lat, category, population or 0.0) for _code, lon, lat, dep, category, population in units if dep == "23"]
    nearest = [_haversine(lon, lat, targets[:, 0], targets[:, 1]) for lon, lat, _c, _p in inside]
    km = np.array([distances.min() for distances in nearest])
    speed_to = np.array([targets[int(distances.argmin()), 2] for distances in nearest])
    speed = np.array([speeds.get(category, travel["vitesse_kmh_defaut"]) for _lon, _lat, category, _p in inside])
    # The road model: 4 km (at most half the road) at each end's speed, the rest between built-up areas.
    road = travel["coefficient_detour"] * km
    local = np.minimum(travel["distance_locale_km"], road / 2)
    minutes = 60 * (local / speed + local / speed_to + (road - 2 * local) / travel["vitesse_kmh_entre_agglomerations"])
    population = np.array([p for *_rest, p in inside])
    row = next(p for p in creuse.professions if p.equipement == "orthophoniste")
    assert row.distance_km == pytest.approx(float(population @ km / population.sum()), rel=1e-6)
    assert row.temps_min == pytest.approx(float(population @ minutes / population.sum()), rel=1e-6)
    beyond_20 = float(population[minutes > 20].sum() / population.sum())
    assert row.part_plus_de_20_min == pytest.approx(beyond_20)
    # The Creuse discriminates the threshold: 20 and 30 minutes give different shares.
    assert not math.isclose(beyond_20, float(population[minutes > 30].sum() / population.sum()))


def test_share_of_the_population_in_under_served_communes(creuse):
    gp = creuse.professions[0]
    rows = AplResult.objects.filter(run=gp.run, commune__departement_id="23").values_list("apl", "commune__population")
    population = sum(p or 0 for _a, p in rows)
    under = sum(p or 0 for apl, p in rows if apl is not None and apl < 2.5)
    assert gp.population_sous_dotee == pytest.approx(under)
    assert gp.part_sous_dotee == pytest.approx(under / population)


def test_france_density_matches_the_published_bpe_total(creuse):
    gp = creuse.professions[0]
    france = gp.comparisons[-1]
    population_2025 = sum(Commune.objects.communes().values_list("population", flat=True))
    # INSEE publishes 61,429 GPs (D201) in the BPE 2019.
    assert france.pour_10000 == pytest.approx(10_000 * 61_429 / population_2025, rel=1e-9)
