"""The Annuaire santé importer: the real sample places its rows; each person counts once per commune and mode."""

from __future__ import annotations

import zipfile

import pytest

from oasis.datasets.errors import DataFileError
from oasis.references.importers import rpps, run_import
from oasis.references.models import ReferenceImport, RppsCount
from tests.references.conftest import RPPS_SAMPLE, rpps_header, rpps_line

pytestmark = pytest.mark.django_db

CHATEL = "86100 CHATELLERAULT"
NEW_COLUMNS = ("Code rôle", "Libellé rôle", "Code genre activité", "Libellé genre activité")


def test_the_real_sample_places_every_row_that_has_an_address(national):
    report = run_import("rpps", RPPS_SAMPLE)
    lignes = report.reference.lignes
    # 22 rows: 13 give a commune code or a postal code and town, 9 give no place of practice at all.
    assert (lignes["lignes"], lignes["placees"], lignes["sans_lieu_d_exercice"]) == (22, 13, 9)
    assert lignes.get("non_placees", 0) == 0
    # Its only doctor is a specialist (SM20) and the others are outside the seven professions.
    assert lignes["hors_champ"] == 22
    assert not RppsCount.objects.filter(reference=report.reference).exists()


def test_counts_per_person_commune_and_mode_with_the_56_column_layout(national, write):
    header = rpps_header(NEW_COLUMNS)
    lines = [
        "|".join(header),
        # One GP, two activities in Poitiers (counted once), one in Lussac.
        rpps_line(header, person="810000000001", profession="10", savoir_faire="SM53", mode="L", commune="86194"),
        rpps_line(header, person="810000000001", profession="10", savoir_faire="SM53", mode="L", commune="86194"),
        rpps_line(header, person="810000000001", profession="10", savoir_faire="SM53", mode="L", commune="86140"),
        # A GP placed by postal code and town (no commune code): Châtellerault.
        rpps_line(
            header,
            person="810000000002",
            profession="10",
            savoir_faire="SM54",
            mode="L",
            postal="86100",
            town="86100 CHATELLERAULT",
        ),
        # A salaried GP in Poitiers, a cardiologist (not general practice), a nurse.
        rpps_line(header, person="810000000003", profession="10", savoir_faire="SM26", mode="S", commune="86194"),
        rpps_line(header, person="810000000004", profession="10", savoir_faire="SM04", mode="L", commune="86194"),
        rpps_line(header, person="810000000005", profession="60", mode="L", commune="86194"),
        # A Paris arrondissement found by its postal code; an unknown postal code.
        rpps_line(header, person="810000000006", profession="70", mode="L", postal="75015", town="75015 PARIS"),
        rpps_line(
            header, person="810000000007", profession="10", savoir_faire="SM53", mode="L", postal="99999", town="99999 NULLE PART"
        ),
    ]
    path = write("PS_LibreAcces_Personne_activite_202611010830.txt", "\n".join(lines) + "\n")
    report = run_import("rpps", path)
    counts = {(c.commune_id, c.profession, c.mode): c.personnes for c in RppsCount.objects.filter(reference=report.reference)}
    assert counts == {
        ("86194", "generaliste", "L"): 1,
        ("86140", "generaliste", "L"): 1,
        ("86066", "generaliste", "L"): 1,
        ("86194", "generaliste", "S"): 1,
        ("86194", "infirmier", "L"): 1,
        ("75115", "masseur-kinesitherapeute", "L"): 1,
    }
    lignes = report.reference.lignes
    assert (lignes["non_placees"], lignes["hors_champ"]) == (1, 1)
    assert lignes["personnes"]["generaliste"] == 4
    assert report.reference.date_reference.isoformat() == "2026-11-01"
    # No name or identifier is kept anywhere.
    assert "810000000001" not in str(list(RppsCount.objects.values()))


def test_the_published_zip(national, write, tmp_path):
    header = rpps_header()
    text = "|".join(header) + "\n" + rpps_line(header, person="1", profession="50", mode="L", commune="86194") + "\n"
    archive = tmp_path / "PS_LibreAcces_202611.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("PS_LibreAcces_Personne_activite_202611010830.txt", text)
        bundle.writestr("PS_LibreAcces_SavoirFaire_202611010830.txt", "x")
    report = run_import("rpps", archive)
    assert RppsCount.objects.get(reference=report.reference).profession == "sage-femme"


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("Nom|Prénom|\nA|B|\n", 1, rpps.NOT_AN_EXTRACT),
        (None, 3, rpps.RAGGED),
    ],
)
def test_a_bad_extract_is_refused_and_nothing_is_written(national, write, content, line, reason):
    if content is None:
        header = rpps_header()
        good = rpps_line(header, person="1", profession="60", commune="86194")
        content = "\n".join(["|".join(header), good, good + "|en trop"]) + "\n"
    before = ReferenceImport.objects.count(), RppsCount.objects.count()
    path = write("bad.txt", content)
    with pytest.raises(DataFileError) as error:
        run_import("rpps", path)
    assert (error.value.path, error.value.line, error.value.reason.startswith(reason)) == (str(path), line, True)
    assert (ReferenceImport.objects.count(), RppsCount.objects.count()) == before


def test_a_line_that_is_not_utf8_is_refused_with_its_number(national, tmp_path):
    header = rpps_header()
    good = rpps_line(header, person="1", profession="60", commune="86194").encode("utf-8")
    latin1 = rpps_line(header, person="2", profession="60", commune="86194", nom="Hélène").encode("latin-1")
    path = tmp_path / "mixed.txt"
    path.write_bytes("|".join(header).encode("utf-8") + b"\n" + good + b"\n" + latin1 + b"\n")
    with pytest.raises(DataFileError) as error:
        run_import("rpps", path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), 3, rpps.BAD_ENCODING)
