"""The état des lieux of a territory: demand, supply per profession, accessibility, structures, comparisons."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
from django.db.models import Count, Sum
from django.utils import timezone

from oasis.accessibility.inputs import active_import
from oasis.accessibility.models import AplAggregate, AplRun, Practitioner
from oasis.accessibility.params import load_parameters
from oasis.accessibility.rows import CommuneApl, territory_rows, territory_summary
from oasis.accessibility.runs import current_run
from oasis.accessibility.traveltime import EstimateProvider
from oasis.accessibility.units import Units, load_units, units_key
from oasis.datasets import precomputed
from oasis.datasets.fingerprint import kept, version
from oasis.datasets.models import Dataset
from oasis.references.enums import Zone
from oasis.references.models import FinessStructure, ZonageCommune
from oasis.references.services import (
    OfficialAplSummary,
    latest_finess,
    named_structures,
    official_unit_values,
    territory_official_apl,
)
from oasis.supply.enums import PROFESSIONS, STRUCTURES, Equipement
from oasis.supply.models import SupplyCount
from oasis.supply.services import bpe_millesimes, cnam_control_totals
from oasis.territories.models import BassinDeVie, Commune
from oasis.territories.services import Demography, Territory, demography, get_territory, parents
from oasis.verdicts.services import Counts, Verdict, verdicts
from oasis.verdicts.services import counts as verdict_counts

UNDER_SERVED_LISTED = 10


@dataclass
class Comparison:
    label: str
    apl: float | None
    pour_10000: float | None


@dataclass
class ProfessionDiagnosis:
    equipement: Equipement
    nombre: int
    pour_10000: float | None
    apl: float | None
    unite: str
    population_sous_dotee: float
    part_sous_dotee: float | None
    distance_km: float | None  # population-weighted mean distance to the nearest commune with this profession
    temps_min: float | None  # the same, driven with the estimate model
    part_plus_de_20_min: float | None
    ages_connus: bool
    part_60_ans_et_plus: float | None
    comparisons: list[Comparison]
    run: AplRun
    officiel: OfficialAplSummary | None = None
    officiel_comparaisons: list[OfficialAplSummary | None] = field(default_factory=list)
    verdicts: Counts | None = None  # population « sous-dense » by the verdict (ARS order, official APL, else estimate)

    @property
    def label(self) -> str:
        return str(self.equipement.label)


@dataclass
class Social:
    part_75_ans_et_plus: float | None
    taux_pauvrete: float | None
    niveau_vie_median: float | None
    bassins: list[str]


@dataclass
class Diagnosis:
    territory: Territory
    parents: list[Territory]
    demography: Demography
    social: Social
    professions: list[ProfessionDiagnosis]
    structures: dict[str, int]
    structure_communes: list[tuple[str, str, int, int]]
    least_served: list[LeastServed]
    gp_official_values: dict[str, tuple[float | None, float | None]]  # code → official GP APL (all ages, 65 and under)
    gp_rows: list[Any]
    bpe_millesime: int
    cnam: dict[str, Any]
    datasets: dict[str, Dataset]
    generated_at: datetime
    parameters_version: str
    notes: list[str] = field(default_factory=list)
    zonage: list[ZoneCount] = field(default_factory=list)
    zonage_source: str = ""
    finess: list[FinessStructure] = field(default_factory=list)
    finess_source: str = ""


@dataclass(frozen=True)
class LeastServed:
    """A commune among the least served in GPs: ranked by the official APL where imported, else by the estimate."""

    code_insee: str
    nom: str
    apl_officielle: float | None
    apl_estimee: float | None
    pop_totale: float | None
    verdict: Verdict


@dataclass
class ZoneCount:
    zone: str
    label: str
    communes: int
    population: int


# --- distance to the nearest professional, national arrays cached per bundle ----------------------------

_nearest: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
_nearest_lock = threading.Lock()


def _nearest_arrays(profession: str, units: Units, millesime: int) -> tuple[np.ndarray, np.ndarray]:
    """(km, minutes) from every unit to the nearest unit with at least one professional."""
    key = (profession, f"{units.fingerprint}-{millesime}")
    with _nearest_lock:
        if key not in _nearest:
            _nearest[key] = kept(
                _nearest_key(profession, millesime),
                lambda: _nearest_build(profession, units, millesime),
                process_cache=False,  # kept here, in ``_nearest``
            )
        return _nearest[key]


def _nearest_key(profession: str, millesime: int) -> str:
    return f"plus-proche:{profession}:{millesime}"


def _nearest_build(profession: str, units: Units, millesime: int) -> tuple[np.ndarray, np.ndarray]:
    """Computed once for a data version, then read from the files every process shares (``kept``)."""
    present = np.zeros(units.n, dtype=bool)
    for code in SupplyCount.objects.filter(equipement=profession, millesime=millesime, nombre__gt=0).values_list(
        "commune_id", flat=True
    ):
        present[units.index[code]] = True
    return EstimateProvider(load_parameters().travel).nearest_minutes(units, present)


def _comparison_places(territory: Territory) -> list[tuple[str, str, str]]:
    """(label, niveau, code) of the places to compare with: département, région, France."""
    places: list[tuple[str, str, str]] = []
    chain = {p.niveau: p for p in parents(territory)}
    if territory.niveau in ("commune", "epci", "set") and "departement" in chain:
        places.append((chain["departement"].nom, "departement", chain["departement"].code))
    if territory.niveau in ("commune", "epci", "set", "departement") and "region" in chain:
        places.append((chain["region"].nom, "region", chain["region"].code))
    places.append(("France", "national", "FR"))
    return places


def apl_for(run: AplRun, territory: Territory) -> tuple[float | None, float, float]:
    """(mean APL, population, under-served population) of a territory for a run."""
    if territory.niveau in ("region", "departement", "epci"):
        stored = AplAggregate.objects.filter(run=run, niveau=territory.niveau, code=territory.code).first()
        if stored is not None:
            return stored.apl_moyen, stored.population, stored.population_sous_dotee
    summary = territory_summary(run, territory_rows(run, territory))
    return summary["apl_moyen"], summary["population"], summary["population_sous_dotee"]


def _place_density(profession: str, millesime: int, niveau: str, code: str, current: str) -> float | None:
    """A compared place's density (the département, région or France of every commune in it): computed once."""
    return kept(
        f"densite:{profession}:{millesime}:{niveau}:{code}",
        lambda: _density(profession, millesime, niveau, code),
        current=current,
    )


