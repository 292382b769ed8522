"""The PDF état des lieux of a large territory (a région, a département) as a job: seconds to minutes of layout kept
out of the request (a département's took 7 to 9 s, eight at once held every server process)."""

from __future__ import annotations

from django_tasks import task

from oasis.diagnostics.report import PdfUnavailable, render_pdf
from oasis.diagnostics.services import cached_diagnosis
from oasis.jobs.models import Job
from oasis.jobs.runner import Outcome, Progress, run
from oasis.territories.services import Territory, get_territory

KIND = "etat-des-lieux-pdf"
# Territories whose PDF is built by the worker; smaller ones are built while the user waits (under a second).
JOB_LEVELS = ("region", "departement")


def file_name(territory: Territory) -> str:
    return f"etat-des-lieux-{territory.file_stem}.pdf"


def compute(job: Job, progress: Progress) -> Outcome:
    niveau, code = job.params["niveau"], job.params["code"]
    progress(0.0, "Calcul des indicateurs du territoire")
    diagnosis = cached_diagnosis(get_territory(niveau, code))
    progress(0.5, "Mise en page du PDF")
    return Outcome(file=render_pdf(diagnosis), file_name=file_name(diagnosis.territory), file_type="application/pdf")


@task()
def pdf_task(job_id: str) -> None:
    run(job_id, compute, expected=(PdfUnavailable, ValueError))
