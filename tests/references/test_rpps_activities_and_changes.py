"""The Annuaire santé import: what it keeps of each activity for the RPPS check (with and without the optional
columns, whatever the identifier looks like), and the change it reports per département and profession."""

from __future__ import annotations

import zipfile

import pytest

from oasis.datasets.errors import DataFileError
from oasis.references.importers import rpps, run_import
from oasis.references.models import RppsActivite, RppsCount
from oasis.territories.models import CommuneCrosswalk
from tests.references.conftest import rpps_header, rpps_line

pytestmark = pytest.mark.django_db

REQUIRED_ONLY = [*rpps.REQUIRED, ""]


EXTRACT = "PS_LibreAcces_Personne_activite_202611010830.txt"


def _extract(write, header, lines, name=EXTRACT):  # type: ignore[no-untyped-def]
    return write(name, "\n".join(["|".join(header), *lines]) + "\n")


def _row(header: list[str], by_column: dict[str, str]) -> str:
    return "|".join(by_column.get(column, "") for column in header)


def test_an_extract_without_the_optional_columns_still_keeps_the_activities(national, write):
    # Only the seven columns OASIS needs: no type of identifier (RPPS assumed), no name, no labels.
    line = rpps_line(REQUIRED_ONLY, person="810101234567", profession="60", mode="L", commune="86194")
    run_import("rpps", _extract(write, REQUIRED_ONLY, [line]))
    activity = RppsActivite.objects.get()
    assert (activity.rpps, activity.nom, activity.prenom, activity.profession) == ("10101234567", "", "", "60")
    assert (activity.savoir_faire, activity.mode, activity.lieu, activity.commune_id) == ("", "", "", "86194")


@pytest.mark.parametrize(
    ("identifier", "kept"),
    [
        ("810101234567", "10101234567"),  # type 8 and the number: the number
        ("10101234567", "10101234567"),  # the number alone
        ("8101012345678", None),  # 13 characters: not an RPPS number, not cut down to one
        ("8A0101234567", None),  # not digits
    ],
)
def test_only_well_formed_rpps_numbers_are_kept(national, write, identifier, kept):
    line = rpps_line(REQUIRED_ONLY, person=identifier, profession="60", mode="L", commune="86194")
    run_import("rpps", _extract(write, REQUIRED_ONLY, [line]))
    assert list(RppsActivite.objects.values_list("rpps", flat=True)) == ([kept] if kept else [])


def _gps(header, *places):  # type: ignore[no-untyped-def]
    return [
        rpps_line(header, person=person, profession=profession, savoir_faire="SM53", mode="L", commune=commune)
        for person, profession, commune in places
    ]


def test_the_change_is_counted_per_departement_and_profession(national, write):
    header = rpps_header()
    # Two GPs of the Vienne in two communes, one of Charente-Maritime, a nurse of Charente-Maritime.
    first = _gps(header, ("1", "10", "86194"), ("2", "10", "86066"), ("3", "10", "17300"), ("4", "60", "17300"))
    report = run_import("rpps", _extract(write, header, first, name="PS_LibreAcces_Personne_activite_202610010830.txt"))
    assert report.changes["praticiens_par_departement"] == [
        "17 médecins généralistes +1",
        "17 infirmiers +1",
        "86 médecins généralistes +2",
    ]
    # A month later: one more GP in Poitiers, the nurse gone, the rest unchanged.
    second = _gps(header, ("1", "10", "86194"), ("5", "10", "86194"), ("2", "10", "86066"), ("3", "10", "17300"))
    report = run_import("rpps", _extract(write, header, second))
    assert report.changes["praticiens_par_departement"] == ["17 infirmiers -1", "86 médecins généralistes +1"]


def test_labels_longer_than_their_field_are_cut_to_it(national, write):
    header = rpps_header()
    fields = {
        "nom": "Nom d'exercice",
        "prenom": "Prénom d'exercice",
        "profession": "Libellé profession",
        "savoir_faire": "Libellé savoir-faire",
        "mode": "Libellé mode exercice",
        "lieu": "Raison sociale site",
    }
    length = {name: RppsActivite._meta.get_field(name).max_length for name in fields}
    values = {column: name[0].upper() * (length[name] + 1) for name, column in fields.items()}
    values |= {"Type d'identifiant PP": "8", "Identification nationale PP": "810101234567", "Code profession": "60"}
    line = _row(header, values)
    run_import("rpps", _extract(write, header, [line]))
    activity = RppsActivite.objects.values(*fields).get()
    assert activity == {name: name[0].upper() * length[name] for name in fields}


