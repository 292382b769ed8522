"""``oasis worker``: run the background jobs (siting, région-wide PDFs) queued in the database."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Exécute les calculs en arrière-plan (implantation, PDF des régions) mis en file dans la base."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--intervalle", type=float, default=1.0, help="secondes d'attente quand la file est vide")
        parser.add_argument("--lot", action="store_true", help="exécuter les calculs en attente puis s'arrêter")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "db_worker",
            interval=options["intervalle"],
            batch=options["lot"],
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
        )
