"""CSV downloads open as a table in French Excel, and never run a cell as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from oasis.csvfiles import BOM, FRENCH, INTERNATIONAL, dialect_named, to_csv
from tests.csvread import french_number, french_rows


def test_french_dialect_uses_semicolons_decimal_commas_and_a_byte_order_mark():
    text = to_csv(["code", "apl", "population"], [["86194", 3.25, 89916], ["2A004", "0.5000", 0]], FRENCH)
    assert text.startswith(BOM)
    rows = french_rows(text.encode())
    assert rows == [
        {"code": "86194", "apl": "3,25", "population": "89916"},
        {"code": "2A004", "apl": "0,5000", "population": "0"},
    ]
    assert french_number(rows[0]["apl"]) == 3.25


def test_international_dialect_keeps_commas_and_points_without_a_mark():
    text = to_csv(["code", "apl"], [["86194", 3.25]], INTERNATIONAL)
    assert not text.startswith(BOM)
    assert list(csv.reader(io.StringIO(text))) == [["code", "apl"], ["86194", "3.25"]]


@pytest.mark.parametrize("formula", ["=1+1", "+33 5 49", "@SUM(A1)", "-cmd|' /C calc'!A0", "\tx"])
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(formula):
    rows = french_rows(to_csv(["nom"], [[formula]], FRENCH).encode())
    assert rows[0]["nom"] == "'" + formula


@pytest.mark.parametrize(("value", "shown"), [("-3", "-3"), ("-2.5", "-2,5"), (-2.5, "-2,5"), (None, ""), (True, "1")])
def test_negative_numbers_and_empty_cells_stay_values(value, shown):
    assert french_rows(to_csv(["x"], [[value]], FRENCH).encode())[0]["x"] == shown


@pytest.mark.parametrize(("name", "expected"), [(None, FRENCH), ("", FRENCH), ("international", INTERNATIONAL), ("xlsx", FRENCH)])
def test_format_parameter_chooses_the_dialect(name, expected):
    assert dialect_named(name) is expected
