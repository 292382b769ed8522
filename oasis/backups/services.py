"""Backup and restore: the database (native dump of its engine) and the project documents, with a manifest of hashes.

An archive is a ``.tar`` holding ``manifeste.json``, ``base.sqlite3`` (SQLite's online backup) or ``base.pgdump``
(``pg_dump --format=custom``), and ``documents/…``. A restore checks everything before it touches anything — the
manifest's fields, that every member of the archive is in the manifest and whole, every hash, and that the database
is an OASIS database of this engine whose migration history this code knows (core tables present, every table its
history created present) — then replaces the database and the documents folder; the previous documents folder is
kept beside it until the end. Every refusal is a ``BackupError`` of one line; temporary folders never stay behind.
"""

from __future__ import annotations

import glob
import io
import json
import os
import re
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
from django.db.migrations.loader import MigrationLoader

import oasis
from oasis.references.importers.common import file_sha256

FORMAT = 1
MANIFEST = "manifeste.json"
DOCUMENTS = "documents"
DUMP_NAMES = {"sqlite": "base.sqlite3", "postgresql": "base.pgdump"}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

Step = Callable[[str], None]

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# Apps without which a database is not OASIS's: their first migration must be recorded, whatever the version.
CORE_APPS = ("contenttypes", "auth", "accounts", "territories", "projects")

NOT_FOUND = "fichier introuvable"
NOT_A_TAR = "ce n'est pas une archive tar lisible"
UNREADABLE_ARCHIVE = "archive tar illisible ou tronquée"
TRUNCATED = "archive tronquée : « {member} » est incomplet (copie interrompue ?)"
NO_MANIFEST = f"pas de {MANIFEST}, ce n'est pas une sauvegarde OASIS"
MANIFEST_UNREADABLE = f"{MANIFEST} illisible"
MANIFEST_NOT_JSON = f"{MANIFEST} n'est pas du JSON valide"
UNKNOWN_FORMAT = "format de sauvegarde {found} inconnu (attendu : {expected})"
MANIFEST_FIELD = f"{MANIFEST} incomplet ou mal formé : {{field}}"
OTHER_ENGINE = (
    "sauvegarde d'une base {saved}, installation actuelle sur {current} : restaurez-la dans une installation du même moteur"
)
NOT_IN_MANIFEST = "« {member} » est dans l'archive mais pas dans le manifeste"
TWICE_IN_ARCHIVE = "« {member} » figure deux fois dans l'archive"
NOT_A_FILE = "« {member} » n'est pas un fichier ordinaire"
EXTRACTION_REFUSED = "extraction refusée ({reason})"
MISSING = "« {member} » manque dans l'archive"
ALTERED = "« {member} » est altéré (empreinte SHA-256 différente du manifeste)"
DATABASE_UNREADABLE = "« {file} » n'est pas une base {engine} lisible"
NO_HISTORY = "« {file} » n'est pas une base OASIS : pas d'historique des migrations (table django_migrations absente)"
CORE_MISSING = "« {file} » n'est pas une base OASIS : aucune migration de « {app} » enregistrée"
UNKNOWN_MIGRATION = (
    "« {file} » vient d'une autre version d'OASIS : migration {migration} inconnue de celle-ci "
    "({count} au total) ; restaurez-la avec la version qui l'a écrite"
)
INCONSISTENT_HISTORY = "« {file} » a un historique de migrations incohérent : {migration} appliquée sans {dependency}"
TABLE_MISSING = "« {file} » est incomplète : table « {table} » absente alors que son historique de migrations l'a créée"
RESTORE_FAILED = "la restauration de la base a échoué ({reason}) ; les documents n'ont pas été remplacés"


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


def _run(command: list[str], environment: dict[str, str]) -> str:
    """The command's standard output; a failure is a ``BackupError`` with the first line of its error output."""
    completed = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        first = next((line for line in completed.stderr.splitlines() if line.strip()), "")
        raise BackupError(f"{Path(command[0]).name} a échoué : {first.strip()[:500]}")
    return completed.stdout


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
        except sqlite3.Error as error:
            raise BackupError(RESTORE_FAILED.format(reason=error)) from error
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