def _place_official_apl(profession: str, niveau: str, code: str, current: str) -> OfficialAplSummary | None:
    """A compared place's official APL: computed once for every territory compared with it."""
    return kept(
        f"apl-officielle-lieu:{profession}:{niveau}:{code}",
        lambda: territory_official_apl(None if niveau == "national" else get_territory(niveau, code), profession),
        current=current,
    )


def keep_national_figures(profession: str) -> int:
    """What the état des lieux of any EPCI or commune reads for a profession besides its own communes: the units,
    the distances from every unit to the nearest professional, and the APL, density and official APL of France, of
    every région and every département (the places it is compared with). Computed by ``oasis precalculer``, so that
    such a page, on a process just started, only reads them. The number of places."""
    from oasis.territories.models import Departement, Region

    millesimes = bpe_millesimes()
    if not millesimes:
        return 0
    current = version()
    units = load_units()
    nearest = _nearest_arrays(profession, units, millesimes[0])
    # This process may hold them from before (its own memory): the files are what the other processes read.
    for key, value in ((units_key(units.fingerprint), units), (_nearest_key(profession, millesimes[0]), nearest)):
        if not precomputed.exists(key, current):
            precomputed.write(key, current, value)
    _places_apl(current_run(profession, "ensemble"), current)
    places = [("national", "FR")]
    places += [("region", code) for code in Region.objects.order_by("pk").values_list("pk", flat=True)]
    places += [("departement", code) for code in Departement.objects.order_by("pk").values_list("pk", flat=True)]
    for niveau, code in places:
        _place_density(profession, millesimes[0], niveau, code, current)
        _place_official_apl(profession, niveau, code, current)
    return len(places)


def _density(profession: str, millesime: int, niveau: str, code: str) -> float | None:
    if niveau == "national":
        count = SupplyCount.objects.filter(equipement=profession, millesime=millesime).aggregate(t=Sum("nombre"))["t"]
        population = Commune.objects.communes().aggregate(t=Sum("population"))["t"]
    else:
        place = get_territory(niveau, code)
        count = SupplyCount.objects.filter(equipement=profession, millesime=millesime, commune__in=place.units()).aggregate(
            t=Sum("nombre")
        )["t"]
        population = place.communes().aggregate(t=Sum("population"))["t"]
    return 10_000 * (count or 0) / population if population else None


