"""CSV files that open as a table in the spreadsheet their reader uses.

French offices open CSV in Excel set to French: columns split on « ; », decimals written with a comma, and the file
read as UTF-8 only when it starts with a byte-order mark. That is the default of every download; ``international``
(« , » and « . », no mark) serves scripts and other tools. Cells a spreadsheet would run as formulas (starting with
=, +, -, @, tab or carriage return) are written as text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

DECIMAL = re.compile(r"^-?\d+\.\d+$")
_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


@dataclass(frozen=True)
class CsvDialect:
    name: str
    delimiter: str
    decimal: str
    bom: bool

    def cell(self, value: Any) -> Any:
        if isinstance(value, bool) or value is None:
            return "" if value is None else int(value)
        if isinstance(value, (float, Decimal)):
            value = format(value, "f") if isinstance(value, Decimal) else repr(value)
        if isinstance(value, str):
            if DECIMAL.match(value):
                return value.replace(".", self.decimal)
            if value.startswith(FORMULA_START) and not _NUMBER.match(value):
                return "'" + value
        return value

    def rows(self, buffer: io.StringIO) -> CsvWriter:
        return CsvWriter(self, buffer)

    def document(self, buffer: io.StringIO) -> str:
        return (BOM if self.bom else "") + buffer.getvalue()


class CsvWriter:
    def __init__(self, dialect: CsvDialect, buffer: io.StringIO) -> None:
        self.dialect = dialect
        self._writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n" if dialect.bom else "\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([self.dialect.cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


FRENCH = CsvDialect("francais", ";", ",", True)
INTERNATIONAL = CsvDialect("international", ",", ".", False)


def dialect_named(name: str | None) -> CsvDialect:
    """``?format=international`` → « , » and « . »; anything else → the French default."""
    return INTERNATIONAL if (name or "").strip().lower() == INTERNATIONAL.name else FRENCH


def to_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]], dialect: CsvDialect = FRENCH) -> str:
    buffer = io.StringIO()
    writer = dialect.rows(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return dialect.document(buffer)
