"""The état des lieux of a territory: page, PDF and CSV."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from oasis.accounts.addresses import client_address
from oasis.datasets.fingerprint import version
from oasis.diagnostics import jobs as pdf_jobs
from oasis.diagnostics.report import PdfUnavailable, context, render_pdf, to_csv, to_xlsx
from oasis.diagnostics.services import Diagnosis, cached_diagnosis
from oasis.jobs.models import Job
from oasis.jobs.services import JobRefused, submit
from oasis.territories.services import TerritoryNotFound, get_territory
from oasis.www.downloads import csv_dialect, csv_file
from oasis.www.errors import Explained, refused
from oasis.www.limits import heavy_page


def _diagnosis(niveau: str, code: str) -> Diagnosis:
    try:
        return cached_diagnosis(get_territory(niveau, code))
    except TerritoryNotFound as error:
        raise Explained(str(error)) from error


@heavy_page
def diagnostic(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    return render(request, "www/diagnostic.html", context(_diagnosis(niveau, code)))


@heavy_page
def diagnostic_pdf(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    if niveau in pdf_jobs.JOB_LEVELS:
        return _pdf_job(request, niveau, code)
    diagnosis = _diagnosis(niveau, code)
    try:
        document = render_pdf(diagnosis)
    except PdfUnavailable as error:
        return refused(request, 503, str(error))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_jobs.file_name(diagnosis.territory)}"'
    return response


def _pdf_job(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    """The PDF of a large territory: queued once, then served from the finished job."""
    try:
        territory = get_territory(niveau, code)
    except TerritoryNotFound as error:
        raise Explained(str(error)) from error
    try:
        job = submit(
            pdf_jobs.pdf_task,
            kind=pdf_jobs.KIND,
            libelle=f"État des lieux en PDF — {territory.nom}",
            params={"niveau": niveau, "code": territory.code},
            version=version(),
            user=request.user,
            address=client_address(request),
        )
    except JobRefused as refused:
        return render(request, "www/jobs/refused.html", {"message": str(refused)}, status=429)
    if job.statut == Job.Statut.TERMINE:
        return redirect("job_file", pk=job.pk)
    return redirect("job_detail", pk=job.pk)


@heavy_page
def diagnostic_csv(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    diagnosis = _diagnosis(niveau, code)
    return csv_file(to_csv(diagnosis, csv_dialect(request)), f"etat-des-lieux-{diagnosis.territory.file_stem}.csv")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@heavy_page
def diagnostic_xlsx(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    diagnosis = _diagnosis(niveau, code)
    response = HttpResponse(to_xlsx(diagnosis), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="etat-des-lieux-{diagnosis.territory.file_stem}.xlsx"'
    return response
