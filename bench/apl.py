"""APL benchmark: OASIS against PySAL ``access`` on the same national instance, in the same run.

    make bench-apl        (installs the peer, loads the bundle into a temporary database, runs)

Prints: the machine; the national travel-time matrix build time; the national GP APL (20-minute
catchment, DREES weights) by OASIS and by ``access.Access.enhanced_two_stage_fca``
on the same matrix, supply, demand and weights, their largest difference and the speed ratio; all seven
professions nationally, matrix included; a what-if on one département.

Fair to the peer: ``access`` gets its own step function (``access.weights.step_fn``, as its documentation shows for
banded weights), and both sides are timed as the best of the same number of runs (``REPEATS``).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile

from _common import best_of, setup_django

REPEATS = 3


def main() -> None:
    setup_django()
    import numpy as np
    import pandas as pd

    try:
        from access import Access
        from access import weights as access_weights
    except ImportError:
        sys.exit("Le banc compare OASIS à PySAL access : pip install access (ou make bench-apl)")

    from oasis.accessibility import caching, computation, whatif
    from oasis.accessibility.inputs import build_supply
    from oasis.accessibility.params import load_parameters
    from oasis.accessibility.traveltime import EstimateProvider
    from oasis.accessibility.units import load_units
    from oasis.core.apl import AplModel, weight_matrix

    parameters = load_parameters()
    gp = parameters.for_profession("generaliste")
    units = load_units()
    provider = EstimateProvider(parameters.travel)

    print(
        f"Machine : {os.cpu_count()} cœurs, Python {platform.python_version()}, numpy {np.__version__}, "
        f"pandas {pd.__version__} ; meilleur de {REPEATS} exécutions de chaque côté."
    )
    matrix_seconds, times = best_of(lambda: provider.travel_times(units, gp.decay.max_minutes), repeats=REPEATS)
    print(f"communes (unités de calcul) : {units.n}")
    print(f"matrice nationale {gp.decay.max_minutes:g} min : {times.pairs} couples en {matrix_seconds * 1000:.0f} ms")

    supply = build_supply(gp, "moins-65", units).values
    demand = np.nan_to_num(units.pop_standardisee)

    def oasis_apl() -> np.ndarray:
        return AplModel(weight_matrix(times, gp.decay), demand).apl(supply)

    oasis_seconds, oasis_values = best_of(oasis_apl, repeats=REPEATS)

    codes = np.array(units.codes)
    demand_df = pd.DataFrame({"geoid": codes, "pop": demand}).set_index("geoid")
    supply_df = pd.DataFrame({"geoid": codes, "doc": supply}).set_index("geoid")
    cost_df = pd.DataFrame({"origin": codes[times.origin], "dest": codes[times.destination], "cost": times.minutes})

    # The DREES weights as access's own step function: {upper bound in minutes: weight}.
    weight = access_weights.step_fn(dict(zip(gp.decay.upper_minutes, gp.decay.weights, strict=True)))

    def peer_apl() -> pd.DataFrame:
        model = Access(
            demand_df=demand_df,
            demand_index=True,
            demand_value="pop",
            supply_df=supply_df,
            supply_index=True,
            supply_value="doc",
            cost_df=cost_df,
            cost_origin="origin",
            cost_dest="dest",
            cost_name="cost",
        )
        return model.enhanced_two_stage_fca(name="e2sfca", cost="cost", max_cost=gp.decay.max_minutes, weight_fn=weight)

    peer_seconds, peer_frame = best_of(peer_apl, repeats=REPEATS)
    peer_values = peer_frame["e2sfca_doc"].reindex(codes).to_numpy(dtype=float)
    comparable = np.isfinite(peer_values)
    difference = float(np.max(np.abs(peer_values[comparable] - oasis_values[comparable])))
    undefined_peer = int((~comparable).sum())
    print(f"APL médecins généralistes, OASIS : {oasis_seconds * 1000:.1f} ms")
    peer_version = getattr(sys.modules["access"], "__version__", "?")
    print(f"APL médecins généralistes, PySAL access {peer_version} : {peer_seconds * 1000:.0f} ms")
    print(
        f"écart maximal |Δ| = {difference:.3e} sur {int(comparable.sum())} communes "
        f"({undefined_peer} sans valeur chez access : aucune offre ni demande à portée, 0 chez OASIS) "
        f"— {'identiques' if difference < 1e-9 else 'DIFFÉRENTS'}"
    )
    print(f"rapport access / OASIS : {peer_seconds / oasis_seconds:.0f}×")

    def all_professions() -> list[float]:
        caching._models.clear()
        caching._times.clear()
        return [result.summary["apl_moyen_national"] for result in computation.compute_all()]

    all_seconds, means = best_of(all_professions, repeats=REPEATS)
    print(f"7 professions, France entière, matrices comprises : {all_seconds * 1000:.0f} ms")
    for slug, mean in zip(parameters.professions, means, strict=True):
        print(f"  {slug:26} APL moyen national {mean:10.3f}")

    gp_computation = computation.compute("generaliste", "moins-65")
    communes_86 = [code for code, dep in zip(units.codes, units.departement, strict=True) if dep == "86"]
    changes = [
        {"type": "structure", "commune": "86140", "nombre": 3},
        {"type": "ajout", "commune": "86070", "nombre": 2},
        {"type": "retrait", "commune": "86194", "nombre": 5},
    ]
    whatif_seconds, result = best_of(lambda: whatif.what_if(gp_computation, changes), repeats=REPEATS)
    print(
        f"scénario sur la Vienne ({len(communes_86)} communes, 3 changements) : {whatif_seconds * 1000:.2f} ms, "
        f"{result.summary['communes_modifiees']} communes modifiées"
    )

    # What a user runs: the command, in a new process (Python and Django start-up included), runs already stored.
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "oasis.cli", "apl", "--profession", "toutes", "--output", folder]
        cli_seconds, _ = best_of(lambda: subprocess.run(command, check=True, capture_output=True), repeats=REPEATS)
    print(f"oasis apl --profession toutes (7 fichiers CSV, France, nouveau processus) : {cli_seconds:.2f} s (objectif < 5 s)")


if __name__ == "__main__":
    main()
