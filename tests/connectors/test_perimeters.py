"""Aides-territoires perimeter labels to OASIS territories."""

from __future__ import annotations

import pytest

from oasis.connectors.enums import PerimeterScale
from oasis.connectors.perimeters import UNRECOGNISED, Perimeter, resolve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("France", Perimeter(PerimeterScale.NATIONAL)),
        ("Europe", Perimeter(PerimeterScale.NATIONAL)),
        ("Vienne (Département)", Perimeter(PerimeterScale.DEPARTEMENT, "86")),
        ("Nouvelle-Aquitaine (Région)", Perimeter(PerimeterScale.REGION, "75")),
        ("CU du Grand Poitiers (EPCI)", Perimeter(PerimeterScale.EPCI, "200069854")),
        ("Poitiers (Commune – 86000)", Perimeter(PerimeterScale.COMMUNE, "86194")),
        # Seven communes are called Mons: the postcode picks the one of Charente-Maritime.
        ("Mons (Commune – 17160)", Perimeter(PerimeterScale.COMMUNE, "17239")),
        ("Mons (Commune)", Perimeter(PerimeterScale.COMMUNE, "")),
        ("Atlantis (Département)", Perimeter(PerimeterScale.DEPARTEMENT, "")),
        ("Bassin Loire-Bretagne", UNRECOGNISED),
        ("", UNRECOGNISED),
        (None, UNRECOGNISED),
    ],
)
def test_a_label_names_one_territory_or_none(label, expected):
    found = resolve(label)
    assert found == expected
    assert found.recognised == (expected.scale == PerimeterScale.NATIONAL or bool(expected.code))
