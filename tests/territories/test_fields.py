"""Territory fields take what a user knows — a name, a postal code, the suggestion « Nom (code) » — and say what was
expected when the entry is unknown, ambiguous or of the wrong kind."""

from __future__ import annotations

import pytest

from oasis.territories.fields import (
    AMBIGUOUS,
    UNKNOWN,
    WRONG_LEVEL,
    TerritoryField,
    TerritoryListField,
    resolve_territory,
)
from oasis.territories.services import TerritoryNotFound

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Poitiers", "86194"),
        ("poitiers", "86194"),
        ("Poitiers (86194)", "86194"),
        ("86194", "86194"),
        ("86000", "86194"),  # Poitiers's postal code
        ("com:86140", "86140"),
        ("Lussac-les-Châteaux", "86140"),
        ("lussac les chateaux", "86140"),
    ],
)
def test_a_commune_from_what_the_user_typed(typed, code):
    assert resolve_territory(typed, ("commune",)).code == code


def test_digits_that_are_one_communes_postal_code_and_anothers_insee_code_ask_to_choose():
    """86100 is Châtellerault's postal code and Fontaine-le-Comte's INSEE code: the suggestions list both, in that order."""
    with pytest.raises(TerritoryNotFound) as refused:
        resolve_territory("86100", ("commune",))
    assert "Châtellerault (86066, code postal 86100)" in str(refused.value)
    assert "Fontaine-le-Comte (86100, code INSEE 86100)" in str(refused.value)
    assert resolve_territory("Châtellerault (86066)", ("commune",)).code == "86066"


def test_a_name_that_belongs_to_several_communes_asks_to_choose():
    with pytest.raises(TerritoryNotFound) as refused:
        resolve_territory("Saint-Martin", ("commune",))
    assert str(refused.value).startswith(AMBIGUOUS.split("{choices}")[0].format(text="Saint-Martin"))


def test_an_unknown_entry_says_what_was_expected():
    with pytest.raises(TerritoryNotFound) as refused:
        resolve_territory("Zzyzx", ("commune",))
    assert str(refused.value) == UNKNOWN.format(text="Zzyzx", levels="commune")


def test_a_territory_of_the_wrong_kind_is_refused_with_its_kind():
    with pytest.raises(TerritoryNotFound) as refused:
        resolve_territory("dep:86", ("commune", "epci"))
    assert str(refused.value) == WRONG_LEVEL.format(text="dep:86", found="département", levels="commune ou epci")


def test_the_field_cleans_to_the_code_or_the_reference_and_shows_the_name():
    field = TerritoryField(niveaux=("commune",))
    assert field.clean("Poitiers") == "86194"
    assert field.prepare_value("86194") == "Poitiers (86194)"
    assert TerritoryField(niveaux=("departement", "epci"), as_ref=True).clean("Vienne") == "dep:86"
    assert field.widget.attrs["data-territoire"] == "commune"


def test_the_field_error_is_the_resolver_message():
    from django import forms

    with pytest.raises(forms.ValidationError) as refused:
        TerritoryField(niveaux=("commune",)).clean("99999")
    assert refused.value.messages == [UNKNOWN.format(text="99999", levels="commune")]


def test_a_list_of_territories_by_name():
    field = TerritoryListField(niveaux=("commune",))
    assert field.clean("Poitiers (86194) ; Chauvigny ; com:86140") == "86194,86070,86140"
    assert field.prepare_value("86194,86070") == "Poitiers (86194) ; Chauvigny (86070)"
    assert TerritoryListField(as_ref=True).clean("CU du Grand Poitiers ; Vienne") == "epci:200069854,dep:86"
    with pytest.raises(Exception, match="Zzyzx"):
        field.clean("Poitiers ; Zzyzx")
