"""Errors raised by imports: each names the file, the line and the reason."""

from __future__ import annotations

from pathlib import Path


class DataFileError(Exception):
    """A data file is refused; nothing has been written."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}, ligne {line}" if line is not None else self.path
        super().__init__(f"{where} : {reason}")
