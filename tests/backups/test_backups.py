"""Backup and restore round trip on the suite's database engine (SQLite, PostgreSQL in CI), and archives refused."""

import hashlib
import io
import json
import re
import sqlite3
import stat
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from oasis.backups import services
from oasis.backups.management.commands.restauration import ABANDONED
from oasis.backups.services import DOCUMENTS, DUMP_NAMES, FORMAT, MANIFEST, BackupError, restore_backup


@pytest.fixture
def documents(settings, tmp_path):
    root = tmp_path / "documents"
    (root / "projets" / "1").mkdir(parents=True)
    (root / "projets" / "1" / "convention.pdf").write_bytes(b"%PDF-1.7 convention")
    settings.MEDIA_ROOT = root
    return root


def backup(directory):
    out = io.StringIO()
    call_command("sauvegarde", dossier=directory, stdout=out)
    (archive,) = directory.glob("oasis-sauvegarde-*.tar")
    assert str(archive) in out.getvalue()
    return archive


def users():
    return set(get_user_model().objects.values_list("username", flat=True))


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_the_database_and_the_documents(documents, tmp_path, national):
    get_user_model().objects.create_user(username="avant@oasis.test", password="x" * 16)
    archive = backup(tmp_path / "sauvegardes")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile(MANIFEST))
    assert manifest["moteur"] == connection.vendor
    assert [d["chemin"] for d in manifest["documents"]] == ["projets/1/convention.pdf"]

    # After the backup: an account deleted, another created, a document lost, a stray file.
    get_user_model().objects.filter(username="avant@oasis.test").delete()
    get_user_model().objects.create_user(username="apres@oasis.test", password="x" * 16)
    (documents / "projets" / "1" / "convention.pdf").unlink()
    (documents / "egare.txt").write_text("?")

    out = io.StringIO()
    call_command("restauration", str(archive), oui=True, stdout=out)
    assert "restaurée" in out.getvalue()
    assert "avant@oasis.test" in users() and "apres@oasis.test" not in users()
    assert (documents / "projets" / "1" / "convention.pdf").read_bytes() == b"%PDF-1.7 convention"
    assert not (documents / "egare.txt").exists()
    from oasis.territories.models import Commune

    assert Commune.objects.filter(code_insee="86194").exists()  # the national data came back too


