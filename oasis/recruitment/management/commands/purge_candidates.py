"""Erase the candidates whose retention period is over: `oasis purge_candidates` (run it daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from oasis.recruitment.candidates import purge_expired
from oasis.recruitment.portal import purge_unconfirmed

ERASED = "{count} fiche(s) effacée(s){numbers}."
ERASED_NUMBERS = " : n° {numbers}"
UNCONFIRMED_ERASED = "{count} demande(s) du portail jamais confirmée(s) effacée(s)."


class Command(BaseCommand):
    help = (
        "Efface les fiches de candidats dont la durée de conservation est échue (hors conventions d'aide) et les "
        "demandes du portail jamais confirmées."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        erased = purge_expired()
        numbers = ERASED_NUMBERS.format(numbers=", ".join(map(str, erased))) if erased else ""
        self.stdout.write(ERASED.format(count=len(erased), numbers=numbers))
        self.stdout.write(UNCONFIRMED_ERASED.format(count=purge_unconfirmed()))
