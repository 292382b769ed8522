"""``oasis data update``: fetch the current official files, import what changed, recompute the runs that depend on it.

Files come from the addresses of ``settings.OASIS_REFERENCE_URLS`` (one or more per reference), or from a folder
(``depuis``) for a machine without internet. Each file goes through the importer a user runs by hand, so an update is
as all-or-nothing and idempotent as an import: a file already imported (same SHA-256) changes nothing.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings

from oasis.datasets.errors import DataFileError
from oasis.references.enums import ReferenceKind
from oasis.references.importers import IMPORTERS, ImportReport, run_import
from oasis.references.importers.common import Progress, no_progress

CHUNK = 1 << 16

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (ReferenceKind.DREES_APL, re.compile(r"apl.*\.xlsx$", re.IGNORECASE)),
    (ReferenceKind.RPPS, re.compile(r"(personne_activite.*\.txt|ps_libreacces.*\.zip)$", re.IGNORECASE)),
    (ReferenceKind.FINESS, re.compile(r"(cs1100507|finess).*\.csv$", re.IGNORECASE)),
    (ReferenceKind.ZONAGE, re.compile(r"zonage.*\.csv$", re.IGNORECASE)),
)
"""How a file of a ``depuis`` folder is recognised (in this order: zoning files last)."""

Download = Callable[[str, int], None]
"""A progress callback: (file name, bytes received since the last call)."""


class UpdateError(Exception):
    """A file could not be fetched; nothing of that reference was imported."""


@dataclass
class UpdateReport:
    imported: list[ImportReport] = field(default_factory=list)
    unchanged: list[ImportReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    recomputed: list[str] = field(default_factory=list)


def _name_from(url: str, response: object) -> str:
    disposition = getattr(response, "headers", {}).get("Content-Disposition", "") or ""
    match = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', disposition)
    if match:
        return Path(unquote(match.group(1))).name
    return Path(unquote(urlparse(url).path)).name or "telechargement"


def download(url: str, folder: Path, progress: Download) -> Path:
    """Fetch ``url`` into ``folder`` (streamed, with a timeout); the file keeps the publisher's name."""
    request = urllib.request.Request(url, headers={"User-Agent": "OASIS (oasis-sante)"})
    try:
        with urllib.request.urlopen(request, timeout=settings.OASIS_DOWNLOAD_TIMEOUT_SECONDS) as response:
            target = folder / _name_from(url, response)
            with target.open("wb") as output:
                while block := response.read(CHUNK):
                    output.write(block)
                    progress(target.name, len(block))
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise UpdateError(f"{url} : téléchargement impossible ({getattr(error, 'reason', error)})") from error
    return target


def files_in(folder: Path) -> Iterator[tuple[str, Path]]:
    """(reference, path) for each official file of a folder, recognised by its name."""
    for path in sorted(folder.iterdir()):
        kind = next((kind for kind, pattern in PATTERNS if pattern.search(path.name)), None)
        if kind is not None and path.is_file():
            yield kind, path


@contextmanager
def _workspace() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="oasis-maj-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def update(
    depuis: Path | None = None,
    *,
    on_download: Download = lambda _name, _size: None,
    on_step: Callable[[str], None] = lambda _label: None,
    progress_for: Callable[[str, int], Progress] = lambda _label, _stages: no_progress,
) -> UpdateReport:
    """Fetch (or read from ``depuis``), import what changed, recompute dependent runs; see the module contract."""
    report = UpdateReport()
    with _workspace() as folder:
        if depuis is not None:
            files = list(files_in(depuis))
        else:
            files = []
            for kind, urls in settings.OASIS_REFERENCE_URLS.items():
                if not urls:
                    report.skipped.append(f"{ReferenceKind(kind).label} : aucune adresse configurée")
                for url in urls:
                    on_step(f"téléchargement {url}")
                    files.append((kind, download(url, folder, on_download)))
        for kind, path in files:
            progress = progress_for(f"import {path.name}", IMPORTERS[kind].stages)
            try:
                result = run_import(kind, path, progress=progress)
            except DataFileError as error:
                raise UpdateError(
                    f"Fichier refusé ({ReferenceKind(kind).label}), la base garde l'état précédent : {error}"
                ) from error
            if result.skipped:
                progress(IMPORTERS[kind].stages)  # nothing to do: the bar completes at once
            (report.unchanged if result.skipped else report.imported).append(result)
    if any(result.reference.kind == ReferenceKind.RPPS for result in report.imported):
        report.recomputed = _recompute(on_step)
    return report


def _recompute(on_step: Callable[[str], None]) -> list[str]:
    """The model's runs read the Annuaire santé counts: compute today's run of each profession."""
    from oasis.accessibility.runs import current_run
    from oasis.supply.enums import PROFESSIONS

    done = []
    for profession in PROFESSIONS:
        on_step(f"calcul de l'APL estimée : {profession.label}")
        run = current_run(profession.value)
        done.append(f"{profession.label} (calcul n° {run.pk})")
    return done