def _refuse(name: str, reason: str) -> BackupError:
    return BackupError(f"{name} : {reason}.")


def _validate_manifest(manifest: Any, name: str, engine: str) -> dict[str, Any]:
    """The manifest when every field a restore reads is there with its type, for ``engine``; else the first fault."""

    def fault(field: str) -> BackupError:
        return _refuse(name, MANIFEST_FIELD.format(field=field))

    if not isinstance(manifest, dict):
        raise fault("un objet JSON est attendu")
    if manifest.get("format") != FORMAT:
        raise _refuse(name, UNKNOWN_FORMAT.format(found=repr(manifest.get("format")), expected=FORMAT))
    if manifest.get("moteur") not in DUMP_NAMES:
        raise fault(f"« moteur » vaut {manifest.get('moteur')!r} (attendu : {' ou '.join(DUMP_NAMES)})")
    if manifest["moteur"] != engine:
        saved, current = ENGINE_LABELS[manifest["moteur"]], ENGINE_LABELS.get(engine, engine)
        raise _refuse(name, OTHER_ENGINE.format(saved=saved, current=current))
    if not isinstance(manifest.get("cree_le"), str):
        raise fault("« cree_le » absent")
    base = manifest.get("base")
    if not isinstance(base, dict) or base.get("fichier") != DUMP_NAMES[manifest["moteur"]]:
        raise fault(f"« base.fichier » doit valoir « {DUMP_NAMES[manifest['moteur']]} »")
    if not isinstance(base.get("sha256"), str) or not SHA256_HEX.match(base["sha256"]):
        raise fault("« base.sha256 » absent ou qui n'est pas une empreinte SHA-256")
    documents = manifest.get("documents")
    if not isinstance(documents, list):
        raise fault("« documents » absent (une liste est attendue, vide s'il n'y a aucun document)")
    seen: set[str] = set()
    for number, document in enumerate(documents, start=1):
        if not isinstance(document, dict):
            raise fault(f"document n° {number} : un objet est attendu")
        chemin = document.get("chemin")
        if not isinstance(chemin, str) or not _safe_relative(chemin):
            raise fault(f"document n° {number} : « chemin » absent ou hors du dossier des documents ({chemin!r})")
        if not isinstance(document.get("sha256"), str) or not SHA256_HEX.match(document["sha256"]):
            raise fault(f"document « {chemin} » : « sha256 » absent ou qui n'est pas une empreinte SHA-256")
        if chemin in seen:
            raise fault(f"document « {chemin} » listé deux fois")
        seen.add(chemin)
    return manifest


def _safe_relative(chemin: str) -> bool:
    parts = chemin.split("/")
    return bool(chemin) and "\\" not in chemin and "\x00" not in chemin and all(part not in ("", ".", "..") for part in parts)


def _members(archive: tarfile.TarFile, name: str) -> list[tarfile.TarInfo]:
    """Every member of the archive; an archive cut short is refused naming the member it cuts."""
    members: list[tarfile.TarInfo] = []
    try:
        for member in archive:
            members.append(member)
    except (tarfile.TarError, OSError, EOFError) as error:
        if members:  # tarfile stops at the next header, which lies beyond the end of the file
            raise _refuse(name, TRUNCATED.format(member=members[-1].name)) from error
        raise _refuse(name, UNREADABLE_ARCHIVE) from error
    return members


def read_manifest(archive: tarfile.TarFile, name: str, engine: str | None = None) -> dict[str, Any]:
    """The archive's manifest, checked field by field (see ``_validate_manifest``)."""
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError as error:
        raise _refuse(name, NO_MANIFEST) from error
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _refuse(name, UNREADABLE_ARCHIVE) from error
    if member is None:
        raise _refuse(name, MANIFEST_UNREADABLE)
    try:
        manifest = json.loads(member.read().decode("utf-8"))
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _refuse(name, UNREADABLE_ARCHIVE) from error
    except (UnicodeDecodeError, ValueError) as error:
        raise _refuse(name, MANIFEST_NOT_JSON) from error
    return _validate_manifest(manifest, name, engine or connection.vendor)