def test_an_old_commune_code_counts_where_the_largest_share_of_it_went(national, write):
    # 99903 was split: three quarters into Lussac (86140), a quarter into Montmorillon (86165).
    for commune, ratio in (("86140", 0.75), ("86165", 0.25)):
        CommuneCrosswalk.objects.create(millesime=2023, code_origine="99903", commune_id=commune, ratio=ratio)
    header = rpps_header()
    line = rpps_line(header, person="1", profession="60", mode="L", commune="99903")
    report = run_import("rpps", _extract(write, header, [line]))
    assert list(RppsCount.objects.filter(reference=report.reference).values_list("commune_id", "personnes")) == [("86140", 1)]


def test_without_a_town_line_the_commune_label_picks_among_the_postal_codes_communes(national, write):
    # 86300 is the postal code of several communes; the row gives no « Bureau cedex », only the commune's label.
    header = rpps_header()
    values = {
        "Identification nationale PP": "1",
        "Code profession": "60",
        "Code postal (coord. structure)": "86300",
        "Libellé commune (coord. structure)": "Chauvigny",
    }
    line = _row(header, values)
    report = run_import("rpps", _extract(write, header, [line]))
    assert list(RppsCount.objects.filter(reference=report.reference).values_list("commune_id", flat=True)) == ["86070"]


def test_windows_line_ends_and_blank_lines_are_read(national, tmp_path):
    header = rpps_header()
    nurse = rpps_line(header, person="1", profession="60", mode="L", commune="86194")
    path = tmp_path / EXTRACT
    other = rpps_line(header, person="2", profession="60", mode="L", commune="86194")
    path.write_bytes(("|".join(header) + "\r\n" + nurse + "\r\n\r\n" + other + "\r\n\r\n").encode("utf-8"))
    report = run_import("rpps", path)
    assert report.reference.lignes["lignes"] == 2  # the row after a blank line is read too
    assert list(RppsCount.objects.filter(reference=report.reference).values_list("commune_id", "personnes")) == [("86194", 2)]


def test_an_archive_without_the_activity_file_is_refused(national, tmp_path):
    archive = tmp_path / "PS_LibreAcces_202611.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("PS_LibreAcces_SavoirFaire_202611010830.txt", "x")
    with pytest.raises(DataFileError) as error:
        run_import("rpps", archive)
    reason = f"{rpps.NOT_AN_EXTRACT} (archive sans fichier « Personne_activite »)"
    assert (error.value.path, error.value.line, error.value.reason) == (str(archive), None, reason)


@pytest.mark.parametrize("dry_run", [True, False])
def test_progress_advances_one_stage_after_reading_and_one_at_the_end(national, write, dry_run):
    header = rpps_header()
    line = rpps_line(header, person="1", profession="60", mode="L", commune="86194")
    steps: list[int] = []
    path = _extract(write, header, [line])
    run_import("rpps", path, dry_run=dry_run, progress=steps.append)
    assert steps == [1, 1] and sum(steps) == rpps.STAGES


def test_a_byte_order_mark_before_the_first_column_is_ignored(national, tmp_path):
    line = rpps_line(REQUIRED_ONLY, person="1", profession="60", mode="L", commune="86194")
    path = tmp_path / EXTRACT
    path.write_bytes(("\ufeff" + "|".join(REQUIRED_ONLY) + "\n" + line + "\n").encode("utf-8"))
    report = run_import("rpps", path)
    assert RppsCount.objects.get(reference=report.reference).commune_id == "86194"


def test_a_header_without_required_columns_names_them(national, write):
    header = [name for name in REQUIRED_ONLY if name not in (rpps.PROFESSION, rpps.MODE)]
    path = _extract(write, header, [], name="extrait.txt")
    with pytest.raises(DataFileError) as error:
        run_import("rpps", path)
    reason = f"{rpps.NOT_AN_EXTRACT} : {rpps.MISSING_COLUMNS} Code profession, Code mode exercice"
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), 1, reason)


def test_a_header_that_is_not_utf8_is_refused_on_line_1(national, tmp_path):
    path = tmp_path / "extrait.txt"
    path.write_bytes("|".join([*REQUIRED_ONLY[:-1], "Libellé"]).encode("latin-1") + b"\n")
    with pytest.raises(DataFileError) as error:
        run_import("rpps", path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), 1, rpps.BAD_ENCODING)


def test_unplaced_rows_are_counted_by_their_place_and_unknown_modes_left_blank(national, write):
    header = rpps_header()
    lines = [
        # Twice an unknown postal code with its town line, once an unknown commune code with its label.
        rpps_line(header, person="1", profession="60", mode="L", postal="99999", town="99999 NULLE PART"),
        rpps_line(header, person="2", profession="60", mode="L", postal="99999", town="99999 NULLE PART"),
        _row(header, {rpps.PERSON: "3", rpps.PROFESSION: "60", rpps.COMMUNE: "99998", rpps.TOWN_LABEL: "Atlantide"}),
        # A mode d'exercice outside L, S and B counts with no mode.
        rpps_line(header, person="4", profession="60", mode="X", commune="86194"),
    ]
    report = run_import("rpps", _extract(write, header, lines))
    assert report.reference.lignes["exemples_non_placees"] == {"99999 99999 NULLE PART": 2, "99998 Atlantide": 1}
    assert report.reference.lignes["non_placees"] == 3
    assert list(RppsCount.objects.filter(reference=report.reference).values_list("commune_id", "mode")) == [("86194", "")]


