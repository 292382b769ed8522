"""The shape of identifiers of the official references."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

RPPS_FORMAT = "Numéro RPPS : 11 chiffres attendus (ex. 10001234567)."


def well_formed_rpps(value: str) -> bool:
    """An empty value (no number given) or 11 digits."""
    return not value or re.fullmatch(r"\d{11}", value) is not None


def validate_rpps(value: str) -> None:
    """For forms and model fields."""
    if not well_formed_rpps(value):
        raise ValidationError(RPPS_FORMAT)


def checked_rpps(value: str) -> str:
    """For services: the number without surrounding spaces, or ``ValueError(RPPS_FORMAT)``."""
    value = value.strip()
    if not well_formed_rpps(value):
        raise ValueError(RPPS_FORMAT)
    return value
