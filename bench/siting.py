"""Siting benchmark: the same MCLP instance solved by OASIS and by PySAL spopt, in the same run.

    make bench-siting

Instance: the communes of the Vienne (dep:86) as demand (standardised population) and as candidate sites,
coverage within 20 minutes (OASIS travel-time estimate), 3 new sites, the existing maisons and centres de
santé (BPE 2019) fixed. OASIS: ``oasis.core.siting.mclp_exact`` (HiGHS through highspy). spopt:
``MCLP.from_cost_matrix(...).solve(...)`` with PuLP's CBC (its documented default) and with PuLP's HiGHS.
Both must reach the same objective. Then: the national greedy for 10 sites.
"""

from __future__ import annotations

import sys
import time

import numpy as np
from _common import best_of, setup_django

REPEATS = 3


def main() -> None:
    setup_django()
    try:
        import pulp
        from spopt.locate import MCLP
    except ImportError:
        sys.exit("Le banc compare OASIS à PySAL spopt : pip install spopt (ou make bench-siting)")

    from oasis.accessibility.caching import cached_travel_times
    from oasis.accessibility.computation import default_provider
    from oasis.accessibility.params import load_parameters
    from oasis.accessibility.units import load_units
    from oasis.core.siting import mclp_exact, mclp_greedy
    from oasis.planning.services import PlanningOptions, _existing_sites, coverage_matrix, plan

    units = load_units()
    provider = default_provider(load_parameters())
    minutes = 20.0
    times = cached_travel_times(provider, units, minutes)
    coverage = coverage_matrix(times, minutes)
    inside = np.array([dep == "86" for dep in units.departement])
    index = np.flatnonzero(inside)
    sub = coverage[index, :][:, index].tocsc()
    weights = np.nan_to_num(units.pop_standardisee)[index]
    fixed = np.flatnonzero(_existing_sites(units)[0][index])
    p = 3
    print(
        f"instance : {index.size} communes de la Vienne, couverture {minutes:g} min, "
        f"{p} nouveaux sites, {fixed.size} existants fixés"
    )

    oasis_seconds, result = best_of(lambda: mclp_exact(sub, weights, p, fixed), repeats=REPEATS)
    print(
        f"OASIS (HiGHS) : {oasis_seconds * 1000:.1f} ms, objectif {result.objective:,.1f}, sites {sorted(result.sites.tolist())}"
    )

    dense = np.full(sub.shape, 1e6)
    times_sub = {
        (int(o), int(d)): float(t)
        for o, d, t in zip(times.origin, times.destination, times.minutes, strict=True)
        if inside[o] and inside[d]
    }
    position = {int(unit): k for k, unit in enumerate(index)}
    for (origin, destination), value in times_sub.items():
        dense[position[origin], position[destination]] = value
    predefined = np.zeros(index.size, dtype=int)
    predefined[fixed] = 1

    def spopt_build() -> object:
        return MCLP.from_cost_matrix(dense, weights, minutes, p + fixed.size, predefined_facilities_arr=predefined)

    def spopt_solve(solver: object) -> float:
        model = spopt_build()
        model.solve(solver)  # type: ignore[attr-defined]
        return float(pulp.value(model.problem.objective))  # type: ignore[attr-defined]

    build_seconds, _ = best_of(spopt_build, repeats=REPEATS)
    print(f"spopt, construction du modèle (MCLP.from_cost_matrix) : {build_seconds * 1000:.0f} ms")
    peers = {}
    for label, solver in (("CBC", pulp.PULP_CBC_CMD(msg=False)), ("HiGHS", pulp.HiGHS(msg=False))):
        total, objective = best_of(lambda solver=solver: spopt_solve(solver), repeats=REPEATS)
        peers[label] = total
        same = abs(objective - result.objective) <= 1e-6 * max(1.0, result.objective)
        print(
            f"spopt MCLP ({label} via PuLP) : {total * 1000:.0f} ms dont résolution ≈ {(total - build_seconds) * 1000:.0f} ms, "
            f"objectif {objective:,.1f} — {'même objectif' if same else 'OBJECTIF DIFFÉRENT'}"
        )
    fastest = min(peers.values())
    print(
        f"rapport spopt (le plus rapide, construction + résolution) / OASIS : {fastest / oasis_seconds:.0f}× ; "
        f"résolution seule : {(fastest - build_seconds) / oasis_seconds:.0f}× (meilleur de {REPEATS} de chaque côté)"
    )

    national_seconds, national = best_of(
        lambda: mclp_greedy(coverage, np.nan_to_num(units.pop_standardisee), 10, np.flatnonzero(_existing_sites(units)[0])),
        repeats=3,
    )
    print(f"glouton national, 10 sites ({units.n} communes) : {national_seconds * 1000:.0f} ms")
    started = time.perf_counter()
    full = plan(PlanningOptions(territory=None, sites=10, methode="glouton"))
    print(
        f"  avec impact sur l'APL de chaque site (oasis implantation) : {time.perf_counter() - started:.2f} s ; "
        f"premiers sites : {', '.join(s.nom for s in full.sites[:3])}"
    )
    assert national.sites.size == 10


if __name__ == "__main__":
    main()
