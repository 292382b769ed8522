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


UNITES = ((2**30, "Go"), (2**20, "Mo"), (2**10, "ko"))


def taille(octets: int | None) -> str:
    """A file's size in French units: 52428800 → « 50 Mo », 1572864 → « 1,5 Mo », 2048 → « 2 ko », 900 → « 900 octets ».

    Binary multiples (1 Mo = 1 048 576 octets), as OASIS_DOCUMENT_MAX_MO counts them; one decimal unless whole."""
    if octets is None:
        return "—"
    for size, unit in UNITES:
        if octets >= size:
            value = octets / size
            return f"{fr_number(value, 0 if value == int(value) else 1)} {unit}"
    return f"{fr_number(octets)} octet{'s' if octets > 1 else ''}"
