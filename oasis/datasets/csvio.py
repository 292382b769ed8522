"""Strict CSV reading (line numbers in every error) and deterministic writing."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from oasis.datasets.errors import DataFileError

UNREADABLE = "fichier illisible"
"""A file that cannot be opened or read (followed by the system's reason)."""
CODE_INSEE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """Read a whole text file, naming the line of the first undecodable byte."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(path, None, f"{UNREADABLE} ({error.strerror})") from error
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise DataFileError(path, None, f"archive gzip tronquée ou corrompue ({error})") from error
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataFileError(path, line, f"encodage invalide : l'octet 0x{raw[error.start]:02x} n'est pas de l'UTF-8") from error


def read_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DataFileError(path, error.lineno, f"JSON invalide ({error.msg}, colonne {error.colno})") from error


def iter_csv(
    path: Path,
    required: Sequence[str],
    *,
    delimiter: str = ",",
    skip_lines: int = 0,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each data row, refusing a wrong header or a ragged row."""
    text = read_text(path).lstrip("\ufeff")
    lines = io.StringIO(text)
    for _ in range(skip_lines):
        lines.readline()
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        raise DataFileError(path, skip_lines + 1, "fichier vide : en-tête attendu") from None
    except csv.Error as error:
        raise DataFileError(path, skip_lines + 1, f"CSV invalide ({error})") from error
    missing = [name for name in required if name not in header]
    if missing:
        raise DataFileError(
            path,
            skip_lines + 1,
            f"colonnes manquantes : {', '.join(missing)} (en-tête lu : {', '.join(header)})",
        )
    width = len(header)
    try:
        for values in reader:
            line = reader.line_num + skip_lines
            if not values or all(not value.strip() for value in values):
                continue
            if len(values) != width:
                raise DataFileError(
                    path,
                    line,
                    f"{len(values)} champs au lieu de {width} (ligne tronquée ou séparateur en trop)",
                )
            yield line, dict(zip(header, values, strict=True))
    except csv.Error as error:
        raise DataFileError(path, reader.line_num + skip_lines, f"CSV invalide ({error})") from error


def parse_int(path: Path, line: int, column: str, value: str, *, minimum: int | None = 0) -> int:
    text = value.strip()
    try:
        number = float(text) if "." in text else int(text)
    except ValueError:
        raise DataFileError(path, line, f"colonne {column} : « {value} » n'est pas un nombre entier") from None
    if isinstance(number, float):
        if not number.is_integer():
            raise DataFileError(path, line, f"colonne {column} : « {value} » n'est pas un nombre entier")
        number = int(number)
    if minimum is not None and number < minimum:
        raise DataFileError(path, line, f"colonne {column} : {number} est inférieur à {minimum}")
    return number


def parse_float(
    path: Path,
    line: int,
    column: str,
    value: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        raise DataFileError(path, line, f"colonne {column} : « {value} » n'est pas un nombre") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise DataFileError(path, line, f"colonne {column} : valeur non finie")
    if minimum is not None and number < minimum:
        raise DataFileError(path, line, f"colonne {column} : {number} est inférieur à {minimum}")
    if maximum is not None and number > maximum:
        raise DataFileError(path, line, f"colonne {column} : {number} est supérieur à {maximum}")
    return number


def parse_code_insee(path: Path, line: int, column: str, value: str) -> str:
    code = value.strip()
    if not CODE_INSEE_RE.match(code):
        raise DataFileError(path, line, f"colonne {column} : « {value} » n'est pas un code INSEE de commune")
    return code


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Serialise rows to CSV bytes (UTF-8, newline line ends), deterministically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8")


def write_gzip(path: Path, content: bytes) -> None:
    """Write gzip with a fixed header (no name, mtime 0) so that builds are reproducible."""
    with path.open("wb") as handle, gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as archive:
        archive.write(content)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
