"""``oasis import_practitioners FICHIER --profession P --millesime A``: the count imported, the same file a second time
a no-op said so, a malformed file refused by line with nothing imported."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oasis.accessibility.management.commands.import_practitioners import ALREADY_IMPORTED, FILE_REFUSED, IMPORTED
from oasis.accessibility.models import PractitionerImport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]

ACTIVITY = "code_insee,actes,age,mode,nouvel_installe\n86194,5000,50,liberal,0\n86140,100,45,liberal,1\n"


def _import(path, profession: str = "generaliste", millesime: str = "2023") -> str:
    out = StringIO()
    call_command("import_practitioners", str(path), "--profession", profession, "--millesime", millesime, stdout=out)
    return out.getvalue()


def test_the_practitioners_are_counted_then_the_same_file_is_not_imported_again(tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text(ACTIVITY)
    assert _import(path).strip() == IMPORTED.format(lignes=2, profession="generaliste")
    assert PractitionerImport.objects.count() == 1
    assert _import(path).strip() == ALREADY_IMPORTED.format(date=PractitionerImport.objects.get().imported_at)
    assert PractitionerImport.objects.count() == 1


def test_a_malformed_file_is_refused_by_line_and_nothing_is_imported(tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text("code_insee,actes\n86194,100\n86194,beaucoup\n")
    with pytest.raises(CommandError) as raised:
        _import(path)
    assert str(raised.value).startswith(FILE_REFUSED.format(error=""))
    assert "ligne 3" in str(raised.value)
    assert not PractitionerImport.objects.exists()


def test_an_unknown_profession_is_refused_by_the_parser(tmp_path):
    path = tmp_path / "activite.csv"
    path.write_text(ACTIVITY)
    with pytest.raises(CommandError, match="invalid choice: 'astronaute'"):
        _import(path, profession="astronaute")
