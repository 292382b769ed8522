"""Backup and restore round trip on the suite's database engine (SQLite, PostgreSQL in CI), and archives refused."""

import io
import json
import re
import stat
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from oasis.backups.services import MANIFEST, BackupError, restore_backup


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
    with pytest.raises(BackupError, match="extraction refusée"):
        restore_backup(evil)
    assert not (tmp_path.parent / "pirate.txt").exists()
