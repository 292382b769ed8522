"""OASIS's own model never reads the official APL; it takes current practitioners from an Annuaire santé import."""

from __future__ import annotations

from pathlib import Path

import pytest

from oasis.accessibility.runs import current_run
from oasis.references.importers import run_import
from tests.references.conftest import ROOT, rpps_header, rpps_line

MODEL_PACKAGES = ("oasis/core", "oasis/accessibility", "oasis/planning")


def test_the_model_never_reads_the_official_apl():
    for package in MODEL_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "management" in path.parts:
                continue  # the commands present the official figures beside the model's, they do not compute
            text = path.read_text(encoding="utf-8")
            assert "OfficialApl" not in text, f"{path} reads the official APL"
            assert "official_" not in text, f"{path} reads the official APL"


@pytest.mark.django_db
def test_an_rpps_import_replaces_the_bpe_counts_of_the_model(national, tmp_path: Path):
    bpe_run = current_run("generaliste")
    assert bpe_run.entrees["offre"]["source"] == "bpe"
    header = rpps_header()
    lines = ["|".join(header)]
    for person, commune in (("1", "86194"), ("2", "86194"), ("3", "86140")):
        lines.append(rpps_line(header, person=person, profession="10", savoir_faire="SM53", mode="L", commune=commune))
    lines.append(rpps_line(header, person="4", profession="10", savoir_faire="SM53", mode="S", commune="86140"))
    path = tmp_path / "PS_LibreAcces_Personne_activite_202611010830.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_import("rpps", path)
    run = current_run("generaliste")
    assert run.pk != bpe_run.pk
    offre = run.resume["offre"]
    assert (offre["source"], offre["praticiens"]) == ("rpps", 3)  # liberal practitioners only, each counted once
    assert run.entrees["offre"]["millesime"] == "extraction du 01/11/2026"
    assert current_run("generaliste").pk == run.pk  # found again by its inputs, not recomputed
    poitiers = run.results.get(commune_id="86194").apl
    lussac = run.results.get(commune_id="86140").apl
    assert poitiers > 0 and lussac > 0
    # Far from these three doctors there is no supply at all.
    assert run.results.get(commune_id="31555").apl == 0
    # Other professions keep the BPE: the extract counts no nurse.
    assert current_run("infirmier").entrees["offre"]["source"] == "bpe"
