"""The état des lieux of a territory: page, PDF and CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from oasis.diagnostics.report import PdfUnavailable, context, render_pdf, to_csv, to_xlsx
from oasis.diagnostics.services import Diagnosis, build_diagnosis
from oasis.territories.services import TerritoryNotFound, get_territory
from oasis.www.downloads import csv_dialect, csv_file


def _diagnosis(niveau: str, code: str) -> Diagnosis:
    try:
        return build_diagnosis(get_territory(niveau, code))
    except TerritoryNotFound as error:
        raise Http404(str(error)) from error


def diagnostic(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    return render(request, "www/diagnostic.html", context(_diagnosis(niveau, code)))


def diagnostic_pdf(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    diagnosis = _diagnosis(niveau, code)
    try:
        document = render_pdf(diagnosis)
    except PdfUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="etat-des-lieux-{niveau}-{diagnosis.territory.code}.pdf"'
    return response


def diagnostic_csv(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    diagnosis = _diagnosis(niveau, code)
    return csv_file(to_csv(diagnosis, csv_dialect(request)), f"etat-des-lieux-{niveau}-{diagnosis.territory.code}.csv")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def diagnostic_xlsx(request: HttpRequest, niveau: str, code: str) -> HttpResponse:
    diagnosis = _diagnosis(niveau, code)
    response = HttpResponse(to_xlsx(diagnosis), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="etat-des-lieux-{niveau}-{diagnosis.territory.code}.xlsx"'
    return response
