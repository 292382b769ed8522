"""Checks of what an administrator types in the admin's JSON fields, named by indicator and key."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

INDICATOR_NUMBERS = ("fixe", "variable", "max")
INDICATOR_FLAGS = ("socle", "prerequis", "par_professionnel")
INDICATOR_TEXTS = ("code", "libelle")
INDICATOR_NOT_A_LIST = "Les indicateurs sont une liste d'objets JSON."
INDICATOR_NONE = "Le barème doit compter au moins un indicateur."
INDICATOR_MISSING = "Indicateur n° {number} ({code}) : clé « {key} » manquante."
INDICATOR_NOT_A_NUMBER = "Indicateur n° {number} ({code}) : « {key} » doit être un nombre positif ou nul."
INDICATOR_NOT_A_FLAG = "Indicateur n° {number} ({code}) : « {key} » doit valoir true ou false."
INDICATOR_DUPLICATE = "Indicateur n° {number} : le code « {code} » est déjà pris."


def validate_aci_indicators(indicators: Any) -> None:
    """Every indicator of an ACI table states its code, label, points (fixed, variable), maximum units and flags:
    none is guessed at simulation time."""
    if not isinstance(indicators, list) or not all(isinstance(i, dict) for i in indicators):
        raise ValidationError(INDICATOR_NOT_A_LIST)
    if not indicators:
        raise ValidationError(INDICATOR_NONE)
    seen: set[str] = set()
    for number, indicator in enumerate(indicators, start=1):
        code = indicator.get("code", "?")
        for key in (*INDICATOR_TEXTS, *INDICATOR_NUMBERS, *INDICATOR_FLAGS):
            if key not in indicator:
                raise ValidationError(INDICATOR_MISSING.format(number=number, code=code, key=key))
        for key in INDICATOR_NUMBERS:
            value = indicator[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValidationError(INDICATOR_NOT_A_NUMBER.format(number=number, code=code, key=key))
        for key in INDICATOR_FLAGS:
            if not isinstance(indicator[key], bool):
                raise ValidationError(INDICATOR_NOT_A_FLAG.format(number=number, code=code, key=key))
        if code in seen:
            raise ValidationError(INDICATOR_DUPLICATE.format(number=number, code=code))
        seen.add(code)
