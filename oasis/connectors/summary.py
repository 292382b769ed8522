"""A synchronisation's changes, in words (the command's output and the admin's page)."""

from __future__ import annotations

LABELS = {
    "creees": "aides nouvelles",
    "modifiees": "aides modifiées",
    "expirees": "aides expirées",
    "retirees": "aides retirées",
    "perimetres_inconnus": "périmètres non reconnus",
    "projets_crees": "projets créés",
    "etats_suivis": "changements d'état",
    "rejetes": "dossiers non importés",
}


def describe(changes: dict[str, list[str]]) -> str:
    """« 3 aides nouvelles, 1 aide retirée… » — or « aucun changement »."""
    counts = [f"{LABELS.get(key, key)} : {len(items)}" for key, items in changes.items() if items]
    return ", ".join(counts) + "." if counts else "Aucun changement."
