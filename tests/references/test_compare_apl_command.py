"""``oasis compare_apl``: its national line, and a CSV per département that French Excel opens, checked against
scipy's Spearman on the same communes."""

from __future__ import annotations

import csv
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from scipy.stats import spearmanr

from oasis.accessibility.runs import current_run
from oasis.references.models import OfficialAplUnit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_the_command_prints_the_agreement_and_writes_one_row_per_departement(tmp_path):
    output = tmp_path / "accord.csv"
    out = StringIO()
    call_command("compare_apl", "--output", str(output), stdout=out)
    text = out.getvalue()
    assert text.count("Médecins généralistes, APL officielle 2022") == 2  # all ages, then under 65
    assert f"Détail par département dans {output}." in text
    raw = output.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs to read UTF-8
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) >= 96 and len({row["departement"] for row in rows}) == len(rows)
    vienne = next(row for row in rows if row["departement"] == "86")

    estimate = dict(current_run("generaliste").results.values_list("commune_id", "apl"))
    official = OfficialAplUnit.objects.filter(profession="generaliste", annee=2022, commune__departement_id="86")
    pairs = [(estimate.get(code), apl) for code, apl in official.values_list("commune_id", "apl")]
    a, b = (np.array([np.nan if v is None else v for v in column], dtype=float) for column in zip(*pairs, strict=True))
    kept = ~(np.isnan(a) | np.isnan(b))
    expected = spearmanr(a[kept], b[kept]).statistic
    assert int(vienne["communes"]) == kept.sum()  # communes with both an estimate and an official APL
    assert float(vienne["spearman_apl"].replace(",", ".")) == pytest.approx(expected, abs=0.0005)
