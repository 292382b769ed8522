"""French number formatting for figures (thin space for thousands, comma for decimals, « — » when unknown)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def fr_number(value: float | int | str | None, digits: int = 0) -> str:
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{int(digits)}f}"
    return text.replace(",", "\u202f").replace(".", ",")


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
