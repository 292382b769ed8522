"""The APL map page (the data come from the map API)."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from oasis.accessibility.enums import Variante
from oasis.formatting import date_longue
from oasis.projects import opening
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


def validated_projects(request: HttpRequest) -> JsonResponse:
    """The projects of a département validated by the committee and not yet open: the count for everyone (it names
    nothing), the projects themselves only for those who may see them. Never cached: it depends on the viewer."""
    code = request.GET.get("departement", "")
    if not re.fullmatch(r"[0-9AB]{2,3}", code):
        return JsonResponse({"erreur": "Département attendu, par son code (« 86 »)."}, status=400)
    total = opening.count("departement", code)
    response = JsonResponse(
        {
            "total": total.total,
            "projets": [
                {
                    "nom": project.nom,
                    "type": project.kind,
                    "commune": project.commune,
                    "point": [project.longitude, project.latitude],
                    "valide_le": date_longue(project.valide_le),
                    "url": reverse("project_detail", args=[project.pk]),
                }
                for project in opening.visible(request.user, "departement", code)
            ],
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
