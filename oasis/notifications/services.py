"""Raising notifications and sending them by e-mail: at once, or in one daily digest, as each user chose.

Raising is idempotent (one notification per recipient and event key); sending is too (a notification is e-mailed
once, and a digest once a day), so that `oasis rappels` and the worker may run as often as needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from oasis.formatting import date_longue
from oasis.notifications.enums import Event, Frequency
from oasis.notifications.models import Notification, Preference

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[OASIS] "


@dataclass(frozen=True)
class Message:
    """What a notification says: ``link`` is the path of the page concerned, ``key`` names the event."""

    event: Event
    title: str
    body: str
    link: str
    key: str


def notify(recipients: Iterable[Any], message: Message) -> int:
    """Tell ``message`` to each active recipient who was not told it yet; returns how many were new.

    Called inside the caller's transaction: the notifications are saved with the change they tell, and the e-mails
    of those who want them at once leave through the worker once the transaction is committed.
    """
    users = {user.pk: user for user in recipients if user.is_active}
    if not users:
        return 0
    known = set(Notification.objects.filter(recipient_id__in=users, key=message.key).values_list("recipient_id", flat=True))
    new = [
        Notification(
            recipient_id=pk,
            event=message.event,
            title=message.title[:300],
            body=message.body,
            link=message.link,
            key=message.key,
        )
        for pk in users
        if pk not in known
    ]
    Notification.objects.bulk_create(new)
    if new:
        transaction.on_commit(_enqueue_delivery)
    return len(new)


# How the e-mails of those who want them at once are queued: the app registers its worker task here when it is ready
# (NotificationsConfig.ready). The task module calls down into this one; this one never imports it.
_delivery: list[Callable[[], object]] = []


def deliver_through(enqueue: Callable[[], object]) -> None:
    """Queue the sending of immediate e-mails through ``enqueue`` from now on (called once, at start-up)."""
    _delivery[:] = [enqueue]


def _enqueue_delivery() -> None:
    if not _delivery:
        raise ImproperlyConfigured("Aucune file d'envoi des notifications : l'application oasis.notifications n'est pas prête.")
    _delivery[0]()


def frequency_of(user: Any) -> str:
    preference = Preference.objects.filter(user=user).first()
    return preference.frequency if preference else Frequency.IMMEDIATE.value


def set_frequency(user: Any, frequency: str) -> None:
    if frequency not in Frequency.values:
        raise ValueError(f"Fréquence inconnue : « {frequency} ».")
    Preference.objects.update_or_create(user=user, defaults={"frequency": frequency})


def mark_read(user: Any, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them, or those listed); never another user's."""
    unread = Notification.objects.filter(recipient=user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def absolute_url(path: str) -> str:
    return settings.OASIS_PUBLIC_URL.rstrip("/") + path


def _footer() -> str:
    return (
        "\n\n-- \nVous recevez ce courriel parce que votre compte OASIS suit ce dossier.\n"
        f"Choisir un récapitulatif quotidien ou ne plus recevoir de courriels : {absolute_url(reverse('account'))}\n"
    )


def _immediate_email(notification: Notification) -> EmailMessage:
    text = f"Bonjour,\n\n{notification.title}\n"
    if notification.body:
        text += f"\n{notification.body}\n"
    if notification.link:
        text += f"\nVoir dans OASIS : {absolute_url(notification.link)}\n"
    return EmailMessage(SUBJECT_PREFIX + notification.title, text + _footer(), to=[notification.recipient.email])


def _digest_email(user: Any, notifications: list[Notification], today: date) -> EmailMessage:
    count = len(notifications)
    subject = f"{SUBJECT_PREFIX}{count} notification{'s' if count > 1 else ''} — récapitulatif du {date_longue(today)}"
    lines = [f"Bonjour,\n\nVoici ce qui s'est passé depuis votre dernier récapitulatif ({count}) :\n"]
    for notification in notifications:
        lines.append(f"- {notification.title}")
        if notification.link:
            lines.append(f"  {absolute_url(notification.link)}")
    return EmailMessage(subject, "\n".join(lines) + "\n" + _footer(), to=[user.email])


def send_immediate() -> int:
    """E-mail every notification not sent yet to those who want them at once; returns how many were sent."""
    pending = (
        Notification.objects.not_emailed()
        .filter(recipient__is_active=True)
        .filter(
            Q(recipient__notification_preference__isnull=True)
            | Q(recipient__notification_preference__frequency=Frequency.IMMEDIATE)
        )
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    sent = 0
    with get_connection() as connection:
        for notification in pending:
            connection.send_messages([_immediate_email(notification)])
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def send_digests(today: date) -> int:
    """One e-mail per user who chose a daily digest and has news, at most once on ``today``; returns how many."""
    User = get_user_model()
    waiting = (
        User.objects.filter(
            is_active=True,
            notification_preference__frequency=Frequency.QUOTIDIEN,
            notifications__emailed_at__isnull=True,
        )
        .exclude(email="")
        .filter(Q(notification_preference__digest_sent_on__isnull=True) | Q(notification_preference__digest_sent_on__lt=today))
        .distinct()
    )
    sent = 0
    with get_connection() as connection:
        for user in waiting:
            notifications = list(Notification.objects.filter(recipient=user).not_emailed().order_by("created_at", "pk"))
            connection.send_messages([_digest_email(user, notifications, today)])
            with transaction.atomic():
                Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
                Preference.objects.filter(user=user).update(digest_sent_on=today)
            sent += 1
    return sent
