"""`oasis rappels`: raise the dated reminders and send the e-mails that are due. Idempotent: run it daily (systemd
timer in deploy/, or cron); running it twice the same day sends nothing more."""

from __future__ import annotations

import smtplib
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oasis.notifications.models import Notification
from oasis.notifications.services import send_digests, send_immediate
from oasis.projects.notifications import overdue_actions
from oasis.recruitment.notifications import commitment_ends, installation_deadlines, payments_due

SET_ASIDE = (
    "Notifications mises de côté : {count}, leur courriel ne peut pas partir (la raison est dans l'administration, "
    "Notifications, filtre « Mise de côté »)."
)


class Command(BaseCommand):
    help = (
        "Crée les rappels datés (actions en retard, échéances d'installation, versements, fins d'engagement) "
        "et envoie les courriels dus : immédiats et récapitulatifs quotidiens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="jour de référence AAAA-MM-JJ (par défaut : aujourd'hui)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or timezone.localdate()
        raised = {
            "actions en retard": overdue_actions(today),
            "échéances d'installation": installation_deadlines(today),
            "versements": payments_due(today),
            "fins d'engagement": commitment_ends(today),
        }
        self.stdout.write("Rappels créés : " + ", ".join(f"{label} {count}" for label, count in raised.items()) + ".")
        set_aside_before = Notification.objects.set_aside().count()
        try:
            immediate, digests = send_immediate(), send_digests(today)
        except (smtplib.SMTPException, OSError) as error:
            raise CommandError(
                f"Envoi des courriels impossible ({type(error).__name__} : {error}). Les notifications sont enregistrées "
                "et partiront au prochain passage : vérifiez OASIS_SMTP_HOTE et OASIS_SMTP_PORT."
            ) from error
        self.stdout.write(f"Courriels envoyés : {immediate} immédiat(s), {digests} récapitulatif(s).")
        set_aside = Notification.objects.set_aside().count() - set_aside_before
        if set_aside:
            self.stdout.write(SET_ASIDE.format(count=set_aside))
