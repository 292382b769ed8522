"""French dates and amounts, as the pages show them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oasis.formatting import date_longue, montant, taille


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2027, 6, 1), "1er juin 2027"),
        (dt.date(2026, 11, 28), "28 novembre 2026"),
        (dt.date(2026, 8, 2), "2 août 2026"),
        (dt.datetime(2026, 2, 1, 9, 30), "1er février 2026"),
        (None, "—"),
    ],
)
def test_long_french_dates(value, shown):
    assert date_longue(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("450000.50"), "450\u202f000,50 €"),
        (Decimal("450000.00"), "450\u202f000 €"),
        (450000, "450\u202f000 €"),
        (Decimal("0.05"), "0,05 €"),
        ("1234.5", "1\u202f234,50 €"),
        (None, "—"),
    ],
)
def test_amounts_keep_their_cents(value, shown):
    assert montant(value) == shown


@pytest.mark.parametrize(
    ("octets", "text"),
    [
        (None, "—"),
        (1, "1 octet"),
        (900, "900 octets"),
        (1023, "1\u202f023 octets"),
        (1024, "1 ko"),
        (1536, "1,5 ko"),
        (20 * 2**20, "20 Mo"),  # the default limit of a document
        (50 * 2**20, "50 Mo"),
        (int(1.5 * 2**20), "1,5 Mo"),
        (2**30, "1 Go"),
    ],
)
def test_file_sizes_are_in_french_units(octets, text):
    assert taille(octets) == text
