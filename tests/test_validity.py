"""An aid's validity: open from its opening day to its last day inclusive, « fermé » the day after."""

from __future__ import annotations

from datetime import date

import pytest

from oasis.validity import CLOSING_BEFORE_OPENING, check_dates, validity

OPENS, LAST = date(2026, 3, 1), date(2026, 12, 31)


@pytest.mark.parametrize(
    ("on", "is_open", "label"),
    [
        (date(2026, 2, 28), False, "ouvre le 1er mars 2026"),
        (date(2026, 3, 1), True, "ouvert depuis le 1er mars 2026 jusqu'au 31 décembre 2026 inclus"),
        (date(2026, 12, 31), True, "ouvert depuis le 1er mars 2026 jusqu'au 31 décembre 2026 inclus"),
        (date(2027, 1, 1), False, "fermé depuis le 1er janvier 2027 — remplacé par la prime X"),
    ],
)
def test_open_from_its_first_day_to_its_last_day_inclusive(on, is_open, label):
    found = validity(OPENS, LAST, "la prime X", on)
    assert (found.open, found.label) == (is_open, label)


def test_without_dates_an_aid_is_open_and_says_nothing_more():
    assert validity(None, None, "", date(1990, 1, 1)).label == "ouvert"
    closed = validity(None, date(2025, 12, 31), "", date(2026, 1, 1))
    assert (closed.open, closed.state, closed.label) == (False, "fermé", "fermé depuis le 1er janvier 2026")


def test_closing_before_opening_is_refused_and_the_same_day_is_not():
    with pytest.raises(ValueError, match=CLOSING_BEFORE_OPENING):
        check_dates(date(2026, 3, 2), date(2026, 3, 1))
    check_dates(date(2026, 3, 1), date(2026, 3, 1))
    check_dates(None, date(2026, 3, 1))