def _rewrite(archive, target, change):
    """Copy ``archive`` to ``target`` with ``change(name, bytes) -> bytes | None`` applied (None drops the member)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_before_anything_is_touched(documents, tmp_path, national):
    archive = backup(tmp_path / "sauvegardes")
    before = users()
    tampered = _rewrite(archive, tmp_path / "altere.tar", lambda name, data: data + b"!" if name.endswith(".pdf") else data)
    with pytest.raises(BackupError, match=re.escape("« documents/projets/1/convention.pdf » est altéré")):
        restore_backup(tampered)
    missing = _rewrite(archive, tmp_path / "incomplet.tar", lambda name, data: None if name.endswith(".pdf") else data)
    with pytest.raises(BackupError, match="manque dans l'archive"):
        restore_backup(missing)
    no_manifest = _rewrite(archive, tmp_path / "sans.tar", lambda name, data: None if name == MANIFEST else data)
    with pytest.raises(BackupError, match="pas une sauvegarde OASIS"):
        restore_backup(no_manifest)

    def other_engine(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["moteur"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError, match="restaurez-la dans une installation du même moteur"):
        restore_backup(_rewrite(archive, tmp_path / "moteur.tar", other_engine))
    (tmp_path / "texte.tar").write_text("pas une archive")
    with pytest.raises(CommandError, match=re.escape("texte.tar : ce n'est pas une archive tar lisible")):
        call_command("restauration", str(tmp_path / "texte.tar"), oui=True)
    assert users() == before
    assert (documents / "projets" / "1" / "convention.pdf").read_bytes() == b"%PDF-1.7 convention"
    assert not Path(str(documents) + ".restauration").exists()


@pytest.mark.django_db
def test_a_member_escaping_the_folder_is_refused(documents, tmp_path, national):
    archive = backup(tmp_path / "sauvegardes")
    evil = tmp_path / "evasion.tar"
    with tarfile.open(archive) as source, tarfile.open(evil, "w") as copy:
        for member in source.getmembers():
            copy.addfile(member, source.extractfile(member))
        payload = b"pirate"
        info = tarfile.TarInfo("../../pirate.txt")
        info.size = len(payload)
        copy.addfile(info, io.BytesIO(payload))
    with pytest.raises(BackupError) as refused:  # before any extraction
        restore_backup(evil)
    assert str(refused.value) == f"evasion.tar : {services.NOT_IN_MANIFEST.format(member='../../pirate.txt')}."
    assert not (tmp_path.parent / "pirate.txt").exists()


# --- Forged archives: each is refused before anything is touched, in one line, and leaves no folder behind ---------

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="forged SQLite files; the PostgreSQL dump is read by test_pg_listing_*"
)


@pytest.fixture
def no_leftovers(documents, tmp_path, monkeypatch):
    """Temporary folders made in a folder of the test's own; after the test, the documents are intact and nothing
    else remains: no temporary extraction, no ``documents.restauration`` nor ``documents.avant-restauration``."""
    scratch = tmp_path / "temporaire"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = users()
    yield
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in documents.parent.iterdir() if p.name.startswith("documents")) == ["documents"]
    assert (documents / "projets" / "1" / "convention.pdf").read_bytes() == b"%PDF-1.7 convention"
    assert users() == before


@pytest.fixture(scope="module")
def oasis_sqlite(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """A copy of the suite's SQLite database (every table, the whole migration history), emptied of its rows."""
    path = tmp_path_factory.mktemp("base") / "oasis.sqlite3"
    with django_db_blocker.unblock():
        services._dump_database(path)
    database = sqlite3.connect(path)
    database.execute("PRAGMA foreign_keys = OFF")
    tables = [row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if table != "django_migrations" and not table.startswith("sqlite_"):
            database.execute(f'DELETE FROM "{table}"')
    database.commit()
    database.execute("PRAGMA journal_mode = DELETE")
    database.execute("VACUUM")
    database.close()
    return path


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def forge(
    target: Path,
    base: bytes,
    documents: dict[str, bytes] | None = None,
    extra: list[tuple[str, bytes]] = (),
    edit=lambda manifest: None,
) -> Path:
    """An archive whose manifest is recomputed over what it holds (hashes right), as someone forging it would."""
    documents = documents or {}
    manifest = {
        "format": FORMAT,
        "oasis": "0",
        "moteur": connection.vendor,
        "cree_le": "2026-12-07T10:00:00+01:00",
        "base": {"fichier": DUMP_NAMES[connection.vendor], "sha256": _sha256(base), "octets": len(base)},
        "documents": [{"chemin": k, "sha256": _sha256(v), "octets": len(v)} for k, v in documents.items()],
    }
    edit(manifest)
    members = [(MANIFEST, json.dumps(manifest).encode()), (DUMP_NAMES[connection.vendor], base)]
    members += [(f"{DOCUMENTS}/{k}", v) for k, v in documents.items()] + list(extra)
    with tarfile.open(target, "w") as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return target


def database_of(source: Path, tmp_path: Path, change=None) -> bytes:
    """A copy of the SQLite database ``source``, changed by ``change(sqlite3 connection)``."""
    path = tmp_path / "base-forgee.sqlite3"
    path.write_bytes(source.read_bytes())
    if change is not None:
        database = sqlite3.connect(path)
        database.execute("PRAGMA foreign_keys = OFF")
        change(database)
        database.commit()
        database.close()
    return path.read_bytes()


def refused(archive: Path) -> str:
    """The one-line reason ``oasis restauration`` gives (a ``CommandError``, never another exception)."""
    with pytest.raises(CommandError) as raised:
        call_command("restauration", str(archive), oui=True, stdout=io.StringIO())
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"{archive.name} : ")
    return message


