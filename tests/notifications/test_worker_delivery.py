"""The e-mail of a notification wanted at once leaves through the job queue once the change is committed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.notifications.services import Message, notify
from oasis.testing import run_queued_jobs

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = Message(Event.COMMENTAIRE, "Projet de Lussac : commentaire", "Le terrain est voté.", "/projets/1/", "commentaire:1")


def test_committed_notifications_are_emailed_by_the_worker(smtp):
    user = get_user_model().objects.create_user("cm@vienne.test", "cm@vienne.test", "x" * 20)
    with transaction.atomic():
        assert notify([user], MESSAGE) == 1
        assert smtp.mails == []  # nothing leaves before the commit
    run_queued_jobs()
    assert [mail.subject for mail in smtp.to("cm@vienne.test")] == ["[OASIS] Projet de Lussac : commentaire"]
    assert Notification.objects.get().emailed_at is not None


def test_a_rolled_back_change_tells_nothing(smtp):
    user = get_user_model().objects.create_user("cm@vienne.test", "cm@vienne.test", "x" * 20)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user], MESSAGE)
        raise RuntimeError("the change failed")
    run_queued_jobs()
    assert smtp.mails == []
    assert not Notification.objects.exists()
