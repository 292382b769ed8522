"""Aides-territoires names an aid's perimeter in words — « Vienne (Département) », « Poitiers (Commune – 86000) »,
« France » — never by code: this finds the OASIS territory it names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from oasis.connectors.enums import PerimeterScale
from oasis.territories.models import Commune, Departement, Epci, Region
from oasis.territories.text import search_key

_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<scale>[^()–-]+?)(?:\s*[–-]\s*(?P<zips>[\d ,]+))?\)\s*$")
_SCALES = {
    "commune": PerimeterScale.COMMUNE,
    "epci": PerimeterScale.EPCI,
    "departement": PerimeterScale.DEPARTEMENT,
    "region": PerimeterScale.REGION,
}
_NATIONAL = {"france", "europe", "france metropolitaine", "metropole", "france entiere"}


@dataclass(frozen=True)
class Perimeter:
    scale: str
    code: str = ""

    @property
    def recognised(self) -> bool:
        return self.scale == PerimeterScale.NATIONAL or bool(self.code)


UNRECOGNISED = Perimeter(PerimeterScale.AUTRE)


def _one(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else ""


def resolve(label: str | None) -> Perimeter:
    """The territory a perimeter label names; :data:`UNRECOGNISED` when no OASIS territory, or several, match."""
    text = (label or "").strip()
    if search_key(text) in _NATIONAL:
        return Perimeter(PerimeterScale.NATIONAL)
    match = _LABEL.match(text)
    if not match:
        return UNRECOGNISED
    scale = _SCALES.get(search_key(match["scale"]))
    key = search_key(match["name"])
    if scale == PerimeterScale.REGION:
        return Perimeter(scale, _one(list(Region.objects.filter(search_key=key).values_list("code", flat=True))))
    if scale == PerimeterScale.DEPARTEMENT:
        return Perimeter(scale, _one(list(Departement.objects.filter(search_key=key).values_list("code", flat=True))))
    if scale == PerimeterScale.EPCI:
        return Perimeter(scale, _one(list(Epci.objects.filter(search_key=key).values_list("code", flat=True))))
    if scale == PerimeterScale.COMMUNE:
        candidates = list(Commune.objects.filter(search_key=key).values_list("code_insee", "codes_postaux"))
        zips = set(re.findall(r"\d{5}", match["zips"] or ""))
        if zips and len(candidates) > 1:
            candidates = [(code, postaux) for code, postaux in candidates if zips & set(re.findall(r"\d{5}", postaux))]
        return Perimeter(scale, _one([code for code, _ in candidates]))
    return UNRECOGNISED