def build_diagnosis(territory: Territory) -> Diagnosis:
    """Everything the report shows, with the run and dataset behind each figure."""
    units = load_units()
    millesime = bpe_millesimes()[0]
    current = version()
    figures = demography(territory)
    unit_codes = list(territory.units().values_list("code_insee", flat=True))
    positions = np.array([units.index[code] for code in unit_codes], dtype=np.int64)
    population_units = units.population[positions]  # inhabitants, as the territory page counts them
    counts = {
        row["equipement"]: row["total"]
        for row in SupplyCount.objects.filter(commune__in=territory.units(), millesime=millesime)
        .values("equipement")
        .annotate(total=Sum("nombre"))
    }
    places = _comparison_places(territory)
    professions: list[ProfessionDiagnosis] = []
    notes: list[str] = []
    inhabitants = dict(territory.units().values_list("code_insee", "population"))
    for equipement in PROFESSIONS:
        run = current_run(equipement.value, "ensemble")
        apl, population, under = apl_for(run, territory)
        km, minutes = _nearest_arrays(equipement.value, units, millesime)
        weight = population_units.sum()
        source = active_import(equipement.value)
        ages: list[int] = []
        if source is not None:
            known = Practitioner.objects.filter(source=source, commune_id__in=unit_codes, age__isnull=False)
            ages = [age for age in known.values_list("age", flat=True) if age is not None]
        nombre = int(counts.get(equipement.value, 0))
        official = territory_official_apl(territory, equipement.value)
        official_places = (
            [_place_official_apl(equipement.value, niveau, code, current) for _l, niveau, code in places]
            if official is not None
            else []
        )
        professions.append(
            ProfessionDiagnosis(
                equipement=equipement,
                nombre=nombre,
                pour_10000=10_000 * nombre / figures.population if figures.population else None,
                apl=apl,
                unite=str(run.resume.get("unite", "")),
                population_sous_dotee=under,
                part_sous_dotee=under / population if population else None,
                distance_km=float(np.dot(km[positions], population_units) / weight) if weight else None,
                temps_min=float(np.dot(minutes[positions], population_units) / weight) if weight else None,
                part_plus_de_20_min=float(population_units[minutes[positions] > 20].sum() / weight) if weight else None,
                ages_connus=bool(ages),
                part_60_ans_et_plus=(sum(1 for age in ages if age >= 60) / len(ages)) if ages else None,
                comparisons=[
                    Comparison(
                        label,
                        _apl_for_place(run, niveau, code, current),
                        _place_density(equipement.value, millesime, niveau, code, current),
                    )
                    for label, niveau, code in places
                ],
                run=run,
                officiel=official,
                officiel_comparaisons=official_places,
                verdicts=verdict_counts(verdicts(unit_codes, equipement.value, run), inhabitants),
            )
        )
    if not any(p.ages_connus for p in professions):
        notes.append(
            "L'âge des professionnels n'est pas connu dans les données ouvertes chargées (BPE) : "
            "importez l'activité par praticien pour afficher leur vieillissement."
        )
    gp_run = professions[0].run
    gp_rows = territory_rows(gp_run, territory)
    gp_official = professions[0].officiel
    official_values = (
        official_unit_values(Equipement.GENERALISTE, gp_official.annee, [row.code_insee for row in gp_rows])
        if gp_official is not None
        else {}
    )
    least = _least_served(gp_rows, official_values, gp_run)
    structure_counts = {equipement.value: int(counts.get(equipement.value, 0)) for equipement in STRUCTURES}
    structure_communes = _structure_communes(territory, millesime)
    zonage, zonage_source = _zonage(territory)
    finess_reference = latest_finess()
    return Diagnosis(
        territory=territory,
        parents=parents(territory),
        demography=figures,
        social=_social(territory),
        professions=professions,
        structures=structure_counts,
        structure_communes=structure_communes,
        least_served=least,
        gp_official_values=official_values,
        gp_rows=gp_rows,
        bpe_millesime=millesime,
        cnam={total.equipement.value: total for total in cnam_control_totals(territory)},
        datasets={dataset.key: dataset for dataset in Dataset.objects.all()},
        generated_at=timezone.now(),
        parameters_version=load_parameters().version,
        notes=notes,
        zonage=zonage,
        zonage_source=zonage_source,
        finess=list(named_structures(territory)) if finess_reference else [],
        finess_source=f"FINESS, {finess_reference.millesime}" if finess_reference else "",
    )


