"""Raising a notification: once per recipient and key, never to an inactive account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.notifications.services import Message, notify

pytestmark = pytest.mark.django_db

MESSAGE = Message(Event.COMMENTAIRE, "Titre", "", "/projets/", "cle:1")


def test_once_per_recipient_and_key_and_never_to_an_inactive_account():
    users = get_user_model().objects
    active = users.create_user("a@oasis.test", "a@oasis.test", "x" * 20)
    inactive = users.create_user("b@oasis.test", "b@oasis.test", "x" * 20, is_active=False)
    assert notify([active, inactive], MESSAGE) == 1
    assert notify([active, active], MESSAGE) == 0
    assert list(Notification.objects.values_list("recipient__email", flat=True)) == ["a@oasis.test"]
    assert notify([active], Message(Event.COMMENTAIRE, "Titre", "", "/projets/", "cle:2")) == 1
