"""``oasis aides synchroniser``: import the health-related aids of Aides-territoires (run it daily: systemd timer
``oasis-aides.timer`` in deploy/, or cron). Idempotent; an interrupted run imports nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oasis.connectors.aides_territoires import synchronise
from oasis.connectors.http import ConnectorError
from oasis.connectors.summary import describe


class Command(BaseCommand):
    help = "Synchronise les aides d'Aides-territoires utiles aux projets et aux professionnels de santé."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            changes = synchronise()
        except ConnectorError as error:
            raise CommandError(f"{error} Rien n'a été importé.") from error
        self.stdout.write(describe(changes))
