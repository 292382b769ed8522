"""French number formatting shared by pages and services' messages (thin space for thousands, comma for decimals)."""

from __future__ import annotations

from decimal import Decimal


def fr_number(value: float | int | str | Decimal | None, digits: int = 0) -> str:
    """12345.6 → « 12 345,6 » (digits=1); None or "" → « — »."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{int(digits)}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def euros(value: float | int | Decimal | None, digits: int = 0) -> str:
    return f"{fr_number(value, digits)} €"
