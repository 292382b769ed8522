"""``oasis sauvegarde``: the database and the project documents in one archive, with a manifest of hashes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.backups.services import BackupError, create_backup


class Command(BaseCommand):
    help = "Sauvegarde la base et les documents des projets dans une archive datée (avec empreintes SHA-256)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossier", type=Path, help="dossier des sauvegardes (défaut : $OASIS_HOME/sauvegardes)")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dossier"] or Path(settings.OASIS_HOME) / "sauvegardes"
        try:
            summary = create_backup(directory, step=lambda text: self.stdout.write(f"… {text}"))
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = f"{summary.bytes / 1e6:.1f}".replace(".", ",")
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {summary.path} ({size} Mo, {summary.documents} document(s))."))
