"""Running a job inside the worker: status, progress and outcome written where the pages read them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from oasis.jobs.models import Job

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a job gives: figures (JSON-ready) and/or a file to download."""

    result: dict[str, Any] | None = None
    file: bytes | None = None
    file_name: str = ""
    file_type: str = ""


class Progress:
    """Callable that records how far the job is: ``progress(0.4, "Calcul de l'APL")``."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, fraction: float, step: str) -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        Job.objects.filter(pk=self.job.pk).update(progress=fraction, step=step[:300])


Work = Callable[[Job, Progress], Outcome]


def run(job_id: str, work: Work, expected: tuple[type[Exception], ...] = (ValueError,)) -> None:
    """Run ``work`` for the job; an ``expected`` error is the user's to read, any other is logged and re-raised."""
    job = Job.objects.defer("file").get(pk=job_id)
    if job.finished:
        return
    Job.objects.filter(pk=job.pk).update(statut=Job.Statut.EN_COURS, started_at=timezone.now(), step="Démarrage")
    try:
        outcome = work(job, Progress(job))
    except expected as error:
        _fail(job, str(error))
        return
    except BaseException:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _fail(job, "Erreur interne pendant le calcul : l'équipe d'exploitation peut la retrouver dans le journal du worker.")
        raise
    Job.objects.filter(pk=job.pk).update(
        statut=Job.Statut.TERMINE,
        progress=1.0,
        step="Terminé",
        result=outcome.result,
        file=outcome.file,
        file_name=outcome.file_name,
        file_type=outcome.file_type,
        finished_at=timezone.now(),
    )


def _fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(statut=Job.Statut.ECHEC, error=message, finished_at=timezone.now())