def _check_members(members: list[tarfile.TarInfo], manifest: dict[str, Any], name: str, size: int) -> None:
    """Every member is the manifest, the database or a listed document, once, a regular file, and whole."""
    expected = {MANIFEST, manifest["base"]["fichier"]} | {f"{DOCUMENTS}/{d['chemin']}" for d in manifest["documents"]}
    seen: set[str] = set()
    for member in members:
        member_name = member.name.removeprefix("./")
        if member.isdir() and (member_name.rstrip("/") == DOCUMENTS or member_name.startswith(f"{DOCUMENTS}/")):
            continue  # a folder of documents carries nothing to check
        if member_name not in expected:
            raise _refuse(name, NOT_IN_MANIFEST.format(member=member_name))
        if not member.isreg():
            raise _refuse(name, NOT_A_FILE.format(member=member_name))
        if member_name in seen:
            raise _refuse(name, TWICE_IN_ARCHIVE.format(member=member_name))
        seen.add(member_name)
        if member.offset_data + member.size > size:
            raise _refuse(name, TRUNCATED.format(member=member_name))


def _check(extracted: Path, manifest: dict[str, Any], name: str) -> None:
    entries = [(manifest["base"]["fichier"], manifest["base"]["sha256"])]
    entries += [(f"{DOCUMENTS}/{d['chemin']}", d["sha256"]) for d in manifest["documents"]]
    for relative, expected in entries:
        path = extracted / relative
        if not path.is_file():
            raise _refuse(name, MISSING.format(member=relative))
        if file_sha256(path) != expected:
            raise _refuse(name, ALTERED.format(member=relative))


def _sqlite_contents(path: Path, name: str) -> tuple[set[str], set[tuple[str, str]] | None]:
    """The tables of a SQLite file and its recorded migrations (None without ``django_migrations``)."""
    label = DATABASE_UNREADABLE.format(file=path.name, engine="SQLite")
    try:
        database = sqlite3.connect(path)
    except sqlite3.Error as error:
        raise _refuse(name, label) from error
    try:
        if database.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise _refuse(name, f"{label} (fichier endommagé)")
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "django_migrations" not in tables:
            return tables, None
        rows = database.execute("SELECT app, name FROM django_migrations")
        return tables, {(str(app), str(migration)) for app, migration in rows}
    except sqlite3.Error as error:  # « file is not a database », a truncated file…
        raise _refuse(name, label) from error
    finally:
        database.close()


PG_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+)")
PG_COPY = re.compile(r"^COPY (?:\S+\.)?\"?django_migrations\"? \(([^)]*)\) FROM stdin;$")


def parse_pg_tables(listing: str) -> set[str]:
    """The tables of a ``pg_restore --list`` listing (``215; 1259 16386 TABLE public auth_user oasis``)."""
    return {match.group(2) for line in listing.splitlines() if (match := PG_TABLE.match(line))}


def parse_pg_migrations(script: str) -> set[tuple[str, str]]:
    """The (app, name) rows of ``django_migrations`` in the SQL that ``pg_restore --data-only`` writes (COPY text)."""
    lines = iter(script.splitlines())
    for line in lines:
        match = PG_COPY.match(line.strip())
        if match is None:
            continue
        columns = [column.strip().strip('"') for column in match.group(1).split(",")]
        app, migration = columns.index("app"), columns.index("name")
        rows = set()
        for row in lines:
            if row == "\\.":
                break
            values = row.split("\t")
            rows.add((values[app], values[migration]))
        return rows
    return set()