def expected(archive: Path, reason: str) -> str:
    return f"{archive.name} : {reason}."


@sqlite_only
@pytest.mark.django_db
@pytest.mark.usefixtures("no_leftovers")
def test_a_database_that_is_not_oasis_is_refused(tmp_path):
    file = DUMP_NAMES["sqlite"]

    empty = forge(tmp_path / "vide.tar", b"")  # an empty SQLite file: a database without any table
    assert refused(empty) == expected(empty, services.NO_HISTORY.format(file=file))

    def other_application(database):
        database.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT)")

    other = forge(tmp_path / "autre.tar", _fresh_sqlite(tmp_path, other_application))
    assert refused(other) == expected(other, services.NO_HISTORY.format(file=file))

    garbage = forge(tmp_path / "dechets.tar", b"SQLite format 3\x00" + bytes(range(256)) * 16)
    assert refused(garbage) == expected(garbage, services.DATABASE_UNREADABLE.format(file=file, engine="SQLite"))
    text = forge(tmp_path / "texte.tar", b"ceci n'est pas une base")
    assert refused(text) == expected(text, services.DATABASE_UNREADABLE.format(file=file, engine="SQLite"))


def _extracted_base(archive: Path, tmp_path: Path) -> Path:
    path = tmp_path / "extraite.sqlite3"
    with tarfile.open(archive) as opened:
        path.write_bytes(opened.extractfile(DUMP_NAMES["sqlite"]).read())
    return path


def _fresh_sqlite(tmp_path: Path, change) -> bytes:
    path = tmp_path / "neuve.sqlite3"
    database = sqlite3.connect(path)
    change(database)
    database.commit()
    database.close()
    return path.read_bytes()


@sqlite_only
@pytest.mark.django_db
@pytest.mark.usefixtures("no_leftovers")
def test_an_oasis_database_missing_a_table_or_its_history_is_refused(tmp_path, oasis_sqlite):
    archive, file = oasis_sqlite, DUMP_NAMES["sqlite"]
    (tmp_path / "x").mkdir()
    whole = forge(tmp_path / "entiere.tar", database_of(archive, tmp_path / "x"))
    assert services.check_database(_extracted_base(whole, tmp_path), "entiere.tar") is None  # the copy itself passes

    no_projects = forge(
        tmp_path / "sans-projets.tar", database_of(archive, tmp_path / "x", lambda db: db.execute("DROP TABLE projects_project"))
    )
    assert refused(no_projects) == expected(no_projects, services.TABLE_MISSING.format(file=file, table="projects_project"))

    def forget_projects(database):
        database.execute("DELETE FROM django_migrations WHERE app IN ('projects', 'committees', 'recruitment', 'notifications')")

    forgotten = forge(tmp_path / "sans-historique.tar", database_of(archive, tmp_path / "x", forget_projects))
    assert refused(forgotten) == expected(forgotten, services.CORE_MISSING.format(file=file, app="projects"))

    def no_history(database):
        database.execute("DROP TABLE django_migrations")

    bare = forge(tmp_path / "sans-migrations.tar", database_of(archive, tmp_path / "x", no_history))
    assert refused(bare) == expected(bare, services.NO_HISTORY.format(file=file))


@sqlite_only
@pytest.mark.django_db
@pytest.mark.usefixtures("no_leftovers")
def test_a_database_of_another_version_or_with_a_broken_history_is_refused(tmp_path, oasis_sqlite):
    archive, file = oasis_sqlite, DUMP_NAMES["sqlite"]
    (tmp_path / "x").mkdir()

    def newer(database):
        database.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('projects', '9999_futur', '2027-01-01')")
        database.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('inconnue', '0001_initial', '2027-01-01')")

    future = forge(tmp_path / "future.tar", database_of(archive, tmp_path / "x", newer))
    message = services.UNKNOWN_MIGRATION.format(file=file, migration="inconnue.0001_initial", count=2)
    assert refused(future) == expected(future, message)

    def skipped(database):
        database.execute("DELETE FROM django_migrations WHERE app = 'accounts' AND name = '0002_partner_roles'")

    holed = forge(tmp_path / "trou.tar", database_of(archive, tmp_path / "x", skipped))
    message = services.INCONSISTENT_HISTORY.format(
        file=file, migration="accounts.0003_porteur", dependency="accounts.0002_partner_roles"
    )
    assert refused(holed) == expected(holed, message)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_leftovers")
