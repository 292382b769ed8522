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
