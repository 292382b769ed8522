"""Words users should not see: commands to run, internal codes, English, numbers written the programmer's way.
Each fixed sentence checked where it is produced, and the templates scanned for commands."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from oasis.accessibility.inputs import calage_text
from oasis.planning.services import MODELS
from oasis.recruitment.forms import SchemeForm
from tests.projects.conftest import cast, make_user, project  # noqa: F401

TEMPLATES = Path(__file__).resolve().parents[2] / "oasis" / "www" / "templates"
COMMAND = re.compile(r"\boasis (create_account|aides|demarches|data|purge_candidates|import_practitioners|rappels)\b")


def test_no_template_tells_its_reader_to_run_a_command():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        if path.name != "home.html"  # before the data are loaded, the one reading it is the one installing OASIS
        for match in COMMAND.finditer(path.read_text())
    ]
    assert found == []


@pytest.mark.django_db
def test_the_partners_page_says_whom_to_ask_for_a_partners_account(client, cast, project):  # noqa: F811
    client.force_login(cast["vienne"])
    page = client.get(reverse("project_partners", args=[project.pk])).content.decode()
    assert "demandez à l'administrateur d'OASIS de leur créer un compte" in page
    assert "create_account" not in page


def test_the_calibration_is_written_in_french():
    rule = {"apl_moyen_publie": 3.29, "millesime_publie": 2023, "variante_publiee": "moins-65"}
    assert calage_text(rule) == "APL moyenne publiée : 3,29 (2023, praticiens de 65 ans et moins)"
    migration = importlib.import_module("oasis.accessibility.migrations.0003_calage_in_french")
    assert migration.french("APL moyen publié 3.29 (2023, moins-65)") == calage_text(rule)  # stored runs read alike
    assert migration.french("déjà en français") == "déjà en français"


def test_the_siting_models_are_named_in_words():
    assert MODELS == {
        "couverture": "couverture maximale : le plus d'habitants possible à moins du temps de trajet choisi",
        "p-median": "distance moyenne minimale : le temps de trajet moyen le plus court des habitants à leur structure",
    }


def test_the_scheme_form_labels_are_french():
    labels = {name: str(field.label) for name, field in SchemeForm().fields.items()}
    assert labels["regle_remboursement"] == "Règle de remboursement en cas de rupture"
    assert "Regle remboursement" not in labels.values()
