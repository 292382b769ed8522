"""Maisons and centres de santé over time, beside the figures the source documents publish."""

from __future__ import annotations

import json
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
