"""Notifications kept for each user, and how each user wants to receive them by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from oasis.notifications.enums import Event, Frequency


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def not_emailed(self) -> NotificationQuerySet:
        """Not sent by e-mail yet nor set aside as undeliverable, to a recipient who has an address."""
        return self.filter(emailed_at__isnull=True, failed_at__isnull=True).exclude(recipient__email="")

    def set_aside(self) -> NotificationQuerySet:
        """The e-mail could not be sent and will not be tried again until an administrator asks for it."""
        return self.filter(failed_at__isnull=False)


class Notification(models.Model):
    """One event told to one user. ``key`` names the event, so that raising it again changes nothing."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField("événement", max_length=30, choices=Event.choices)
    title = models.CharField("titre", max_length=300)
    body = models.TextField("message", blank=True)
    link = models.CharField("lien", max_length=300, blank=True, help_text="chemin de la page concernée dans OASIS")
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    emailed_at = models.DateTimeField("envoyée par courriel le", null=True, blank=True)
    failed_at = models.DateTimeField("courriel mis de côté le", null=True, blank=True)
    failure_reason = models.CharField("raison de l'échec du courriel", max_length=500, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "notification"
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    frequency = models.CharField(
        "recevoir les notifications par courriel", max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    digest_sent_on = models.DateField("dernier récapitulatif envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "préférence de notification"

    def __str__(self) -> str:
        return f"{self.user} : {self.get_frequency_display()}"
