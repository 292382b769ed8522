"""Asking for a job: the same question on the same data is answered once, and nobody may flood the worker.

A job's result is shared by everyone who asks the same question (kind, parameters, data version): jobs only compute
figures from public data. Limits: ``MAX_ACTIVE_PER_USER`` waiting or running jobs per signed-in user,
``MAX_ACTIVE_PER_ADDRESS`` per anonymous address and ``MAX_ACTIVE_ANONYMOUS`` for all anonymous visitors together.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils import timezone

from oasis.jobs.locks import counted
from oasis.jobs.models import Job

MAX_ACTIVE_PER_USER = 3
MAX_ACTIVE_PER_ADDRESS = 2
MAX_ACTIVE_ANONYMOUS = 6
# A failed job answers again for this long (the same question would fail the same way), then it is asked anew.
FAILURE_MEMORY_SECONDS = 600


class JobRefused(Exception):
    """The job was not queued; the message says why and what to do."""


def job_key(kind: str, params: dict[str, Any], version: str) -> str:
    """Fingerprint of a question: its kind, its parameters and the version of the data it is asked on."""
    text = json.dumps([kind, params, version], sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def find(kind: str, params: dict[str, Any], version: str) -> Job | None:
    """The newest job that answered, is answering or just failed to answer this question."""
    key = job_key(kind, params, version)
    recent_failure = Q(statut=Job.Statut.ECHEC, finished_at__gte=timezone.now() - timedelta(seconds=FAILURE_MEMORY_SECONDS))
    return (
        Job.objects.filter(key=key)
        .filter(Q(statut=Job.Statut.TERMINE) | recent_failure | Q(pk__in=Job.objects.active().values("pk")))
        .defer("file")
        .order_by("-created_at")
        .first()
    )


def _check_limits(user: User | AnonymousUser | None, address: str | None) -> None:
    active = Job.objects.active()
    if user is not None and user.is_authenticated:
        if active.filter(requested_by=user).count() >= MAX_ACTIVE_PER_USER:
            raise JobRefused(
                f"Vous avez déjà {MAX_ACTIVE_PER_USER} calculs en cours : "
                "attendez que l'un d'eux se termine avant d'en demander un autre."
            )
        return
    if address and active.filter(requested_by=None, address=address).count() >= MAX_ACTIVE_PER_ADDRESS:
        raise JobRefused(
            f"Déjà {MAX_ACTIVE_PER_ADDRESS} calculs en cours depuis votre adresse : attendez qu'ils se terminent, "
            "ou connectez-vous."
        )
    if active.filter(requested_by=None).count() >= MAX_ACTIVE_ANONYMOUS:
        raise JobRefused(
            "Trop de calculs demandés en ce moment par des visiteurs non connectés : réessayez dans quelques minutes, "
            "ou connectez-vous."
        )


def submit(
    task: Any,
    *,
    kind: str,
    libelle: str,
    params: dict[str, Any],
    version: str,
    user: User | AnonymousUser | None = None,
    address: str | None = None,
) -> Job:
    """The job answering this question: an existing one, or a new one queued for ``task`` (a django-tasks task).

    Raises ``JobRefused`` when the requester already has too many jobs waiting or running.
    """
    existing = find(kind, params, version)
    if existing is not None:
        return existing
    signed_in = user is not None and user.is_authenticated
    # Counted and created one request at a time (simultaneous requests would each count the others' jobs as absent).
    limits = [f"jobs:utilisateur:{user.pk}"] if signed_in and user is not None else ["jobs:anonymes"]
    with counted(*limits, f"jobs:question:{job_key(kind, params, version)}"):
        existing = find(kind, params, version)  # asked by a simultaneous request meanwhile: one job for both
        if existing is not None:
            return existing
        _check_limits(user, address)
        job = Job.objects.create(
            kind=kind,
            libelle=libelle,
            params=params,
            key=job_key(kind, params, version),
            requested_by=user if signed_in and isinstance(user, User) else None,
            address=None if signed_in else (address or None),
        )
    task.enqueue(str(job.pk))
    return job
