"""Backup and restore: the database (native dump of its engine) and the project documents, with a manifest of hashes.

An archive is a ``.tar`` holding ``manifeste.json``, ``base.sqlite3`` (SQLite's online backup) or ``base.pgdump``
(``pg_dump --format=custom``), and ``documents/…``. A restore checks every hash before it touches anything, then
replaces the database and the documents folder; the previous documents folder is kept beside it until the end.
"""

from __future__ import annotations

import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

import oasis
from oasis.references.importers.common import file_sha256

FORMAT = 1
MANIFEST = "manifeste.json"
DOCUMENTS = "documents"
DUMP_NAMES = {"sqlite": "base.sqlite3", "postgresql": "base.pgdump"}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

Step = Callable[[str], None]


class BackupError(Exception):
    """The backup or the restore could not be done; the message says what and where."""


@dataclass
class BackupSummary:
    path: Path
    engine: str
    documents: int
    bytes: int


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise BackupError(f"Commande « {name} » introuvable : installez le client PostgreSQL (Debian : postgresql-client).")
    return found


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    arguments = ["--host", str(db["HOST"] or "127.0.0.1"), "--port", str(db["PORT"] or 5432), "--username", str(db["USER"])]
    environment = os.environ | ({"PGPASSWORD": str(db["PASSWORD"])} if db["PASSWORD"] else {})
    return [*arguments, "--dbname", str(db["NAME"])], environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} a échoué : {completed.stderr.strip()[:2000]}")


def _dump_database(target: Path) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        arguments, environment = _pg_environment()
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *arguments, "--file", str(target)],
            environment,
        )


def _restore_database(source: Path) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        arguments, environment = _pg_environment()
        connection.close()  # pg_restore drops and recreates the tables this connection may hold
        _run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                *arguments,
                str(source),
            ],
            environment,
        )


def _documents_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def create_backup(directory: Path, step: Step = lambda _: None) -> BackupSummary:
    """Write ``oasis-sauvegarde-<date>.tar`` into ``directory`` (owner-only) and say what it holds."""
    engine = connection.vendor
    if engine not in DUMP_NAMES:
        raise BackupError(f"Moteur de base non pris en charge : {engine}.")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"oasis-sauvegarde-{stamp}.tar"
    with tempfile.TemporaryDirectory(prefix="oasis-sauvegarde-") as work:
        dump = Path(work) / DUMP_NAMES[engine]
        step(f"Copie de la base {ENGINE_LABELS[engine]}")
        _dump_database(dump)
        root = _documents_root()
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        step(f"Empreintes de {len(files)} document(s)")
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "oasis": oasis.__version__,
            "moteur": engine,
            "cree_le": datetime.now().astimezone().isoformat(timespec="seconds"),
            "base": {"fichier": dump.name, "sha256": file_sha256(dump), "octets": dump.stat().st_size},
            "documents": [
                {"chemin": f.relative_to(root).as_posix(), "sha256": file_sha256(f), "octets": f.stat().st_size} for f in files
            ],
        }
        step("Écriture de l'archive")
        partial = path.with_suffix(".tar.partiel")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream, tarfile.open(fileobj=stream, mode="w") as archive:
            text = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(text)
            archive.addfile(info, io.BytesIO(text))
            archive.add(dump, arcname=dump.name)
            for f in files:
                archive.add(f, arcname=f"{DOCUMENTS}/{f.relative_to(root).as_posix()}")
        partial.rename(path)
    return BackupSummary(path, engine, len(manifest["documents"]), path.stat().st_size)


def read_manifest(archive: tarfile.TarFile, name: str) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError as error:
        raise BackupError(f"{name} : pas de {MANIFEST}, ce n'est pas une sauvegarde OASIS.") from error
    if member is None:
        raise BackupError(f"{name} : {MANIFEST} illisible.")
    try:
        manifest: dict[str, Any] = json.load(member)
    except ValueError as error:
        raise BackupError(f"{name} : {MANIFEST} n'est pas du JSON valide ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{name} : format de sauvegarde {manifest.get('format')!r} inconnu (attendu : {FORMAT}).")
    return manifest


def _check(extracted: Path, manifest: dict[str, Any], name: str) -> None:
    entries = [(manifest["base"]["fichier"], manifest["base"]["sha256"])]
    entries += [(f"{DOCUMENTS}/{d['chemin']}", d["sha256"]) for d in manifest["documents"]]
    for relative, expected in entries:
        path = extracted / relative
        if not path.is_file():
            raise BackupError(f"{name} : « {relative} » manque dans l'archive.")
        if file_sha256(path) != expected:
            raise BackupError(f"{name} : « {relative} » est altéré (empreinte SHA-256 différente du manifeste).")


def restore_backup(path: Path, step: Step = lambda _: None) -> dict[str, Any]:
    """Restore an archive written by ``create_backup``; nothing is touched unless every file checks out."""
    name = path.name
    if not path.is_file():
        raise BackupError(f"{path} : fichier introuvable.")
    if not tarfile.is_tarfile(path):
        raise BackupError(f"{name} : ce n'est pas une archive tar lisible.")
    with tarfile.open(path, mode="r") as archive, tempfile.TemporaryDirectory(prefix="oasis-restauration-") as work:
        manifest = read_manifest(archive, name)
        if manifest["moteur"] != connection.vendor:
            raise BackupError(
                f"{name} : sauvegarde d'une base {ENGINE_LABELS.get(manifest['moteur'], manifest['moteur'])}, "
                f"installation actuelle sur {ENGINE_LABELS.get(connection.vendor, connection.vendor)} : "
                "restaurez-la dans une installation du même moteur."
            )
        step("Vérification des empreintes")
        try:
            archive.extractall(work, filter="data")  # refuses absolute paths, "..", links out of the folder
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"{name} : extraction refusée ({error}).") from error
        extracted = Path(work)
        _check(extracted, manifest, name)
        root = _documents_root()
        staged = root.with_name(root.name + ".restauration")
        shutil.rmtree(staged, ignore_errors=True)
        source_documents = extracted / DOCUMENTS
        if source_documents.is_dir():
            shutil.copytree(source_documents, staged)
        else:
            staged.mkdir(mode=0o700)
        step("Restauration de la base")
        _restore_database(extracted / manifest["base"]["fichier"])
        step(f"Restauration de {len(manifest['documents'])} document(s)")
        previous = root.with_name(root.name + ".avant-restauration")
        shutil.rmtree(previous, ignore_errors=True)
        if root.exists():
            root.rename(previous)
        staged.rename(root)
        shutil.rmtree(previous, ignore_errors=True)
    return manifest