def _least_served(
    gp_rows: list[CommuneApl], official: dict[str, tuple[float | None, float | None]], gp_run: AplRun | None = None
) -> list[LeastServed]:
    """The ``UNDER_SERVED_LISTED`` communes of lowest official APL (as published, all ages) where one is imported,
    else of lowest estimated APL; each with both values and its verdict."""
    if official:
        ranked = [row for row in gp_rows if official.get(row.code_insee, (None, None))[0] is not None]
        ranked.sort(key=lambda row: (official[row.code_insee][0], row.code_insee))
    else:
        ranked = sorted((row for row in gp_rows if row.apl is not None), key=lambda row: (row.apl or 0.0, row.code_insee))
    chosen = ranked[:UNDER_SERVED_LISTED]
    found = verdicts([row.code_insee for row in chosen], Equipement.GENERALISTE, gp_run)
    return [
        LeastServed(
            row.code_insee,
            row.nom,
            official.get(row.code_insee, (None, None))[0],
            row.apl,
            row.population,
            found[row.code_insee],
        )
        for row in chosen
    ]


def _zonage(territory: Territory) -> tuple[list[ZoneCount], str]:
    """Communes and population per zone of the active ARS zoning for GPs, and the orders it comes from."""
    rows = ZonageCommune.objects.filter(actif=True, profession=Equipement.GENERALISTE, commune__in=territory.units())
    counts = {
        row["zone"]: row for row in rows.values("zone").annotate(communes=Count("commune"), population=Sum("commune__population"))
    }
    # Oldest order first, an undated one last (a set of communes may straddle two régions, each with its order).
    dates = sorted(
        set(rows.values_list("reference__date_reference", flat=True)), key=lambda when: (when is None, when or date.min)
    )
    orders = [f"arrêté du {when:%d/%m/%Y}" if when else "arrêté non daté" for when in dates]
    return (
        [
            ZoneCount(zone.value, str(zone.label), counts[zone.value]["communes"], round(counts[zone.value]["population"] or 0))
            for zone in Zone
            if zone.value in counts
        ],
        "Zonage de l'ARS, " + ", ".join(orders) if orders else "",
    )


def _apl_for_place(run: AplRun, niveau: str, code: str, current: str | None = None) -> float | None:
    if niveau == "national":
        value = run.resume.get("apl_moyen_national")
        return float(value) if value is not None else None
    return _places_apl(run, current).get((niveau, code))


def _places_apl(run: AplRun, current: str | None = None) -> dict[tuple[str, str], float | None]:
    """The run's mean APL of every région and département (the places an état des lieux is compared with)."""
    return kept(
        f"apl-lieux:{run.pk}",
        lambda: {
            (niveau, code): apl
            for niveau, code, apl in AplAggregate.objects.filter(run=run, niveau__in=("region", "departement")).values_list(
                "niveau", "code", "apl_moyen"
            )
        },
        current=current,
    )


def _social(territory: Territory) -> Social:
    """Bassin de vie determinants, weighted by the population of the territory's communes in each bassin."""
    weights: dict[str, float] = {}
    for bassin, population in territory.communes().exclude(bassin_de_vie=None).values_list("bassin_de_vie_id", "population"):
        weights[bassin] = weights.get(bassin, 0.0) + population
    bassins = {b.code: b for b in BassinDeVie.objects.filter(code__in=weights)}

    def weighted(field_name: str) -> float | None:
        pairs = [(getattr(bassins[c], field_name), w) for c, w in weights.items() if getattr(bassins[c], field_name) is not None]
        total = sum(w for _, w in pairs)
        return sum(v * w for v, w in pairs) / total if total else None

    return Social(
        part_75_ans_et_plus=weighted("part_75_ans_et_plus_2022"),
        taux_pauvrete=weighted("taux_pauvrete_2021"),
        niveau_vie_median=weighted("niveau_vie_median_2021"),
        bassins=[bassins[c].nom for c in sorted(weights, key=lambda c: -weights[c])][:8],
    )


def _structure_communes(territory: Territory, millesime: int) -> list[tuple[str, str, int, int]]:
    rows: dict[str, dict[str, Any]] = {}
    for code, nom, equipement, nombre in SupplyCount.objects.filter(
        commune__in=territory.units(), millesime=millesime, equipement__in=[e.value for e in STRUCTURES]
    ).values_list("commune_id", "commune__nom", "equipement", "nombre"):
        rows.setdefault(code, {"nom": nom})[equipement] = nombre
    return [
        (code, r["nom"], r.get(Equipement.MAISON_DE_SANTE.value, 0), r.get(Equipement.CENTRE_DE_SANTE.value, 0))
        for code, r in sorted(rows.items(), key=lambda item: item[1]["nom"])
    ]


def cached_diagnosis(territory: Territory) -> Diagnosis:
    """``build_diagnosis``, kept per territory while the data stay the same (it changes only with an import)."""
    return kept(f"etat-des-lieux:{territory.niveau}:{territory.code}", lambda: build_diagnosis(territory))
