"""``oasis demarches synchroniser``: import the new dossiers of the configured Démarches simplifiées démarches into
projects and follow the states of the others (run it daily, with ``oasis-aides.timer``). Idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.connectors.http import ConnectorError
from oasis.connectors.summary import describe
from oasis.projects.dossiers import synchronise


class Command(BaseCommand):
    help = "Importe les dossiers des démarches Démarches simplifiées configurées (OASIS_DS_DEMARCHES) en projets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("demarches", nargs="*", type=int, help="numéros de démarche (par défaut : OASIS_DS_DEMARCHES)")

    def handle(self, *args: Any, **options: Any) -> None:
        demarches = options["demarches"] or settings.OASIS_DS_DEMARCHES
        if not demarches:
            raise CommandError("Aucune démarche configurée : OASIS_DS_DEMARCHES ou des numéros en argument.")
        failed = []
        for demarche in demarches:
            try:
                changes = synchronise(demarche)
            except ConnectorError as error:
                failed.append(f"démarche {demarche} : {error}")
                continue
            self.stdout.write(f"Démarche {demarche} : {describe(changes)}")
        if failed:
            raise CommandError("Rien n'a été importé pour " + " ; ".join(failed))
