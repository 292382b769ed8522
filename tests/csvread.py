"""Reading the CSV files OASIS serves the way French Excel does: UTF-8 with a byte-order mark, « ; », decimal comma."""

from __future__ import annotations

import csv
import io


def french_rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode()), "a CSV for French Excel starts with the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def french_number(text: str) -> float:
    assert "." not in text, f"decimal point in a French CSV: {text!r}"
    return float(text.replace(",", "."))
