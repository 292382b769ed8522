"""Raising notifications and sending them by e-mail: at once, or in one daily digest, as each user chose.

Raising is idempotent (one notification per recipient and event key); sending is too (a notification is e-mailed
once, and a digest once a day), so that `oasis rappels` and the worker may run as often as needed.
"""

from __future__ import annotations

import logging
import smtplib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from oasis.formatting import date_longue
from oasis.notifications.enums import Event, Frequency
from oasis.notifications.models import Notification, Preference

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[OASIS] "
UNCOMPOSABLE = "Courriel impossible à composer : {error}"
RECIPIENT_REFUSED = "Adresse refusée par le serveur de courriel : {code} {answer}"
MESSAGE_REFUSED = "Courriel refusé par le serveur de courriel : {code} {answer}"


def one_line(text: str) -> str:
    """``text`` on one line: line breaks, tabs and every other control or separator character become one space.

    User text (a document's title, a project's name) ends up in e-mail subjects, where a line break would start a
    new header (Django then refuses the whole message).
    """
    cleaned = "".join(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text)
    return " ".join(cleaned.split())


def mail_subject(text: str) -> str:
    """The subject of an e-mail sent by OASIS: its prefix and ``text`` on one line."""
    return SUBJECT_PREFIX + one_line(text)


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
    return EmailMessage(mail_subject(notification.title), text + _footer(), to=[notification.recipient.email])


def _digest_email(user: Any, notifications: list[Notification], today: date) -> EmailMessage:
    count = len(notifications)
    subject = mail_subject(f"{count} notification{'s' if count > 1 else ''} — récapitulatif du {date_longue(today)}")
    lines = [f"Bonjour,\n\nVoici ce qui s'est passé depuis votre dernier récapitulatif ({count}) :\n"]
    for notification in notifications:
        lines.append(f"- {notification.title}")
        if notification.link:
            lines.append(f"  {absolute_url(notification.link)}")
    return EmailMessage(subject, "\n".join(lines) + "\n" + _footer(), to=[user.email])


class Undeliverable(Exception):
    """This one e-mail can never leave (the others still can): its notifications are set aside with the reason."""


class Deferred(Exception):
    """The server asked to try this one e-mail later (a 4xx answer): it stays pending, the others leave."""


def _send(connection: BaseEmailBackend, message: EmailMessage) -> None:
    """Send one e-mail on an open connection.

    Raises ``Undeliverable`` when the message itself is at fault (a header Django refuses, an address it cannot
    read, a recipient or content the server refuses for good), ``Deferred`` for a temporary refusal of this message;
    lets the errors of the connection through (server unreachable, authentication, our sender refused): then nothing
    can leave and the next run tries again.
    """
    try:
        connection.send_messages([message])
    except (ValueError, UnicodeError) as error:  # BadHeaderError is a ValueError, so is an unreadable address
        raise Undeliverable(UNCOMPOSABLE.format(error=one_line(str(error)))) from error
    except smtplib.SMTPRecipientsRefused as error:
        code, answer = next(iter(error.recipients.values()))
        reason = RECIPIENT_REFUSED.format(code=code, answer=_answer(answer))
        raise (Undeliverable(reason) if code >= 500 else Deferred(reason)) from error
    except smtplib.SMTPDataError as error:
        reason = MESSAGE_REFUSED.format(code=error.smtp_code, answer=_answer(error.smtp_error))
        raise (Undeliverable(reason) if error.smtp_code >= 500 else Deferred(reason)) from error


def _answer(answer: bytes | str) -> str:
    return one_line(answer.decode(errors="replace") if isinstance(answer, bytes) else answer)


def _set_aside(notification_ids: list[int], reason: str) -> None:
    Notification.objects.filter(pk__in=notification_ids).update(failed_at=timezone.now(), failure_reason=reason[:500])
    logger.warning("notifications mises de côté count=%d raison=%s", len(notification_ids), reason)


def send_immediate() -> int:
    """E-mail every notification not sent yet to those who want them at once; returns how many were sent.

    A notification whose e-mail cannot leave is set aside with its reason (``failed_at``, ``failure_reason``,
    shown in the administration) and the next ones still leave.
    """
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
            try:
                _send(connection, _immediate_email(notification))
            except Undeliverable as error:
                _set_aside([notification.pk], str(error))
                continue
            except Deferred as error:
                logger.warning("notification reportée id=%d raison=%s", notification.pk, error)
                continue
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def send_digests(today: date) -> int:
    """One e-mail per user who chose a daily digest and has news, at most once on ``today``; returns how many.

    A digest that cannot leave sets its notifications aside with the reason; the other users' digests still leave.
    """
    User = get_user_model()
    waiting = (
        User.objects.filter(
            is_active=True,
            notification_preference__frequency=Frequency.QUOTIDIEN,
            notifications__emailed_at__isnull=True,
            notifications__failed_at__isnull=True,
        )
        .exclude(email="")
        .filter(Q(notification_preference__digest_sent_on__isnull=True) | Q(notification_preference__digest_sent_on__lt=today))
        .distinct()
    )
    sent = 0
    with get_connection() as connection:
        for user in waiting:
            notifications = list(Notification.objects.filter(recipient=user).not_emailed().order_by("created_at", "pk"))
            try:
                _send(connection, _digest_email(user, notifications, today))
            except Undeliverable as error:
                _set_aside([n.pk for n in notifications], str(error))
                continue
            except Deferred as error:
                logger.warning("récapitulatif reporté utilisateur=%d raison=%s", user.pk, error)
                continue
            with transaction.atomic():
                Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
                Preference.objects.filter(user=user).update(digest_sent_on=today)
            sent += 1
    return sent
