"""Synchronisations asked from the admin run in the worker, never inside the request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from oasis.connectors.http import ConnectorError
from oasis.connectors.registry import SYNCHRONISERS


@task()
def synchronise_now(connector: str, source: str, user_id: int | None) -> str:
    """Run one synchronisation; its outcome is on its :class:`SyncRun`, whatever happens."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        SYNCHRONISERS[connector](source, user)
    except ConnectorError as error:
        return str(error)
    return "ok"
