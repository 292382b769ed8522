"""Which function synchronises each connector's source; the apps that own them register them at start-up
(Démarches simplifiées dossiers become projects: the projects app registers that one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Synchronise = Callable[[str, Any], dict[str, list[str]]]
"""(source, user) → the changes; raises ``ConnectorError``."""

SYNCHRONISERS: dict[str, Synchronise] = {}


def register(connector: str, synchronise: Synchronise) -> None:
    SYNCHRONISERS[connector] = synchronise
