"""Supply figures for a territory: professionals and structures per commune (BPE), series, control totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from oasis.supply.enums import CNAM_PROFESSIONS, PROFESSIONS, STRUCTURES, Equipement, IndicateurStructures
from oasis.supply.models import CnamDemography, StructureSeriesPoint, SupplyCount
from oasis.territories.services import Territory


@dataclass(frozen=True)
class SupplyFigure:
    equipement: Equipement
    millesime: int
    nombre: int
    millesime_precedent: int | None
    nombre_precedent: int | None
    population: int

    @property
    def label(self) -> str:
        return str(self.equipement.label)

    @property
    def pour_10000_habitants(self) -> float | None:
        return 10_000 * self.nombre / self.population if self.population else None

    @property
    def evolution(self) -> int | None:
        return None if self.nombre_precedent is None else self.nombre - self.nombre_precedent


def bpe_millesimes() -> list[int]:
    """BPE vintages loaded, newest first."""
    return sorted(SupplyCount.objects.values_list("millesime", flat=True).distinct(), reverse=True)


def supply_figures(territory: Territory, population: int) -> list[SupplyFigure]:
    """Professions then structures, newest BPE vintage with the previous one for comparison."""
    millesimes = bpe_millesimes()
    if not millesimes:
        return []
    latest, previous = millesimes[0], (millesimes[1] if len(millesimes) > 1 else None)
    totals = {
        (row["equipement"], row["millesime"]): row["total"]
        for row in SupplyCount.objects.filter(commune__in=territory.units(), millesime__in=millesimes[:2])
        .values("equipement", "millesime")
        .annotate(total=Sum("nombre"))
    }
    return [
        SupplyFigure(
            equipement=equipement,
            millesime=latest,
            nombre=totals.get((equipement.value, latest), 0),
            millesime_precedent=previous,
            nombre_precedent=None if previous is None else totals.get((equipement.value, previous), 0),
            population=population,
        )
        for equipement in (*PROFESSIONS, *STRUCTURES)
    ]


@dataclass(frozen=True)
class ControlTotal:
    equipement: Equipement
    annee: int
    effectif: int
    densite_100000: float | None


def cnam_control_totals(territory: Territory | None) -> list[ControlTotal]:
    """Assurance maladie counts of liberal practitioners for a département, a région or France (None)."""
    if territory is None:
        rows = CnamDemography.objects.filter(region="99", departement="999")
    elif territory.niveau == "departement":
        rows = CnamDemography.objects.filter(departement=territory.code)
    elif territory.niveau == "region":
        rows = CnamDemography.objects.filter(region=territory.code, departement="999")
    else:
        return []
    by_label = {row.profession: row for row in rows.filter(profession__in=list(CNAM_PROFESSIONS))}
    return [
        ControlTotal(equipement, by_label[label].annee, by_label[label].effectif, by_label[label].densite)
        for label, equipement in CNAM_PROFESSIONS.items()
        if label in by_label
    ]


@dataclass(frozen=True)
class SeriesRow:
    date: date
    maisons_de_sante: int | None
    centres_de_sante: int | None


def structure_series(niveau: str, code: str) -> list[SeriesRow]:
    """Baromètre series for ``national``/``FR``, a ``region`` or a ``departement``, oldest first."""
    points = StructureSeriesPoint.objects.filter(niveau=niveau, code=code)
    by_date: dict[date, dict[str, int]] = {}
    for point in points:
        by_date.setdefault(point.date, {})[point.indicateur] = point.valeur
    return [
        SeriesRow(
            when,
            values.get(IndicateurStructures.MAISONS_DE_SANTE),
            values.get(IndicateurStructures.CENTRES_DE_SANTE),
        )
        for when, values in sorted(by_date.items())
    ]