def test_progress_also_moves_every_so_many_lines(national, write, monkeypatch):
    monkeypatch.setattr(rpps, "PROGRESS_EVERY", 2)
    header = rpps_header()
    lines = [rpps_line(header, person=str(i), profession="60", mode="L", commune="86194") for i in range(3)]
    steps: list[int] = []
    run_import("rpps", _extract(write, header, lines), progress=steps.append)
    assert steps == [0, 0, 1, 1]  # file lines 2 and 4, then the two stages


def test_the_same_extract_twice_is_imported_once(national, write):
    header = rpps_header()
    path = _extract(write, header, [rpps_line(header, person="1", profession="60", mode="L", commune="86194")])
    first = run_import("rpps", path)
    again = run_import("rpps", path)
    assert (first.skipped, again.skipped, again.reference.pk) == (False, True, first.reference.pk)


def test_the_import_record_says_what_was_read_and_with_which_rules(national, write, tmp_path):
    header = rpps_header()
    lines = [
        rpps_line(header, person="1", profession="60", mode="L", commune="86194"),
        rpps_line(header, person="2", profession="60", mode="L"),  # no place of practice
        rpps_line(header, person="3", profession="60", mode="L", postal="99999", town="99999 NULLE PART"),
    ]
    report = run_import("rpps", _extract(write, header, lines))
    reference = report.reference
    assert (reference.fichier, reference.source) == (EXTRACT, rpps.SOURCE)
    assert (reference.millesime, reference.date_reference.isoformat()) == ("extraction du 01/11/2026", "2026-11-01")
    assert reference.lignes["part_non_placees"] == round(2 / 3, 4) == 0.6667
    assert reference.parametres == {
        "medecine_generale": ["SM26", "SM53", "SM54"],
        "professions": {
            "40": "chirurgien-dentiste",
            "50": "sage-femme",
            "60": "infirmier",
            "70": "masseur-kinesitherapeute",
            "91": "orthophoniste",
        },
    }
    assert reference.duration_seconds is not None and 0 < reference.duration_seconds < 600
    # An undated file inside an archive: the archive's name, then the member's; no date.
    archive = tmp_path / "annuaire.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("Personne_activite.txt", "|".join(header) + "\n" + lines[0] + "\n")
    reference = run_import("rpps", archive).reference
    assert (reference.fichier, reference.millesime, reference.date_reference) == (
        "annuaire.zip (Personne_activite.txt)",
        "extraction non datée",
        None,
    )


def test_the_examples_of_unplaced_rows_are_the_twenty_most_frequent(national, write):
    header = rpps_header()
    lines = [
        rpps_line(header, person=f"{code}{i}", profession="60", mode="L", postal=f"99{code:03d}", town="NULLE PART")
        for code in range(21)
        for i in range(1 if code == 0 else 2)  # the postal code 99000 once, the twenty others twice
    ]
    report = run_import("rpps", _extract(write, header, lines))
    examples = report.reference.lignes["exemples_non_placees"]
    assert examples == {f"99{code:03d} NULLE PART": 2 for code in range(1, 21)}


def test_without_town_line_nor_label_column_a_shared_postal_code_places_nobody(national, write):
    line = rpps_line(REQUIRED_ONLY, person="1", profession="60", mode="L", postal="86300")
    report = run_import("rpps", _extract(write, REQUIRED_ONLY, [line]))
    assert (report.reference.lignes["non_placees"], report.reference.lignes["exemples_non_placees"]) == (1, {"86300": 1})


def test_an_extract_without_rows_is_refused(national, write):
    path = _extract(write, rpps_header(), [])
    with pytest.raises(DataFileError) as error:
        run_import("rpps", path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), None, rpps.NO_ROWS)


def test_a_dated_archive_dates_an_undated_member(national, tmp_path):
    header = rpps_header()
    archive = tmp_path / "PS_LibreAcces_202611010830.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("Personne_activite.txt", "|".join(header) + "\n" + rpps_line(header, person="1", profession="60") + "\n")
    reference = run_import("rpps", archive).reference
    assert (reference.millesime, reference.date_reference.isoformat()) == ("extraction du 01/11/2026", "2026-11-01")


def test_a_direct_call_writes_unless_asked_a_dry_run(national, write):
    line = rpps_line(REQUIRED_ONLY, person="10101234567", profession="60", mode="L", commune="86194")
    path = _extract(write, REQUIRED_ONLY, [line])
    rpps.import_rpps(path, dry_run=True)
    assert not RppsCount.objects.exists()
    rpps.import_rpps(path)
    assert list(RppsCount.objects.values_list("commune_id", "personnes")) == [("86194", 1)]
