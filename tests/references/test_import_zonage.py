"""The zoning importer, and decisions that follow the official zoning once it is imported (aids, funding tools)."""

from __future__ import annotations

import pytest

from oasis.datasets.errors import DataFileError
from oasis.projects import funding
from oasis.projects.models import FundingTool
from oasis.recruitment.schemes import aids_at, save_scheme
from oasis.references.enums import ReferenceKind
from oasis.references.importers import run_import, zonage
from oasis.references.importers.common import DUPLICATE_COLUMN, REPEATED_HEADER
from oasis.references.models import ReferenceImport, ZonageCommune
from oasis.territories.models import Commune
from oasis.verdicts.services import verdict
from tests.projects.conftest import cast, project  # noqa: F401
from tests.recruitment.conftest import vienne_medecine  # noqa: F401
from tests.references.conftest import ROOT

pytestmark = pytest.mark.django_db
TEMPLATE = ROOT / "docs" / "zonage_modele.csv"
HEADER = "region;date_arrete;code_insee;profession;zone\n"


def _active(code: str, profession: str = "generaliste") -> str | None:
    row = ZonageCommune.objects.filter(commune_id=code, profession=profession, actif=True).first()
    return row.zone if row else None


def test_the_documented_template_imports(national):
    report = run_import("zonage", TEMPLATE)
    assert report.reference.region_id == "75"
    assert report.reference.date_reference.isoformat() == "2024-03-01"
    assert {code: _active(code) for code in ("86140", "86070", "86194", "86066")} == {
        "86140": "ZIP",
        "86070": "ZAC",
        "86194": "HV",
        "86066": "ZV",
    }
    assert _active("86140", "masseur-kinesitherapeute") == "tres-sous-dote"
    assert run_import("zonage", TEMPLATE).skipped


def test_the_newest_order_replaces_the_previous_one_and_an_older_one_stays_history(national, write):
    run_import("zonage", write("2024.csv", HEADER + "75;01/03/2024;86140;generaliste;ZIP\n"))
    report = run_import("zonage", write("2025.csv", HEADER + "75;2025-02-01;86140;generaliste;HV\n"))
    assert _active("86140") == "HV"
    assert report.changes["communes_dont_le_zonage_change"] == ["86140 generaliste : ZIP → HV"]
    run_import("zonage", write("2023.csv", HEADER + "75;2023-01-01;86140;generaliste;ZAC\n"))
    rows = ZonageCommune.objects.filter(commune_id="86140", profession="generaliste")
    assert sorted(rows.values_list("zone", "actif")) == [("HV", True), ("ZAC", False), ("ZIP", False)]


