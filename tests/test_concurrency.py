"""The digests forms carry and the side-by-side they show: one amount whatever its trailing zeros, texts whatever
their line ends, a missing token compares nothing, lines aligned on what both texts share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from oasis.concurrency import Row, digest, parse_token, read_token, side_by_side


def test_a_value_read_back_from_the_database_has_the_digest_it_was_read_with():
    assert digest(Decimal("1000.00")) == digest(Decimal("1000")) != digest(Decimal("1000.01"))
    assert digest("Ligne 1\r\nLigne 2 ") == digest("Ligne 1\nLigne 2")
    assert digest(None) == digest("") != digest("0")
    assert digest(date(2027, 2, 1)) == digest("2027-02-01")


def test_a_token_carries_each_field_and_a_bad_one_carries_none():
    token = read_token({"objet": "Étude", "demande": Decimal("5")})
    assert parse_token(token) == {"objet": digest("Étude"), "demande": digest("5")}
    assert parse_token("") == parse_token(None) == parse_token("n'importe quoi") == {}


def test_the_side_by_side_aligns_shared_lines_and_marks_the_others():
    assert side_by_side("A\nB\nC", "A\nX\nC\nD") == [
        Row("A", "A", False),
        Row("B", "X", True),
        Row("C", "C", False),
        Row("", "D", True),
    ]
    assert side_by_side("", "Nouveau") == [Row("", "Nouveau", True)]
