"""The APL map page (the data come from the map API)."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from oasis.accessibility.enums import Variante
from oasis.supply.enums import PROFESSIONS

TERRITORY_REF = re.compile(r"^((com|epci|dep|reg):[0-9A-Za-z]{1,9}|set:[0-9A-Za-z]{5}(,[0-9A-Za-z]{5}){0,999})$")


def map_page(request: HttpRequest) -> HttpResponse:
    profession = request.GET.get("profession", "generaliste")
    if profession not in [p.value for p in PROFESSIONS]:
        profession = "generaliste"
    variante = request.GET.get("variante", Variante.ENSEMBLE)
    if variante not in Variante.values:
        variante = Variante.ENSEMBLE
    territoire = request.GET.get("territoire", "")
    return render(
        request,
        "www/map.html",
        {
            "professions": [(p.value, p.label) for p in PROFESSIONS],
            "variantes": Variante.choices,
            "profession": profession,
            "variante": variante,
            "territoire": territoire if TERRITORY_REF.match(territoire) else "",
        },
    )
