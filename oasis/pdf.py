"""HTML to PDF with WeasyPrint, the one place that knows how (reports, avis, minutes)."""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries (Pango) are missing; the message says what to install."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: Pango missing
        raise PdfUnavailable(
            "L'export PDF demande WeasyPrint et les bibliothèques Pango de la machine "
            "(Debian : apt-get install libpango-1.0-0 libpangoft2-1.0-0) : " + str(error)
        ) from error
    document: bytes = HTML(string=html).write_pdf()
    return document
