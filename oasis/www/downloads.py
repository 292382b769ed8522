"""Download responses: CSV in the reader's spreadsheet dialect (French by default, ``?format=international``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse

from oasis.csvfiles import CsvDialect, dialect_named, to_csv
from oasis.pdf import PdfUnavailable, html_to_pdf
from oasis.www.errors import refused


def csv_dialect(request: HttpRequest) -> CsvDialect:
    return dialect_named(request.GET.get("format"))


def csv_file(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_table(request: HttpRequest, filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    return csv_file(to_csv(header, rows, csv_dialect(request)), filename)


def pdf_file(html: str, filename: str, request: HttpRequest | None = None) -> HttpResponse:
    """The page rendered as a PDF attachment; 503 with the reason when the machine cannot render PDF."""
    try:
        document = html_to_pdf(html)
    except PdfUnavailable as error:
        return refused(request, 503, str(error))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
