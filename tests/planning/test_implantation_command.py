"""``oasis implantation``: the sites proposed written as CSV or JSON, or on the standard output; an unknown territory
refused by name."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_three_sites_of_the_vienne_as_csv(tmp_path):
    output = tmp_path / "sites.csv"
    call_command("implantation", territoire="dep:86", sites=3, profession="generaliste", output=output, stdout=io.StringIO())
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert [row["rang"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["raisons"]
    with pytest.raises(CommandError, match="Département inconnu"):
        call_command("implantation", territoire="dep:00", stdout=io.StringIO())


def test_the_same_sites_as_json_and_on_the_standard_output(tmp_path):
    output = tmp_path / "sites.json"
    said = io.StringIO()
    call_command("implantation", territoire="dep:86", sites=2, output=output, stdout=said)
    document = json.loads(output.read_text())
    assert len(document["sites"]) == 2
    assert said.getvalue().startswith("2 sites proposés (Vienne, ")
    for site in document["sites"]:
        assert f"({site['code_insee']})" in said.getvalue()
    printed = io.StringIO()
    call_command("implantation", territoire="dep:86", sites=2, stdout=printed)
    rows = list(csv.DictReader(io.StringIO(printed.getvalue())))
    assert [row["code_insee"] for row in rows] == [site["code_insee"] for site in document["sites"]]
