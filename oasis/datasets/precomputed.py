"""Figures computed once for a data version and kept as files beside the database, read by every server process.

``kept`` (fingerprint.py) looks here after its process cache and before computing: what one process (or ``oasis
precalculer``, run after each import) computed, the others read (a pickle, milliseconds) instead of computing again.
Files live under ``OASIS_PRECALCULS_DIR/<version>/``; the version carries the data version, OASIS's and the APL
parameters', so that a new import or new parameters start a new folder (the old ones are removed by
``oasis precalculer``). Files are written whole, then renamed: a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

MISSING = object()


# The APL model's parameter files (shipped with the code, read by every run): an edited file is a new version.
PARAMETERS_DIR = Path(__file__).resolve().parent.parent / "accessibility" / "parametres"
_digests: dict[tuple[str, float], str] = {}


def _parameters_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(PARAMETERS_DIR.glob("*.json")):
        stat = path.stat()
        key = (str(path), stat.st_mtime)
        if key not in _digests:
            _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        digest.update(_digests[key].encode())
    return digest.hexdigest()[:12]


def root() -> Path | None:
    folder = settings.OASIS_PRECALCULS_DIR
    return Path(folder) if folder else None


def folder_for(version: str) -> Path | None:
    base = root()
    if base is None:
        return None
    name = hashlib.sha256(f"{version}|{_parameters_digest()}".encode()).hexdigest()[:24]
    return base / name


def _path(key: str, version: str) -> Path | None:
    folder = folder_for(version)
    return None if folder is None else folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pickle")


def read(key: str, version: str) -> Any:
    """The value kept for ``key`` on this version, or ``MISSING``."""
    path = _path(key, version)
    if path is None:
        return MISSING
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)  # files written by OASIS itself, in its own folder (mode 0700)
    except FileNotFoundError:
        return MISSING
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return MISSING  # written by another version of the code: computed again, and written anew


def exists(key: str, version: str) -> bool:
    """Whether a value is kept for ``key`` on this version (without reading it)."""
    path = _path(key, version)
    return path is not None and path.is_file()


def write(key: str, version: str, value: Any) -> None:
    path = _path(key, version)
    if path is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # not picklable: kept by the process only
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_other_versions(version: str) -> int:
    """Remove the folders of other versions (older imports, other parameters); the number removed."""
    base, current = root(), folder_for(version)
    if base is None or not base.is_dir():
        return 0
    removed = 0
    for folder in base.iterdir():
        if folder.is_dir() and folder != current:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
