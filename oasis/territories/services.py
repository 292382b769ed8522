"""Find territories and describe them: the one place pages, API and CLI get territory figures from."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Literal

from django.db.models import Count, Q, QuerySet, Sum

from oasis.datasets.fingerprint import kept
from oasis.territories.models import Commune, CommuneType, Departement, Epci, Region
from oasis.territories.text import search_key

Niveau = Literal["region", "departement", "epci", "commune", "set"]
NIVEAUX: tuple[Niveau, ...] = ("region", "departement", "epci", "commune", "set")
NIVEAU_LABELS: dict[str, str] = {
    "region": "Région",
    "departement": "Département",
    "epci": "EPCI",
    "commune": "Commune",
    "set": "Ensemble de communes",
}
PREFIXES: dict[str, Niveau] = {"reg": "region", "dep": "departement", "epci": "epci", "com": "commune", "set": "set"}
MAX_SET_COMMUNES = 1000
"""Communes in one set (a CPTS or a bassin de vie has a few dozen to a few hundred; a département up to ~900)."""
SET_EMPTY = "Ensemble de communes vide : écrire set:CODE,CODE,… (codes INSEE)."
SET_TOO_LARGE = "Ensemble de {count} communes : {limit} au plus (pour un département ou une région, choisissez-le)."
SET_UNKNOWN = "Codes INSEE inconnus dans l'ensemble : {codes} (COG 2025, 5 caractères, ex. 86194)."


class TerritoryNotFound(LookupError):
    """An unknown level or code; the message says which, in French."""


@dataclass(frozen=True)
class Territory:
    niveau: Niveau
    code: str
    nom: str
    obj: Region | Departement | Epci | Commune | None
    codes: tuple[str, ...] = ()
    """The communes of a set (``niveau == "set"``), sorted; empty for the other levels."""

    @property
    def label(self) -> str:
        if self.niveau == "commune" and isinstance(self.obj, Commune) and self.obj.type == CommuneType.ARRONDISSEMENT:
            return "Arrondissement municipal"
        return NIVEAU_LABELS[self.niveau]

    @property
    def ref(self) -> str:
        """The ``niveau:code`` form used by the CLI (``dep:86``)."""
        prefix = {value: key for key, value in PREFIXES.items()}[self.niveau]
        return f"{prefix}:{self.code}"

    @property
    def file_stem(self) -> str:
        """Part of a file name that names the territory (``departement-86``, ``ensemble-12-communes``)."""
        if self.niveau == "set":
            return f"ensemble-{len(self.codes)}-communes"
        return f"{self.niveau}-{self.code}"

    def communes(self) -> QuerySet[Commune]:
        """Communes proper of the territory (PLM whole): sum populations over these."""
        return _filter_communes(Commune.objects.communes(), self)

    def units(self) -> QuerySet[Commune]:
        """Finest units (PLM arrondissements instead of their commune): sum supply over these."""
        return _filter_communes(Commune.objects.units(), self)


def _filter_communes(queryset: QuerySet[Commune], territory: Territory) -> QuerySet[Commune]:
    if territory.niveau == "region":
        return queryset.filter(region_id=territory.code)
    if territory.niveau == "departement":
        return queryset.filter(departement_id=territory.code)
    if territory.niveau == "epci":
        return queryset.filter(epci_id=territory.code)
    if territory.niveau == "set":
        return queryset.filter(Q(code_insee__in=territory.codes) | Q(commune_parent_id__in=territory.codes))
    return queryset.filter(Q(code_insee=territory.code) | Q(commune_parent_id=territory.code))


_LEVELS: dict[str, tuple[type[Region | Departement | Epci | Commune], str]] = {
    "region": (Region, "Région inconnue : code « {code} » (codes INSEE de région du COG 2025, ex. 75)."),
    "departement": (Departement, "Département inconnu : code « {code} » (ex. 86, 2A, 974)."),
    "epci": (Epci, "EPCI inconnu : SIREN « {code} » (9 chiffres, ex. 200069854)."),
    "commune": (
        Commune,
        "Commune inconnue : code INSEE « {code} » (COG 2025, 5 caractères, ex. 86194). "
        "Un code postal n'est pas un code INSEE : cherchez la commune par son nom.",
    ),
}


def get_territory(niveau: str, code: str) -> Territory:
    """Resolve a level and a code, or raise :class:`TerritoryNotFound` with a clear French message."""
    if niveau == "set":
        return commune_set(code.split(","))
    if niveau not in _LEVELS:
        raise TerritoryNotFound(f"Niveau inconnu : « {niveau} ». Niveaux possibles : {', '.join(NIVEAUX)}.")
    model, unknown = _LEVELS[niveau]
    code = code.strip().upper() if niveau in ("departement", "commune") else code.strip()
    found = model.objects.filter(pk=code).first()
    if found is None:
        raise TerritoryNotFound(unknown.format(code=code))
    return Territory(niveau, str(found.pk), found.nom, found)  # type: ignore[arg-type]


def commune_set(codes: Collection[str]) -> Territory:
    """Any set of communes (those a project serves, a bassin de vie, a CPTS) as one territory.

    Codes are INSEE codes of communes or municipal arrondissements; duplicates and blanks are ignored, the order too.
    """
    wanted = sorted({code.strip().upper() for code in codes if code.strip()})
    if not wanted:
        raise TerritoryNotFound(SET_EMPTY)
    if len(wanted) > MAX_SET_COMMUNES:
        raise TerritoryNotFound(SET_TOO_LARGE.format(count=len(wanted), limit=MAX_SET_COMMUNES))
    names = dict(Commune.objects.filter(code_insee__in=wanted).values_list("code_insee", "nom"))
    unknown = [code for code in wanted if code not in names]
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" et {len(unknown) - 10} autres" if len(unknown) > 10 else "")
        raise TerritoryNotFound(SET_UNKNOWN.format(codes=shown))
    ordered = sorted(names.values(), key=search_key)
    if len(ordered) <= 3:
        nom = ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " et " + ordered[-1]
    else:
        nom = f"{', '.join(ordered[:2])} et {len(ordered) - 2} autres communes"
    return Territory("set", ",".join(wanted), nom, None, tuple(wanted))


def parse_territory_ref(ref: str) -> Territory:
    """Resolve ``com:86194``, ``epci:200069854``, ``dep:86``, ``reg:75`` or ``set:86194,86070,…``."""
    prefix, _, code = ref.partition(":")
    if prefix not in PREFIXES or not code:
        raise TerritoryNotFound(
            f"Territoire « {ref} » : écrire com:CODE, epci:SIREN, dep:CODE, reg:CODE ou set:CODE,CODE,… (communes)."
        )
    return get_territory(PREFIXES[prefix], code)


def commune_in(commune: Commune, ref: str) -> bool:
    """Whether a commune (or arrondissement) lies in the territory ``ref`` (``com:``, ``epci:``, ``dep:``, ``reg:``,
    ``set:``), read from the commune's own codes, without a query."""
    prefix, _, code = ref.partition(":")
    if prefix == "com":
        return code in (commune.pk, commune.commune_parent_id)
    if prefix == "epci":
        return commune.epci_id == code
    if prefix == "dep":
        return commune.departement_id == code
    if prefix == "reg":
        return commune.region_id == code
    if prefix == "set":
        return bool({commune.pk, commune.commune_parent_id} & set(code.split(",")))
    return False


