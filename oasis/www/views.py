"""Pages: thin views over the territory and supply services."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oasis.accessibility.runs import current_run
from oasis.datasets.fingerprint import kept
from oasis.datasets.models import BundleLoad, Dataset
from oasis.diagnostics.services import apl_for
from oasis.installation.models import DepartementContact
from oasis.installation.services import contact_of
from oasis.references.models import ReferenceImport
from oasis.references.services import latest_rpps_import, rpps_counts, territory_official_apl
from oasis.supply.enums import Equipement
from oasis.supply.services import bpe_millesimes, cnam_control_totals, structure_series, supply_figures
from oasis.territories.models import Commune, CommuneType, Departement, Epci
from oasis.territories.services import (
    Territory,
    TerritoryNotFound,
    demography,
    get_territory,
    parents,
    search,
)
from oasis.verdicts.services import territory_counts, verdict
from oasis.www.errors import Explained

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = search(query, limit=30) if query else []
    return render(request, "www/home.html", {"query": query, "results": results, **kept("accueil", _national_figures)})


def _national_figures() -> dict[str, object]:
    series = structure_series("national", "FR")
    return {
        "france": Commune.objects.communes().aggregate(population=Sum("population"), communes=Count("code_insee")),
        "latest_series": series[-1] if series else None,
        "loaded": BundleLoad.objects.exists(),
    }


def territory(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    try:
        place = get_territory(niveau, code)
    except TerritoryNotFound as error:
        raise Explained(str(error)) from error
    data = kept(f"territoire:{place.niveau}:{place.code}", lambda: _territory_figures(place))
    children = data["children"]
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page")) if isinstance(children, list) else None
    return render(
        request,
        "www/territory.html",
        {
            **data,
            "place": place,
            "page": page,
            "commune": place.obj if isinstance(place.obj, Commune) else None,
            "contact": _contact(place),
        },
    )


def _contact(place: Territory) -> DepartementContact | None:
    """The Département's contact for professionals, on the pages of the département and of its communes."""
    if place.niveau == "departement":
        return contact_of(place.code)
    if isinstance(place.obj, Commune):
        return contact_of(place.obj.departement_id)
    return None


def _territory_figures(place: Territory) -> dict[str, object]:
    """What the territory page shows: it changes only when data are imported."""
    figures = demography(place)
    supply = supply_figures(place, figures.population)
    control = {total.equipement: total for total in cnam_control_totals(place)}
    children_label, children = _children(place)
    gp_run = current_run("generaliste")
    estimate, _population, _under = apl_for(gp_run, place)
    rpps = latest_rpps_import()
    return {
        "parents": parents(place),
        "figures": figures,
        "supply": [(figure, control.get(figure.equipement)) for figure in supply],
        "has_control": bool(control),
        "series": _series_for(place),
        "children_label": children_label,
        "children": children,
        "bpe_millesimes": bpe_millesimes(),
        "datasets": {dataset.key: dataset for dataset in Dataset.objects.all()},
        "official_gp": territory_official_apl(place, "generaliste"),
        "estimate_gp": estimate,
        "gp_run": gp_run,
        "verdict": verdict(place.obj.pk, Equipement.GENERALISTE) if isinstance(place.obj, Commune) else None,
        "verdict_counts": None if isinstance(place.obj, Commune) else territory_counts(place, Equipement.GENERALISTE),
        "rpps": rpps,
        "rpps_counts": rpps_counts(place) if rpps else {},
    }


def _series_for(place: Territory) -> list:  # type: ignore[type-arg]
    if place.niveau in ("region", "departement"):
        return structure_series(place.niveau, place.code)
    return []


def _children(place: Territory) -> tuple[str, list | None]:  # type: ignore[type-arg]
    if place.niveau == "region":
        return "Départements", [("departement", d.code, d.nom, None) for d in Departement.objects.filter(region_id=place.code)]
    if place.niveau == "departement":
        communes = Commune.objects.communes().filter(departement_id=place.code).order_by("search_key")
        return "Communes", [("commune", c.code_insee, c.nom, c.population) for c in communes]
    if place.niveau == "epci":
        communes = Commune.objects.communes().filter(epci_id=place.code).order_by("search_key")
        return "Communes membres", [("commune", c.code_insee, c.nom, c.population) for c in communes]
    if place.niveau == "set":
        communes = Commune.objects.filter(code_insee__in=place.codes).order_by("search_key")
        return "Communes de l'ensemble", [("commune", c.code_insee, c.nom, c.population) for c in communes]
    commune = place.obj
    if isinstance(commune, Commune) and commune.type == CommuneType.COMMUNE:
        arrondissements = commune.arrondissements.order_by("code_insee")
        if arrondissements:
            return "Arrondissements municipaux", [("commune", a.code_insee, a.nom, a.population) for a in arrondissements]
    return "", None


def epci_list(request: HttpRequest) -> HttpResponse:
    epcis = Epci.objects.annotate(population=Sum("communes__population", filter=Q(communes__type=CommuneType.COMMUNE))).order_by(
        "search_key"
    )
    return render(request, "www/epci_list.html", {"page": Paginator(epcis, PAGE_SIZE).get_page(request.GET.get("page"))})


def sources(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "www/sources.html",
        {
            "datasets": Dataset.objects.all(),
            "last_load": BundleLoad.objects.order_by("-loaded_at").first(),
            "references": ReferenceImport.objects.all()[:100],
        },
    )


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The « Déclaration d'accessibilité » public services publish (RGAA 4.1)."""
    return render(request, "www/accessibilite.html")