def test_the_per_tvs_form(national, write):
    tvs = write("tvs.csv", "code_tvs;code_insee\n86001;86140\n86001;86070\n86002;86194\n")
    orders = write("zonage_tvs.csv", "region;date_arrete;code_tvs;profession;zone\n75;2024-03-01;86001;generaliste;ZIP\n")
    assert run_import("zonage", orders, tvs=tvs).reference.lignes["forme"] == "par TVS"
    assert (_active("86140"), _active("86070"), _active("86194")) == ("ZIP", "ZIP", None)
    assert run_import("zonage", orders, tvs=tvs).skipped  # the same order with the same table
    # The same order with a corrected table is another import: 86194 moves into the TVS.
    corrected = write("tvs_corrige.csv", "code_tvs;code_insee\n86001;86140\n86001;86070\n86001;86194\n")
    assert not run_import("zonage", orders, tvs=corrected).skipped
    assert (_active("86140"), _active("86070"), _active("86194")) == ("ZIP", "ZIP", "ZIP")
    unknown_tvs = write("b.csv", "region;date_arrete;code_tvs;profession;zone\n75;2024-03-01;9;generaliste;ZIP\n")
    with pytest.raises(DataFileError) as error:
        run_import("zonage", unknown_tvs, tvs=tvs)
    assert (error.value.path, error.value.line, error.value.reason) == (str(unknown_tvs), 2, f"{zonage.TVS_UNKNOWN} : « 9 »")
    bad_table = write("tvs_bad.csv", "code_tvs;code_insee\n86001;86140\n86001;8607\n")
    newer = write("zonage_tvs_2.csv", "region;date_arrete;code_tvs;profession;zone\n75;2024-04-01;86001;generaliste;ZIP\n")
    with pytest.raises(DataFileError) as error:
        run_import("zonage", newer, tvs=bad_table)
    assert (error.value.path, error.value.line) == (str(bad_table), 3)
    assert error.value.reason == "colonne code_insee : « 8607 » n'est pas un code INSEE de commune"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("75;2024-03-01;86140;generaliste;ZZZ", f"{zonage.UNKNOWN_ZONE} : « ZZZ »"),
        ("75;2024-03-01;86140;generaliste;sous-doté", f"{zonage.GP_ZONE_EXPECTED} : « sous-doté » pour médecins généralistes"),
        ("75;2024-03-01;86140;infirmier;ZIP", f"{zonage.CLASS_EXPECTED} : « ZIP » pour infirmiers"),
        ("75;2024-03-01;86140;podologue;ZIP", zonage.UNKNOWN_PROFESSION),
        ("99;2024-03-01;86140;generaliste;ZIP", zonage.UNKNOWN_REGION),
        ("75;2024-13-01;86140;generaliste;ZIP", zonage.BAD_DATE),
        ("75;2024-03-01;99999;generaliste;ZIP", zonage.UNKNOWN_COMMUNE),
        ("76;2024-03-01;86140;generaliste;ZIP", zonage.OUTSIDE_REGION),
        ("75;2024-04-01;86140;generaliste;ZIP", f"{zonage.TWO_DATES} 75 : 01/03/2024 et 01/04/2024"),
        ("75;2024-03-01;86070;generaliste;ZV", f"{zonage.DUPLICATE} : 86070, médecins généralistes"),
        ("75;2024-03-01;8607;generaliste;ZIP", "colonne code_insee : « 8607 » n'est pas un code INSEE de commune"),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_nothing_is_written(national, write, row, reason):
    before = ReferenceImport.objects.count(), ZonageCommune.objects.count()
    with pytest.raises(DataFileError) as error:
        path = write("bad.csv", HEADER + "75;2024-03-01;86070;generaliste;ZAC\n" + row + "\n")
        run_import("zonage", path)
    assert (error.value.path, error.value.line, error.value.reason.startswith(reason)) == (str(path), 3, True)
    assert (ReferenceImport.objects.count(), ZonageCommune.objects.count()) == before


def test_decisions_follow_the_official_zoning_once_imported(national, project, write):  # noqa: F811
    before = verdict("86140")
    # Before any order: the official APL of the 65 and under (3,199 in 2022) is in the vivier, where the ARS decides.
    assert (before.source, before.zone, before.sous_dense) == ("apl-drees", "vivier", None)
    tool = FundingTool.objects.create(
        code="aide-zip", nom="Aide en zone sous-dense", financeur="ARS", nature="investissement", zone="sous-dense"
    )
    facts, tools = funding.mobilisable_tools(project)
    assert next(row for row in tools if row.tool == tool).a_confirmer
    assert facts.zonage.source == "apl-drees"

    run_import("zonage", write("z.csv", HEADER + "75;2024-03-01;86140;generaliste;HV\n"))
    facts, tools = funding.mobilisable_tools(project)
    row = next(row for row in tools if row.tool == tool)
    assert not row.eligible
    assert row.reasons == ["commune hors zone sous-dense (Hors vivier)"]
    assert facts.zonage_officiel
    assert facts.zonage.source == "arrete-ars"
    assert facts.zonage.libelle == "Hors vivier — arrêté de l'ARS du 01/03/2024 : commune non sous-dense"


def test_aid_schemes_reserved_to_under_served_zones_follow_the_zoning(national, cast, vienne_medecine, write):  # noqa: F811
    vienne_medecine.zone_sous_dense = True
    save_scheme(cast["vienne"], vienne_medecine, "86")
    lussac, chauvigny = Commune.objects.get(pk="86140"), Commune.objects.get(pk="86070")
    run_import("zonage", write("z.csv", HEADER + "75;2024-03-01;86140;generaliste;ZAC\n75;2024-03-01;86070;generaliste;ZV\n"))
    zoning, aids = aids_at(lussac, "generaliste")
    assert zoning is not None and zoning.officiel
    assert [(a.scheme.code, a.eligible) for a in aids] == [("vienne-etudes-medecine", True)]
    zoning, aids = aids_at(chauvigny, "generaliste")
    assert [(a.scheme.code, a.eligible, a.reason) for a in aids] == [
        ("vienne-etudes-medecine", False, "réservé aux zones sous-denses ; ici : Zone de vigilance")
    ]
    # Another région keeps the national rule on the official APL, said as such.
    assert verdict("31555").source == "apl-drees"


