"""A background job seen by whoever asked for it: its progress, then its file."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from oasis.jobs.models import Job
from oasis.www.errors import Explained


def _job(pk: UUID) -> Job:
    return get_object_or_404(Job.objects.defer("file", "result"), pk=pk)


def job_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    return render(request, "www/jobs/job.html", {"job": _job(pk)})


def job_status(request: HttpRequest, pk: UUID) -> JsonResponse:
    job = _job(pk)
    return JsonResponse(
        {
            "statut": job.get_statut_display(),
            "etape": job.step,
            "pourcentage": job.percent,
            "termine": job.finished,
            "erreur": job.error,
        }
    )


def job_file(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    if job.statut != Job.Statut.TERMINE or not job.file:
        raise Explained("Ce calcul n'a pas (encore) produit de fichier.")
    response = HttpResponse(bytes(job.file), content_type=job.file_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response
