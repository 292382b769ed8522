"""Maisons and centres de santé over time, beside the figures the source documents publish."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Sum

from oasis.supply.enums import Equipement, IndicateurStructures
from oasis.supply.models import StructureSeriesPoint, SupplyCount
from oasis.supply.services import SeriesRow, structure_series

PUBLISHED = Path(__file__).resolve().parent / "published.json"


@cache
def _published() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class PublishedFigure:
    libelle: str
    valeur: int
    date: date
    source: str
    definition: str
    serie: int | None  # what the series says for the same thing (or for the compared thing)
    concorde: bool | None  # None when the series measures something else
    serie_libelle: str = ""


def _value_at(rows: list[SeriesRow], when: date, indicateur: str) -> int | None:
    for row in rows:
        if row.date == when:
            return row.maisons_de_sante if indicateur == IndicateurStructures.MAISONS_DE_SANTE else row.centres_de_sante
    return None


def published_figures(niveau: str, code: str, rows: list[SeriesRow]) -> list[PublishedFigure]:
    """The source documents' figures for this territory, each with the series' value for the same thing."""
    figures = []
    for entry in _published()["chiffres"]:
        if entry["niveau"] != niveau or entry["code"] != code:
            continue
        when = date.fromisoformat(entry["date"])
        serie: int | None = None
        compared = entry.get("comparer_a")
        if compared:
            serie = _value_at(rows, date.fromisoformat(compared["date"]), compared["indicateur"])
        elif entry["indicateur"] in IndicateurStructures.values:
            serie = _value_at(rows, when, entry["indicateur"])
            if serie is not None and "ecart_depuis" in entry:
                start = _value_at(rows, date.fromisoformat(entry["ecart_depuis"]), entry["indicateur"])
                serie = None if start is None else serie - start
        figures.append(
            PublishedFigure(
                libelle=entry["libelle"],
                valeur=int(entry["valeur"]),
                date=when,
                source=entry["source"],
                definition=entry["definition"],
                serie=serie,
                concorde=None if serie is None or compared else serie == int(entry["valeur"]),
                serie_libelle=compared["libelle"] if compared else "",
            )
        )
    return figures


def explanation(code: str) -> str | None:
    text: str | None = _published()["explications"].get(code)
    return text


@dataclass(frozen=True)
class PlaceCount:
    niveau: str
    code: str
    libelle: str
    maisons_de_sante: int | None
    centres_de_sante: int | None
    maisons_de_sante_debut: int | None


def latest_by_place(niveau: str, codes: list[str] | None = None) -> list[PlaceCount]:
    """Latest values for every région (or département), and the first value of the series for comparison."""
    points = StructureSeriesPoint.objects.filter(niveau=niveau)
    if codes is not None:
        points = points.filter(code__in=codes)
    by_code: dict[str, dict[str, Any]] = {}
    for point in points.order_by("date"):
        entry = by_code.setdefault(point.code, {"libelle": point.libelle})
        entry[point.indicateur] = point.valeur
        entry.setdefault(f"first-{point.indicateur}", point.valeur)
    return [
        PlaceCount(
            niveau,
            code,
            entry["libelle"],
            entry.get(IndicateurStructures.MAISONS_DE_SANTE),
            entry.get(IndicateurStructures.CENTRES_DE_SANTE),
            entry.get(f"first-{IndicateurStructures.MAISONS_DE_SANTE}"),
        )
        for code, entry in sorted(by_code.items())
    ]


def series_with_published(niveau: str, code: str) -> tuple[list[SeriesRow], list[PublishedFigure]]:
    rows = structure_series(niveau, code)
    return rows, published_figures(niveau, code, rows)


def structures_by_commune(departement: str | None = None) -> list[tuple[str, str, float, float, int, int]]:
    """(code, nom, longitude, latitude, maisons de santé, centres de santé) per commune, latest BPE vintage."""
    from oasis.supply.services import bpe_millesimes

    millesimes = bpe_millesimes()
    if not millesimes:
        return []
    counts = SupplyCount.objects.filter(
        millesime=millesimes[0], equipement__in=[Equipement.MAISON_DE_SANTE, Equipement.CENTRE_DE_SANTE]
    )
    if departement:
        counts = counts.filter(commune__departement_id=departement)
    places: dict[str, dict[str, Any]] = {}
    for row in counts.values("commune_id", "commune__nom", "commune__longitude", "commune__latitude", "equipement").annotate(
        total=Sum("nombre")
    ):
        place = places.setdefault(
            row["commune_id"],
            {"nom": row["commune__nom"], "lon": row["commune__longitude"], "lat": row["commune__latitude"]},
        )
        place[row["equipement"]] = row["total"]
    return [
        (code, p["nom"], p["lon"], p["lat"], p.get(Equipement.MAISON_DE_SANTE, 0), p.get(Equipement.CENTRE_DE_SANTE, 0))
        for code, p in sorted(places.items())
    ]


@dataclass(frozen=True)
class KindProgress:
    """One kind of structure against the objective: its count at the start and its last count up to the deadline."""

    libelle: str
    depart: int
    depart_date: date
    dernier: int
    dernier_date: date

    @property
    def facteur(self) -> float:
        return self.dernier / self.depart if self.depart else 0.0


@dataclass(frozen=True)
class ObjectiveProgress:
    libelle: str
    citation: str
    source: str
    echeance: date
    facteur_vise: int
    kinds: list[KindProgress]
    ensemble_depart: int  # maisons + centres at the start of the objective
    ensemble_cible: int
    ensemble: int | None  # maisons + centres at the last date both are known, up to the deadline
    ensemble_date: date | None

    @property
    def part_du_chemin(self) -> int | None:
        """How far along, in percent, from the start count to the target (100 = objective met)."""
        if self.ensemble is None or self.ensemble_cible == self.ensemble_depart:
            return None
        return round(100 * (self.ensemble - self.ensemble_depart) / (self.ensemble_cible - self.ensemble_depart))

    @property
    def atteint(self) -> bool:
        return self.ensemble is not None and self.ensemble >= self.ensemble_cible


def objective_progress(niveau: str, code: str, rows: list[SeriesRow]) -> ObjectiveProgress | None:
    """The published objective for this territory (national 2017: double maisons and centres de santé by 2022),
    measured on the series: each kind's first count of the start year and its last count up to the deadline."""
    entry = next((e for e in _published().get("objectifs", []) if e["niveau"] == niveau and e["code"] == code), None)
    if entry is None:
        return None
    deadline = date.fromisoformat(entry["echeance"])
    kinds = []
    getters: tuple[tuple[str, Callable[[SeriesRow], int | None]], ...] = (
        ("Maisons de santé", lambda row: row.maisons_de_sante),
        ("Centres de santé", lambda row: row.centres_de_sante),
    )
    for libelle, value in getters:
        known = [(row.date, v) for row in rows if (v := value(row)) is not None and row.date <= deadline]
        start = next(((when, v) for when, v in known if when.year == entry["annee_depart"]), None)
        if start is None or not known:
            return None
        kinds.append(KindProgress(libelle, start[1], start[0], known[-1][1], known[-1][0]))
    both = [
        (row.date, row.maisons_de_sante + row.centres_de_sante)
        for row in rows
        if row.maisons_de_sante is not None and row.centres_de_sante is not None and row.date <= deadline
    ]
    depart = sum(kind.depart for kind in kinds)
    return ObjectiveProgress(
        libelle=entry["libelle"],
        citation=entry["citation"],
        source=entry["source"],
        echeance=deadline,
        facteur_vise=int(entry["facteur"]),
        kinds=kinds,
        ensemble_depart=depart,
        ensemble_cible=depart * int(entry["facteur"]),
        ensemble=both[-1][1] if both else None,
        ensemble_date=both[-1][0] if both else None,
    )


