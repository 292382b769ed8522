"""The observatory of maisons and centres de santé: series, published figures, where they are."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from oasis.charts import Mark, Series, line_chart
from oasis.datasets.models import Dataset
from oasis.observatory.services import (
    EarlierPoint,
    earlier_points,
    explanation,
    latest_by_place,
    objective_progress,
    other_figures,
    series_with_published,
    structures_by_commune,
)
from oasis.projects import opening
from oasis.references.services import finess_series
from oasis.supply.services import SeriesRow
from oasis.territories.models import Departement, Region
from oasis.www.downloads import csv_table
from oasis.www.errors import Explained


def _place(niveau: str, code: str) -> tuple[str, str, str]:
    """(niveau for the series, code, name) or 404."""
    if niveau == "national":
        return "national", "FR", "France"
    found: Region | Departement | None = None
    if niveau == "region":
        found = Region.objects.filter(pk=code).first()
    elif niveau == "departement":
        found = Departement.objects.filter(pk=code).first()
    if found is None:
        raise Explained(f"Territoire inconnu pour l'observatoire : {niveau} « {code} ».")
    return niveau, found.pk, found.nom


def _chart(name: str, rows: list[SeriesRow], register: list[tuple[date, int, int]], earlier: list[EarlierPoint]) -> str:
    series = [
        Series("Maisons de santé (baromètre)", [(row.date, row.maisons_de_sante) for row in rows]),
        Series("Centres de santé (baromètre)", [(row.date, row.centres_de_sante) for row in rows]),
    ]
    if register:
        series.append(Series("Maisons de santé (FINESS)", [(when, msp) for when, msp, _cds in register]))
        series.append(Series("Centres de santé (FINESS)", [(when, cds) for when, _msp, cds in register]))
    marks = [Mark(f"chiffre publié, {point.source}", point.date, point.valeur, point.texte) for point in earlier]
    return line_chart(f"Maisons et centres de santé, {name}", series, marks=marks)


def observatory(request: HttpRequest, niveau: str = "national", code: str = "FR") -> HttpResponse:
    niveau, code, name = _place(niveau, code)
    rows, published = series_with_published(niveau, code)
    register, register_source = finess_series(niveau, code)
    earlier = earlier_points(niveau, code)
    if niveau == "national":
        children, children_label = latest_by_place("region"), "Régions"
    elif niveau == "region":
        codes = list(Departement.objects.filter(region_id=code).values_list("code", flat=True))
        children, children_label = latest_by_place("departement", codes), "Départements"
    else:
        children, children_label = [], ""
    latest_msp = next((row for row in reversed(rows) if row.maisons_de_sante is not None), None)
    first_msp = next((row for row in rows if row.maisons_de_sante is not None), None)
    return render(
        request,
        "www/observatory.html",
        {
            "niveau": niveau,
            "code": code,
            "name": name,
            "rows": rows,
            "chart": mark_safe(_chart(name, rows, register, earlier)),  # built by oasis.charts, every text escaped
            "register": register,
            "register_source": register_source,
            "published": published,
            "earlier": earlier,
            "objective": objective_progress(niveau, code, rows),
            "others": other_figures(niveau, code),
            "validated_count": opening.count(niveau, code),
            "validated": opening.visible(request.user, niveau, code),
            "explanation": explanation(code) if niveau == "region" else None,
            "children": children,
            "children_label": children_label,
            "latest_msp": latest_msp,
            "first_msp": first_msp,
            "progression": (
                latest_msp.maisons_de_sante - first_msp.maisons_de_sante
                if latest_msp and first_msp and latest_msp.maisons_de_sante is not None and first_msp.maisons_de_sante is not None
                else None
            ),
            "structures": structures_by_commune(code) if niveau == "departement" else [],
            "datasets": {d.key: d for d in Dataset.objects.filter(key__in=["barometre", "bpe"])},
            "regions": Region.objects.all(),
        },
    )


def observatory_pick(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("region", "")
    if not Region.objects.filter(pk=code).exists():
        raise Explained(f"Région inconnue : « {code} ».")
    return redirect("observatory_place", "region", code)


def observatory_csv(request: HttpRequest, niveau: str = "national", code: str = "FR") -> HttpResponse:
    niveau, code, name = _place(niveau, code)
    rows, _ = series_with_published(niveau, code)
    register, register_source = finess_series(niveau, code)
    lines = [[name, row.date.isoformat(), row.maisons_de_sante, row.centres_de_sante, "baromètre DGOS 2017-2022"] for row in rows]
    lines += [[name, when.isoformat(), msp, cds, register_source] for when, msp, cds in register]
    header = ["territoire", "date", "maisons_de_sante", "centres_de_sante", "source"]
    return csv_table(request, f"maisons-centres-sante-{niveau}-{code}.csv", header, lines)