def commune_in_any(commune: Commune, refs: Collection[str]) -> bool:
    return any(commune_in(commune, ref) for ref in refs)


def territory_names(refs: Collection[str]) -> str:
    """« Poitiers, CU du Grand Poitiers » for ``["com:86194", "epci:200069854"]`` (an unknown reference as it is)."""
    names = []
    for ref in refs:
        try:
            names.append(parse_territory_ref(ref).nom)
        except TerritoryNotFound:
            names.append(ref)
    return ", ".join(names)


# --- search ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    niveau: Niveau
    code: str
    nom: str
    contexte: str
    population: int
    rank: int

    @property
    def label(self) -> str:
        return NIVEAU_LABELS[self.niveau]


def _rank(key: str, query: str) -> int:
    if key == query:
        return 1
    if key.startswith(query):
        return 2
    if f" {query}" in f" {key}":
        return 3
    return 4


POSTAL_TOWN_RANK = -1


def search(query: str, limit: int = 20, niveaux: Collection[str] | None = None) -> list[SearchResult]:
    """Territories whose name or code matches, best first, of the given levels (all when None).

    Ranking: the town a postal code belongs to (the most populated commune that has it: 86100 → Châtellerault),
    then exact code, exact name, name prefix, word prefix, substring; within a rank, the most populated first.
    Names are compared accent-, case- and punctuation-insensitively (« st etienne » finds Saint-Étienne).
    """
    raw = query.strip()
    key = search_key(raw)
    if not key:
        return []
    results: list[SearchResult] = []
    code = raw.upper()
    populations = _populations_by_level()

    for region in Region.objects.filter(Q(search_key__contains=key) | Q(code=code)):
        rank = 0 if region.code == code else _rank(region.search_key, key)
        results.append(SearchResult("region", region.code, region.nom, "Région", populations["region"].get(region.code, 0), rank))
    for departement in Departement.objects.select_related("region").filter(Q(search_key__contains=key) | Q(code=code)):
        rank = 0 if departement.code == code else _rank(departement.search_key, key)
        results.append(
            SearchResult(
                "departement",
                departement.code,
                departement.nom,
                f"Département · {departement.region.nom}",
                populations["departement"].get(departement.code, 0),
                rank,
            )
        )
    for epci in Epci.objects.filter(Q(search_key__contains=key) | Q(code=raw)):
        rank = 0 if epci.code == raw else _rank(epci.search_key, key)
        results.append(
            SearchResult(
                "epci",
                epci.code,
                epci.nom,
                f"EPCI ({epci.nature})",
                populations["epci"].get(epci.code, 0),
                rank,
            )
        )
    communes = Commune.objects.select_related("departement").filter(
        Q(search_key__contains=key)
        | Q(code_insee=code)
        | Q(codes_postaux__contains=raw if raw.isdigit() and len(raw) == 5 else "§")
    )[:400]
    for commune in communes:
        if commune.code_insee == code:
            rank = 0
        elif raw.isdigit() and raw in commune.codes_postaux.split():
            rank = 1
        else:
            rank = _rank(commune.search_key, key)
        kind = "Arrondissement" if commune.type == CommuneType.ARRONDISSEMENT else "Commune"
        results.append(
            SearchResult(
                "commune",
                commune.code_insee,
                commune.nom,
                f"{kind} · {commune.departement.nom} ({commune.departement_id})",
                commune.population,
                rank,
            )
        )
    postal = [result for result in results if result.niveau == "commune" and result.rank == 1 and result.code != code]
    if raw.isdigit() and len(raw) == 5 and postal:
        postal_town = max(postal, key=lambda result: result.population)
        results[results.index(postal_town)] = replace(postal_town, rank=POSTAL_TOWN_RANK)
    if niveaux is not None:
        results = [result for result in results if result.niveau in niveaux]
    results.sort(key=lambda result: (result.rank, -result.population, result.nom))
    return results[:limit]