def test_a_member_not_in_the_manifest_is_refused(tmp_path):
    base = b"base" * 1000  # refused before the database is read
    pdf = {"projets/1/convention.pdf": b"%PDF-1.7 autre"}

    stowaway = forge(tmp_path / "passager.tar", base, pdf, extra=[("documents/projets/1/intrus.pdf", b"%PDF intrus")])
    assert refused(stowaway) == expected(stowaway, services.NOT_IN_MANIFEST.format(member="documents/projets/1/intrus.pdf"))
    beside = forge(tmp_path / "a-cote.tar", base, pdf, extra=[("lisezmoi.txt", b"?")])
    assert refused(beside) == expected(beside, services.NOT_IN_MANIFEST.format(member="lisezmoi.txt"))
    twice = forge(tmp_path / "double.tar", base, pdf, extra=[("documents/projets/1/convention.pdf", b"%PDF-1.7 remplacee")])
    assert refused(twice) == expected(twice, services.TWICE_IN_ARCHIVE.format(member="documents/projets/1/convention.pdf"))

    link = tmp_path / "lien.tar"
    forge(link, base, edit=lambda m: m["documents"].append({"chemin": "lien", "sha256": "0" * 64, "octets": 0}))
    with tarfile.open(link, "a") as opened:
        info = tarfile.TarInfo("documents/lien")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        opened.addfile(info)
    assert refused(link) == expected(link, services.NOT_A_FILE.format(member="documents/lien"))