@pytest.mark.parametrize(
    ("content", "delimiter"),
    [
        ("region;date_arrete;code_insee;profession;zone\n", ";"),
        ("region,date_arrete,code_insee,profession,zone\n", ","),
        ("\ufeffregion,date_arrete,code_insee,profession,zone\n", ","),
        ("region;date\n75,2024-03-01,86140,generaliste,ZIP\n", ";"),  # the header line alone decides
        ("region\n", ";"),  # as many of each: « ; »
    ],
)
def test_the_separator_is_the_header_lines_commonest(write, content, delimiter):
    assert zonage._delimiter(write("z.csv", content)) == delimiter


def test_a_comma_separated_order_with_a_bom_is_imported(national, write):
    content = "\ufeffregion,date_arrete,code_insee,profession,zone\n75,2024-03-01,86140,generaliste,ZIP\n"
    report = run_import("zonage", write("z.csv", content))
    assert not report.skipped and _active("86140") == "ZIP"


@pytest.mark.parametrize(
    "header",
    [
        "\ufeffcode_tvs;region;date_arrete;profession;zone",  # a BOM, and the TVS column first
        "region ; date_arrete ; code_tvs ; profession ; zone",  # spaces around the separators
    ],
)
def test_the_per_tvs_form_is_recognised_by_its_header(national, write, header):
    tvs = write("tvs.csv", "code_tvs;code_insee\n86001;86140\n")
    values = {"code_tvs": "86001", "region": "75", "date_arrete": "2024-03-01", "profession": "generaliste", "zone": "ZIP"}
    row = ";".join(values[name.strip().lstrip("\ufeff")] for name in header.split(";"))
    run_import("zonage", write("zonage_tvs.csv", f"{header}\n{row}\n"), tvs=tvs)
    assert _active("86140") == "ZIP"


def test_the_per_tvs_form_without_its_table_is_refused(national, write):
    orders = write("zonage_tvs.csv", "region;date_arrete;code_tvs;profession;zone\n75;2024-03-01;86001;generaliste;ZIP\n")
    with pytest.raises(DataFileError) as error:
        run_import("zonage", orders)
    assert (error.value.path, error.value.line, error.value.reason) == (str(orders), 1, zonage.TVS_TABLE_NEEDED)
    assert not ReferenceImport.objects.filter(kind=ReferenceKind.ZONAGE).exists()


def test_an_import_called_directly_writes_unless_asked_a_dry_run(national, write):
    path = write("z.csv", HEADER + "75;2024-03-01;86140;generaliste;ZIP\n")
    zonage.import_zonage(path, dry_run=True)
    assert _active("86140") is None
    zonage.import_zonage(path)
    assert _active("86140") == "ZIP"


def test_an_order_without_rows_is_refused(national, write):
    path = write("vide.csv", HEADER)
    with pytest.raises(DataFileError) as error:
        run_import("zonage", path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), None, zonage.NO_ROWS)


@pytest.mark.parametrize("dry_run", [True, False])
def test_progress_advances_one_stage_after_reading_and_one_at_the_end(national, write, dry_run):
    steps: list[int] = []
    path = write("z.csv", HEADER + "75;2024-03-01;86140;generaliste;ZIP\n")
    run_import("zonage", path, dry_run=dry_run, progress=steps.append)
    assert steps == [1, 1] and sum(steps) == zonage.STAGES


def test_the_import_record_and_the_changes_it_reports(national, write):
    # Two régions' orders in one file: Centre-Val de Loire (24) for Tours, Nouvelle-Aquitaine (75) for two communes.
    rows = [
        "24;2024-02-01;37261;generaliste;ZIP",
        "75;2024-03-01;86140;generaliste;ZAC",
        "75;2024-03-01;86140;infirmier;très sous-doté",
    ]
    report = run_import("zonage", write("zonage_deux_regions.csv", HEADER + "\n".join(rows) + "\n"))
    reference = report.reference
    assert (reference.fichier, reference.source) == ("zonage_deux_regions.csv", zonage.SOURCE)
    assert reference.millesime == "arrêté du 01/02/2024 (région 24), arrêté du 01/03/2024 (région 75)"
    assert (reference.date_reference.isoformat(), reference.region_id) == ("2024-03-01", None)
    assert reference.lignes == {
        "communes": 2,
        "lignes": 3,
        "forme": "par commune",
        "par_zone": {"ZIP": 1, "ZAC": 1, "tres-sous-dote": 1},
    }
    assert reference.parametres == {"regions": {"24": "2024-02-01", "75": "2024-03-01"}}
    assert reference.duration_seconds is not None and 0 < reference.duration_seconds < 600
    assert report.changes == {
        "communes_dont_le_zonage_change": [
            "37261 generaliste : — → ZIP",
            "86140 generaliste : — → ZAC",
            "86140 infirmier : — → tres-sous-dote",
        ]
    }
    # A newer order of the Nouvelle-Aquitaine for GPs: only what changed is listed.
    newer_rows = "75;2024-06-01;86140;generaliste;ZIP\n75;2024-06-01;86140;infirmier;très sous-doté\n"
    newer = run_import("zonage", write("zonage_na.csv", HEADER + newer_rows))
    assert newer.changes == {"communes_dont_le_zonage_change": ["86140 generaliste : ZAC → ZIP"]}
    assert (newer.reference.region_id, newer.reference.millesime) == ("75", "arrêté du 01/06/2024 (région 75)")
    # It replaces the GPs' order of its région only: the nurses' zoning and the other région's stay active.
    assert (_active("86140"), _active("86140", "infirmier"), _active("37261")) == ("ZIP", "tres-sous-dote", "ZIP")


