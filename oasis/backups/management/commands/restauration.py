"""``oasis restauration ARCHIVE``: put back the database and the documents of a backup, after checking every hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oasis.backups.services import BackupError, restore_backup

ABANDONED = "Restauration abandonnée : rien n'a été modifié."


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (base et documents) après en avoir vérifié toutes les empreintes. "
        "Arrêtez le serveur et le worker avant."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--oui", action="store_true", help="ne pas demander de confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["oui"]:
            try:
                answer = input("La base et les documents actuels seront remplacés. Continuer ? [oui/non] ")
            except EOFError:  # no terminal to answer from: as good as « non »
                answer = ""
            if answer.strip().lower() not in ("o", "oui"):
                raise CommandError(ABANDONED)
        try:
            manifest = restore_backup(options["archive"], step=lambda text: self.stdout.write(f"… {text}"))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde du {manifest['cree_le']} restaurée : base {manifest['moteur']}, "
                f"{len(manifest['documents'])} document(s)."
            )
        )
