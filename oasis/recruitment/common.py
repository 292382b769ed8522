"""What the recruitment modules share: the refusal of a change outside one's role, month arithmetic, the checks of a
département and a commune, amounts as the audit writes them.

Names with a leading underscore are for the recruitment modules only.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from oasis.territories.models import Commune, Departement

# Refusals, asserted by reference in the tests. Templates take their values by name.
UNKNOWN_DEPARTEMENT = "Département inconnu : « {code} »."
UNKNOWN_COMMUNE = "{what} : commune inconnue « {code} »."
PROJECT_NOT_FOUND = "Projet introuvable."


class NotAllowed(PermissionError):
    """The user may not do this."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 when end ≤ start)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _amount(value: Decimal | None) -> str | None:
    """An amount for the audit, in euros with two decimals whatever its source (a form, the database)."""
    return None if value is None else f"{value:.2f}"


def _check_departement(code: str) -> None:
    if not Departement.objects.filter(pk=code).exists():
        raise ValueError(UNKNOWN_DEPARTEMENT.format(code=code))


def _commune(code: str | None, what: str) -> Commune | None:
    if not code:
        return None
    commune = Commune.objects.filter(pk=code.strip().upper()).first()
    if commune is None:
        raise ValueError(UNKNOWN_COMMUNE.format(what=what, code=code))
    return commune