def _pg_contents(path: Path, name: str) -> tuple[set[str], set[tuple[str, str]] | None]:
    """The tables of a ``pg_dump --format=custom`` file and its recorded migrations, read with ``pg_restore``."""
    tool, environment = _pg_tool("pg_restore"), dict(os.environ)
    try:
        listing = _run([tool, "--list", str(path)], environment)
    except BackupError as error:
        raise _refuse(name, DATABASE_UNREADABLE.format(file=path.name, engine="PostgreSQL")) from error
    tables = parse_pg_tables(listing)
    if "django_migrations" not in tables:
        return tables, None
    script = _run([tool, "--data-only", "--table=django_migrations", "--file=-", str(path)], environment)
    return tables, parse_pg_migrations(script)


def _model_tables(recorded: set[tuple[str, str]], loader: MigrationLoader) -> set[str]:
    """The tables the recorded migrations create (this engine's names, many-to-many tables included)."""
    state = loader.graph.make_state(nodes=sorted(recorded), at_end=True)
    return {
        model._meta.db_table
        for model in state.apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def check_database(path: Path, name: str) -> None:
    """Refuse a database that is not OASIS's, for this engine, at a schema this code can migrate."""
    tables, recorded = (_sqlite_contents if connection.vendor == "sqlite" else _pg_contents)(path, name)
    file = path.name
    if recorded is None:
        raise _refuse(name, NO_HISTORY.format(file=file))
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = sorted(recorded - set(loader.graph.nodes))
    if unknown:
        raise _refuse(name, UNKNOWN_MIGRATION.format(file=file, migration=".".join(unknown[0]), count=len(unknown)))
    for app in CORE_APPS:
        if not any(root in recorded for root in loader.graph.root_nodes(app)):
            raise _refuse(name, CORE_MISSING.format(file=file, app=app))
    for node in sorted(recorded):
        missing = sorted(parent for parent in loader.graph.node_map[node].parents if parent.key not in recorded)
        if missing:
            migration, dependency = ".".join(node), ".".join(missing[0].key)
            raise _refuse(name, INCONSISTENT_HISTORY.format(file=file, migration=migration, dependency=dependency))
    for table in sorted(_model_tables(recorded, loader)):
        if table not in tables:
            raise _refuse(name, TABLE_MISSING.format(file=file, table=table))


def restore_backup(path: Path, step: Step = lambda _: None) -> dict[str, Any]:
    """Restore an archive written by ``create_backup``; nothing is touched unless every check passes (module doc)."""
    name = path.name
    if not path.is_file():
        raise BackupError(f"{path} : {NOT_FOUND}.")
    if not tarfile.is_tarfile(path):
        raise _refuse(name, NOT_A_TAR)
    root = _documents_root()
    staged = root.with_name(root.name + ".restauration")
    previous = root.with_name(root.name + ".avant-restauration")
    work = Path(tempfile.mkdtemp(prefix="oasis-restauration-"))
    try:
        try:
            with tarfile.open(path, mode="r") as archive:
                members = _members(archive, name)
                manifest = read_manifest(archive, name)
                _check_members(members, manifest, name, path.stat().st_size)
                step("Vérification des empreintes")
                try:
                    archive.extractall(work, filter="data")  # refuses absolute paths, "..", links out of the folder
                except (tarfile.TarError, OSError, EOFError) as error:
                    raise _refuse(name, EXTRACTION_REFUSED.format(reason=error)) from error
        except (tarfile.TarError, EOFError) as error:
            raise _refuse(name, UNREADABLE_ARCHIVE) from error
        _check(work, manifest, name)
        step("Vérification de la base")
        database = work / manifest["base"]["fichier"]
        check_database(database, name)
        shutil.rmtree(staged, ignore_errors=True)
        source_documents = work / DOCUMENTS
        if source_documents.is_dir():
            shutil.copytree(source_documents, staged)
        else:
            staged.mkdir(mode=0o700)
        step("Restauration de la base")
        _restore_database(database)
        step(f"Restauration de {len(manifest['documents'])} document(s)")
        shutil.rmtree(previous, ignore_errors=True)
        if root.exists():
            root.rename(previous)
        staged.rename(root)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(staged, ignore_errors=True)
        if previous.exists() and not root.exists():
            previous.rename(root)  # the documents go back where they were if the swap did not finish
    return manifest
