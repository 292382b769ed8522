"""``oasis data import REFERENCE FICHIER`` (import_reference): a summary of what changed, a missing or malformed file
refused by name with the base unchanged, ``--dry-run`` writing nothing, and the same file twice imported once."""

from __future__ import annotations

import gzip
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oasis.references.importers import drees_apl
from oasis.references.management.commands.import_reference import FILE_NOT_FOUND, FILE_REFUSED
from oasis.references.models import FinessStructure, ReferenceImport
from tests.references.conftest import FINESS_SAMPLE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def _import(*arguments: str) -> str:
    out = StringIO()
    call_command("import_reference", *arguments, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_real_finess_extract_is_imported_and_summarised():
    before = ReferenceImport.objects.count()
    output = _import("finess", str(FINESS_SAMPLE))
    reference = ReferenceImport.objects.latest("pk")
    assert ReferenceImport.objects.count() == before + 1
    assert output.startswith("Importé en ")
    assert FINESS_SAMPLE.name in output
    assert f"etablissements : {reference.lignes['etablissements']}" in output
    assert reference.lignes["etablissements"] == 14


def test_the_same_file_twice_is_imported_once():
    _import("finess", str(FINESS_SAMPLE))
    count = ReferenceImport.objects.count()
    output = _import("finess", str(FINESS_SAMPLE))
    assert ReferenceImport.objects.count() == count
    assert "déjà importé le" in output and "rien à faire" in output


def test_a_dry_run_checks_the_file_and_writes_nothing():
    before = (ReferenceImport.objects.count(), FinessStructure.objects.count())
    output = _import("finess", str(FINESS_SAMPLE), "--dry-run")
    assert output.startswith("Vérifié (rien n'est écrit)")
    assert (ReferenceImport.objects.count(), FinessStructure.objects.count()) == before


def test_a_missing_file_is_named(tmp_path):
    missing = tmp_path / "absent.csv"
    with pytest.raises(CommandError) as raised:
        _import("finess", str(missing))
    assert str(raised.value) == FILE_NOT_FOUND.format(path=missing)


def test_a_malformed_file_is_refused_and_the_base_is_unchanged(tmp_path):
    before = ReferenceImport.objects.count()
    path = tmp_path / "finess.csv"
    path.write_text("ceci n'est pas un extrait FINESS\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        _import("finess", str(path))
    assert str(raised.value).startswith(FILE_REFUSED.format(error=""))
    assert "finess.csv" in str(raised.value)
    assert ReferenceImport.objects.count() == before


def test_an_unknown_reference_is_refused_by_the_parser():
    with pytest.raises(CommandError, match="invalid choice: 'inconnue'"):
        _import("inconnue", str(FINESS_SAMPLE))


@pytest.mark.parametrize(
    ("reference", "name", "content", "where"),
    [
        ("finess", "garbage.json.gz", b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4, " : archive gzip corrompue"),
        ("finess", "garbage.json.gz", gzip.compress(b'{"pmej": 5}'), " : structure FINESS+ inattendue"),
        ("drees-apl", "x.csv", "Code commune INSEE;APL aux infirmières\n86194;-7,5\n".encode(), f" : {drees_apl.UNREADABLE}"),
        ("zonage", "x.csv", b"region;date_arrete;code_insee;profession;zone;zone\n", ", ligne 1 : colonne en double"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_in_one_line_and_the_base_is_unchanged(tmp_path, reference, name, content, where):
    before = ReferenceImport.objects.count()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        _import(reference, str(path))
    message = str(raised.value)
    assert message.startswith(FILE_REFUSED.format(error=f"{path}{where}"))
    assert "\n" not in message
    assert ReferenceImport.objects.count() == before
