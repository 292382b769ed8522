"""What the pages and the API would otherwise compute on their first request after an import, computed beforehand.

``oasis precalculer`` (run by ``oasis data load``, ``oasis data import`` and ``oasis data update``) computes the APL
runs of every profession, the home page's figures, the page and the état des lieux of every région and département,
the GP answers of ``/api/apl`` per département, the national answers of ``/api/apl`` (estimate and official APL) and
of the map, and the national figures every état des lieux reads (units, distances to the nearest professional, the
figures of the places it is compared with).
Each is kept through ``kept`` in the files every server process reads (oasis/datasets/precomputed.py): after a
restart, a request only reads. EPCI (on demand: ``--niveaux``) and communes (35,000) are computed on their first
request from those national figures and their own communes' rows (no national computation left), then kept the same
way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from oasis.datasets import precomputed
from oasis.datasets.fingerprint import version

LEVELS = ("region", "departement", "epci")
DEFAULT_LEVELS = ("region", "departement")
"""EPCI (1,250: about 15 minutes on 2 cores) are computed on request unless asked for."""


@dataclass(frozen=True)
class Step:
    label: str
    run: Callable[[], object]


def steps(levels: tuple[str, ...] = LEVELS) -> Iterator[Step]:
    """Every computation, in the order a visitor meets them (runs first: everything else reads them)."""
    from django.test import Client

    from oasis.accessibility.runs import current_run
    from oasis.diagnostics.services import keep_national_figures
    from oasis.references.services import official_years
    from oasis.supply.enums import PROFESSIONS
    from oasis.territories.models import Departement, Epci, Region

    professions = [profession.value for profession in PROFESSIONS]

    def run_of(slug: str) -> Callable[[], object]:
        return lambda: current_run(slug)

    for slug in professions:
        yield Step(f"APL estimée : {slug}", run_of(slug))
    # The pages themselves, through Django's test client: what is kept is exactly what the view keeps.
    client = Client(HTTP_HOST="localhost")

    def get(path: str) -> Callable[[], object]:
        def fetch() -> object:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} : HTTP {response.status_code}")
            return response

        return fetch

    yield Step("page d'accueil", get("/"))
    yield Step("carte nationale", get("/api/carte/departements"))
    for slug in professions:
        yield Step(f"API APL France : {slug}", get(f"/api/apl?profession={slug}"))
        for year in official_years(slug)[:1]:
            yield Step(f"API APL officielle {year} : {slug}", get(f"/api/apl?profession={slug}&source=officielle"))

    def national_figures(slug: str) -> Callable[[], object]:
        return lambda: keep_national_figures(slug)

    for slug in professions:
        yield Step(f"états des lieux, figures nationales : {slug}", national_figures(slug))

    def codes(level: str) -> list[str]:
        if level == "region":
            return list(Region.objects.order_by("pk").values_list("pk", flat=True))
        if level == "departement":
            return list(Departement.objects.order_by("pk").values_list("pk", flat=True))
        return list(Epci.objects.order_by("pk").values_list("pk", flat=True))

    for level in levels:
        for code in codes(level):
            yield Step(f"{level} {code}", get(f"/territoires/{level}/{code}/"))
            yield Step(f"{level} {code} : état des lieux", get(f"/territoires/{level}/{code}/etat-des-lieux/"))
            if level == "departement":
                yield Step(f"API APL {code}", get(f"/api/apl?profession=generaliste&territoire=dep:{code}"))


def precompute(levels: tuple[str, ...] = DEFAULT_LEVELS, on_step: Callable[[int, int, str], None] | None = None) -> int:
    """Compute and keep everything ``steps`` lists; remove what older versions kept. The number of steps."""
    from django.test import override_settings

    todo = list(steps(levels))
    # The pages are asked through the test client, as a visitor who is not signed in: the limit on visitors' heavy
    # pages (oasis.accounts.throttling) is not for the command that computes them beforehand.
    with override_settings(OASIS_ANONYMOUS_HEAVY_AT_ONCE=0, OASIS_ANONYMOUS_HEAVY_PER_MINUTE=0):
        for position, step in enumerate(todo, start=1):
            if on_step is not None:
                on_step(position, len(todo), step.label)
            step.run()
    precomputed.remove_other_versions(version())
    return len(todo)
