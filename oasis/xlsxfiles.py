"""Excel workbooks that never run what users typed: a cell text starting with « = » is kept as text, not a formula."""

from __future__ import annotations

import io
from typing import Any

from openpyxl.styles import Font


def workbook_bytes(book: Any) -> bytes:
    """The workbook as bytes, headers in bold and frozen, every would-be formula written as plain text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
