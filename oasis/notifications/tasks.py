"""The worker's side: e-mails of those who want their notifications at once."""

from __future__ import annotations

from django_tasks import task

from oasis.notifications.services import send_immediate


@task()
def deliver_immediate() -> int:
    return send_immediate()