@dataclass(frozen=True)
class EarlierPoint:
    """A figure a source document gives before the series starts: one published point, never joined to the series."""

    libelle: str
    valeur: int
    texte: str  # as published: « moins de 10 »
    date: date
    annee: int
    citation: str
    source: str
    definition: str


def earlier_points(niveau: str, code: str) -> list[EarlierPoint]:
    return [
        EarlierPoint(
            libelle=e["libelle"],
            valeur=int(e["valeur"]),
            texte=e["texte"],
            date=date.fromisoformat(e["date"]),
            annee=int(e["annee"]),
            citation=e["citation"],
            source=e["source"],
            definition=e["definition"],
        )
        for e in _published().get("points_anterieurs", [])
        if e["niveau"] == niveau and e["code"] == code
    ]


@dataclass(frozen=True)
class OtherFigure:
    """A figure the documents publish that no series of OASIS measures (e.g. the medical assistants)."""

    cle: str
    libelle: str
    valeur: int
    approximation: str  # « près de », « plus de »
    periode: str
    citation: str
    source: str


def other_figures(niveau: str, code: str) -> list[OtherFigure]:
    return [
        OtherFigure(e["cle"], e["libelle"], int(e["valeur"]), e["approximation"], e["periode"], e["citation"], e["source"])
        for e in _published().get("autres_chiffres", [])
        if e["niveau"] == niveau and e["code"] == code
    ]