def _populations_by_level() -> dict[str, dict[str, int]]:
    """Population of every région, département and EPCI (for ranking), computed once per data version."""
    return kept("populations-par-niveau", _sum_populations_by_level)


def _sum_populations_by_level() -> dict[str, dict[str, int]]:
    communes = Commune.objects.communes()
    return {
        "region": dict(communes.values_list("region_id").annotate(total=Sum("population")).values_list("region_id", "total")),
        "departement": dict(
            communes.values_list("departement_id").annotate(total=Sum("population")).values_list("departement_id", "total")
        ),
        "epci": dict(
            communes.exclude(epci=None).values_list("epci_id").annotate(total=Sum("population")).values_list("epci_id", "total")
        ),
    }


# --- description ------------------------------------------------------------------------------------


POPULATION_SOURCE = "population municipale 2022 de l'INSEE, en vigueur au 1er janvier 2025, COG 2025"
"""The one population every page, export and API answer counts inhabitants in (``Commune.population``); the DREES
populations of 2021 (``pop_totale_drees``, ``pop_standardisee``) are inputs of the APL only."""


@dataclass
class Demography:
    population: int
    pop_standardisee: float | None
    pop_standardisee_incomplete: bool
    area_km2: float | None
    nombre_communes: int

    @property
    def source(self) -> str:
        return POPULATION_SOURCE

    @property
    def densite_hab_km2(self) -> float | None:
        return self.population / self.area_km2 if self.area_km2 else None


def demography(territory: Territory) -> Demography:
    communes = territory.communes()
    totals = communes.aggregate(
        total_population=Sum("population"),
        total_pop_standardisee=Sum("pop_standardisee"),
        total_area_km2=Sum("area_km2"),
        total_communes=Count("code_insee"),
        missing_pop_standardisee=Count("code_insee", filter=Q(pop_standardisee__isnull=True)),
    )
    return Demography(
        population=totals["total_population"] or 0,
        pop_standardisee=totals["total_pop_standardisee"],
        pop_standardisee_incomplete=bool(totals["missing_pop_standardisee"]),
        area_km2=totals["total_area_km2"],
        nombre_communes=totals["total_communes"],
    )


def parents(territory: Territory) -> list[Territory]:
    """Enclosing territories, largest first."""
    obj = territory.obj
    if isinstance(obj, Departement):
        return [Territory("region", obj.region_id, obj.region.nom, obj.region)]
    if isinstance(obj, Epci):
        member = obj.communes.select_related("departement__region").first()
        if member is None:
            return []
        departement = member.departement
        return [
            Territory("region", departement.region_id, departement.region.nom, departement.region),
            Territory("departement", departement.code, departement.nom, departement),
        ]
    if isinstance(obj, Commune):
        chain = [
            Territory("region", obj.region_id, obj.region.nom, obj.region),
            Territory("departement", obj.departement_id, obj.departement.nom, obj.departement),
        ]
        if obj.epci_id and obj.epci is not None:
            chain.append(Territory("epci", obj.epci_id, obj.epci.nom, obj.epci))
        if obj.commune_parent_id and obj.commune_parent is not None:
            chain.append(Territory("commune", obj.commune_parent_id, obj.commune_parent.nom, obj.commune_parent))
        return chain
    if territory.niveau == "set":
        return _enclosing(territory)
    return []


def _enclosing(territory: Territory) -> list[Territory]:
    """The région, and the département, that hold every commune of a set (none when it crosses their borders)."""
    pairs = set(territory.communes().values_list("region_id", "departement_id"))
    regions = {region for region, _ in pairs}
    if len(regions) != 1:
        return []
    region = Region.objects.get(pk=regions.pop())
    chain = [Territory("region", region.code, region.nom, region)]
    if len(pairs) == 1:
        departement = Departement.objects.get(pk=next(iter(pairs))[1])
        chain.append(Territory("departement", departement.code, departement.nom, departement))
    return chain
