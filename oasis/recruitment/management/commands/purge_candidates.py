"""Erase the candidates whose retention period is over: `oasis purge_candidates` (run it daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oasis.recruitment.portal import purge_unconfirmed
from oasis.recruitment.services import purge_expired


class Command(BaseCommand):
    help = (
        "Efface les fiches de candidats dont la durée de conservation est échue (hors conventions d'aide) et les "
        "demandes du portail jamais confirmées."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        erased = purge_expired()
        self.stdout.write(f"{len(erased)} fiche(s) effacée(s)" + (f" : n° {', '.join(map(str, erased))}" if erased else "") + ".")
        unconfirmed = purge_unconfirmed()
        self.stdout.write(f"{unconfirmed} demande(s) du portail jamais confirmée(s) effacée(s).")
