"""French number formatting shared by pages and services' messages (thin space for thousands, comma for decimals)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal


def fr_number(value: float | int | str | Decimal | None, digits: int = 0) -> str:
    """12345.6 → « 12 345,6 » (digits=1); None or "" → « — »."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{int(digits)}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def euros(value: float | int | Decimal | None, digits: int = 0) -> str:
    return f"{fr_number(value, digits)} €"


MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")


def date_longue(value: date | datetime | None) -> str:
    """date(2027, 6, 1) → « 1er juin 2027 », date(2026, 11, 28) → « 28 novembre 2026 »; None → « — »."""
    if value is None or value == "":
        return "—"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MOIS[value.month - 1]} {value.year}"


def montant(value: float | int | str | Decimal | None) -> str:
    """Euros with their cents when there are any: 450000.5 → « 450 000,50 € », 450000 → « 450 000 € »."""
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value))
    digits = 0 if amount == amount.to_integral_value() else 2
    return euros(amount, digits)