@pytest.mark.django_db
@pytest.mark.usefixtures("no_leftovers")
def test_a_truncated_archive_is_refused(tmp_path):
    archive = forge(tmp_path / "entiere.tar", b"base" * 10_000, {"projets/1/convention.pdf": b"%PDF-1.7 autre"})
    data = archive.read_bytes()
    with tarfile.open(archive) as opened:
        manifest, base = opened.getmember(MANIFEST), opened.getmember(DUMP_NAMES[connection.vendor])
    in_base = tmp_path / "coupee-base.tar"
    in_base.write_bytes(data[: base.offset_data + base.size // 2])
    assert refused(in_base) == expected(in_base, services.TRUNCATED.format(member=DUMP_NAMES[connection.vendor]))
    in_manifest = tmp_path / "coupee-manifeste.tar"
    in_manifest.write_bytes(data[: manifest.offset_data + manifest.size // 2])
    assert refused(in_manifest) == expected(in_manifest, services.TRUNCATED.format(member=MANIFEST))
    header_only = tmp_path / "coupee-entete.tar"
    header_only.write_bytes(data[:300])
    assert refused(header_only) == expected(header_only, services.NOT_A_TAR)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_leftovers")
@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda m: m.pop("documents"), "« documents » absent (une liste est attendue, vide s'il n'y a aucun document)"),
        (
            lambda m: m.update(documents={"chemin": "x"}),
            "« documents » absent (une liste est attendue, vide s'il n'y a aucun document)",
        ),
        (lambda m: m["base"].pop("sha256"), "« base.sha256 » absent ou qui n'est pas une empreinte SHA-256"),
        (lambda m: m["base"].update(sha256="abc"), "« base.sha256 » absent ou qui n'est pas une empreinte SHA-256"),
        (lambda m: m.pop("base"), "« base.fichier » doit valoir « {dump} »"),
        (lambda m: m["base"].update(fichier="../../base.sqlite3"), "« base.fichier » doit valoir « {dump} »"),
        (lambda m: m.pop("moteur"), "« moteur » vaut None (attendu : sqlite ou postgresql)"),
        (lambda m: m.pop("cree_le"), "« cree_le » absent"),
        (
            lambda m: m["documents"][0].pop("sha256"),
            "document « projets/1/convention.pdf » : « sha256 » absent ou qui n'est pas une empreinte SHA-256",
        ),
        (
            lambda m: m["documents"][0].update(chemin="../../pirate.txt"),
            "document n° 1 : « chemin » absent ou hors du dossier des documents ('../../pirate.txt')",
        ),
        (
            lambda m: m["documents"][0].update(chemin="/etc/passwd"),
            "document n° 1 : « chemin » absent ou hors du dossier des documents ('/etc/passwd')",
        ),
        (lambda m: m["documents"].append(m["documents"][0]), "document « projets/1/convention.pdf » listé deux fois"),
        (lambda m: m["documents"].append("convention.pdf"), "document n° 2 : un objet est attendu"),
    ],
)
def test_a_manifest_missing_a_field_is_refused(tmp_path, edit, field):
    base = b"base" * 1000  # refused before the database is read
    forged = forge(tmp_path / "manifeste.tar", base, {"projets/1/convention.pdf": b"%PDF-1.7 autre"}, edit=edit)
    reason = services.MANIFEST_FIELD.format(field=field.format(dump=DUMP_NAMES[connection.vendor]))
    assert refused(forged) == expected(forged, reason)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_leftovers")
def test_a_manifest_that_is_no_object_is_refused(tmp_path):
    for name, text, reason in [
        ("liste.tar", b"[1, 2]", services.MANIFEST_FIELD.format(field="un objet JSON est attendu")),
        ("binaire.tar", b"\xff\xfe{", services.MANIFEST_NOT_JSON),
        ("format.tar", b'{"format": 2}', services.UNKNOWN_FORMAT.format(found="2", expected=FORMAT)),
    ]:
        forged = tmp_path / name
        with tarfile.open(forged, "w") as opened:
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(text)
            opened.addfile(info, io.BytesIO(text))
        assert refused(forged) == expected(forged, reason)


def test_pg_listing_and_migrations_are_read_from_pg_restore_output():
    listing = """;
; Archive created at 2026-12-07 02:30:01 UTC
;     dbname: oasis
;
; Selected TOC Entries:
;
215; 1259 16386 TABLE public auth_group oasis
214; 1259 16385 SEQUENCE public auth_group_id_seq oasis
3560; 0 16386 TABLE DATA public auth_group oasis
230; 1259 16420 TABLE public django_migrations oasis
3575; 0 16420 TABLE DATA public django_migrations oasis
"""
    assert services.parse_pg_tables(listing) == {"auth_group", "django_migrations"}
    script = """--
-- Data for Name: django_migrations; Type: TABLE DATA; Schema: public; Owner: oasis
--

COPY public.django_migrations (id, app, name, applied) FROM stdin;
1\tcontenttypes\t0001_initial\t2026-12-01 10:00:00.123456+00
2\tauth\t0001_initial\t2026-12-01 10:00:00.234567+00
\\.


--
"""
    assert services.parse_pg_migrations(script) == {("contenttypes", "0001_initial"), ("auth", "0001_initial")}
    assert services.parse_pg_migrations("-- nothing\n") == set()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_leftovers")
@pytest.mark.parametrize("answer", ["", "non\n", "peut-être\n"])
def test_without_a_yes_nothing_is_restored_even_without_a_terminal(tmp_path, monkeypatch, answer):
    archive = forge(tmp_path / "bonne.tar", b"base")
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))  # "": no terminal at all, input() meets the end of file
    with pytest.raises(CommandError) as raised:
        call_command("restauration", str(archive), stdout=io.StringIO())
    assert str(raised.value) == ABANDONED