@pytest.mark.parametrize("separator", [";", " ; ", ",", " , "])
def test_the_separator_is_read_from_the_header_even_with_spaces_around_it(national, write, separator):
    header = separator.join(["region", "date_arrete", "code_insee", "profession", "zone"])
    row = separator.join(["75", "2024-03-01", "86140", "generaliste", "ZIP"])
    run_import("zonage", write("z.csv", f"{header}\n{row}\n"))
    assert _active("86140") == "ZIP"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("region;date_arrete;code_insee;profession;zone;zone", "« zone » et « zone »"),
        ("region;date_arrete;code_insee;profession;zone;Zone ", "« zone » et « Zone »"),
        ("region;code_insee;date_arrete;code_insee;profession;zone", "« code_insee » et « code_insee »"),
    ],
)
def test_a_column_named_twice_is_refused_whichever_value_it_holds(national, write, header, reason):
    width = len(header.split(";"))
    values = {"region": "75", "date_arrete": "2024-03-01", "code_insee": "86140", "profession": "generaliste"}
    row = ";".join(values.get(name.strip().lower(), "ZIP") for name in header.split(";"))
    assert len(row.split(";")) == width
    path = write("double.csv", f"{header}\n{row}\n")
    with pytest.raises(DataFileError) as error:
        run_import("zonage", path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), 1, f"{DUPLICATE_COLUMN} : {reason}")
    assert not ReferenceImport.objects.filter(kind=ReferenceKind.ZONAGE).exists()


def test_a_tvs_table_naming_a_column_twice_is_refused(national, write):
    tvs = write("tvs.csv", "code_tvs;code_insee;code_insee\n86001;86140;86194\n")
    orders = write("zonage_tvs.csv", "region;date_arrete;code_tvs;profession;zone\n75;2024-03-01;86001;generaliste;ZIP\n")
    with pytest.raises(DataFileError) as error:
        run_import("zonage", orders, tvs=tvs)
    assert (error.value.path, error.value.line) == (str(tvs), 1)
    assert error.value.reason == f"{DUPLICATE_COLUMN} : « code_insee » et « code_insee »"
    assert not ZonageCommune.objects.exists()


def test_a_header_repeated_further_down_is_refused(national, write):
    pasted = HEADER + "75;2024-03-01;86070;generaliste;ZAC\n" + HEADER + "75;2024-03-01;86140;generaliste;ZIP\n"
    path = write("colles.csv", pasted)
    with pytest.raises(DataFileError) as error:
        run_import("zonage", path)
    assert (error.value.path, error.value.line, error.value.reason) == (str(path), 3, f"{REPEATED_HEADER} (déjà ligne 1)")
    tvs = write("tvs.csv", "code_tvs;code_insee\n86001;86140\ncode_tvs;code_insee\n86001;86070\n")
    orders = write("zonage_tvs.csv", "region;date_arrete;code_tvs;profession;zone\n75;2024-03-01;86001;generaliste;ZIP\n")
    with pytest.raises(DataFileError) as error:
        run_import("zonage", orders, tvs=tvs)
    assert (error.value.path, error.value.line, error.value.reason) == (str(tvs), 3, f"{REPEATED_HEADER} (déjà ligne 1)")
    assert not ZonageCommune.objects.exists()


@pytest.mark.parametrize("content", [b"\x1f\x8b\x08\x00garbage", b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n", b"PK\x03\x04\x14\x00"])
def test_a_file_of_another_kind_is_refused(national, tmp_path, content):
    path = tmp_path / "zonage.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as error:
        run_import("zonage", path)
    assert error.value.path == str(path) and error.value.reason
    assert not ReferenceImport.objects.filter(kind=ReferenceKind.ZONAGE).exists()
