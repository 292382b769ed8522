"""French number formatting for figures (thin space for thousands, comma for decimals, « — » when unknown)."""

from __future__ import annotations

from django import template

from oasis.formatting import fr_number

register = template.Library()


register.filter("fr_number", fr_number)


@register.filter
def signed(value: int | None) -> str:
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else str(value).replace("-", "−")


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """A share (0–1) as a French percentage: 0.254 → « 25 % »."""
    if value is None:
        return "—"
    return f"{100 * float(value):.{int(digits)}f}".replace(".", ",") + "\u202f%"


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "")


@register.filter
def split(value: str, separator: str = ",") -> list[str]:
    return value.split(separator)
