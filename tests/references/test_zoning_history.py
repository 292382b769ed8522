"""The zoning orders' history: an order replaced stays in the database and never acts again; which order is in force
is decided by the orders' dates, before, on and after, région by région and profession by profession.

Rows are read from the database (``actif``) and through the verdict that aids and pages follow.
"""

from __future__ import annotations

import pytest

from oasis.references.enums import ReferenceKind
from oasis.references.importers import run_import
from oasis.references.models import ReferenceImport, ZonageCommune
from oasis.verdicts.services import verdict

pytestmark = pytest.mark.django_db
HEADER = "region;date_arrete;code_insee;profession;zone\n"
ANTRAN, LOUDUN, TOURS = "86007", "86137", "37261"
KINE = "masseur-kinesitherapeute"


def rows(code: str, profession: str = "generaliste") -> list[tuple[str, str, bool]]:
    """(order's date, zone, in force) of every row of a commune, oldest order first."""
    return sorted(
        (row.reference.date_reference.isoformat(), row.zone, row.actif)
        for row in ZonageCommune.objects.filter(commune_id=code, profession=profession).select_related("reference")
    )


@pytest.fixture
def in_force(national, write):
    """The order of 1 March 2024 for Antran and Loudun (GPs), and one for the kinés of Loudun, in force."""
    run_import(
        "zonage",
        write(
            "2024.csv",
            HEADER
            + f"75;2024-03-01;{ANTRAN};generaliste;ZIP\n75;2024-03-01;{LOUDUN};generaliste;ZAC\n"
            + f"75;2024-03-01;{LOUDUN};{KINE};sous-doté\n",
        ),
    )
    return write


def test_an_order_dated_the_day_before_stays_history(in_force):
    report = run_import("zonage", in_force("late.csv", HEADER + f"75;2024-02-29;{ANTRAN};generaliste;HZ\n"))
    assert rows(ANTRAN) == [("2024-02-29", "HZ", False), ("2024-03-01", "ZIP", True)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", True)]
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).millesime, verdict(ANTRAN).sous_dense) == ("ZIP", "2024-03-01", True)
    # The report still lists what the file says against the order in force (nothing was written in force).
    assert report.changes == {"communes_dont_le_zonage_change": [f"{ANTRAN} generaliste : ZIP → HZ"]}


def test_an_order_of_the_same_date_replaces_the_one_in_force(in_force):
    # A corrected order of the same day: it replaces the whole order of its région and profession.
    run_import("zonage", in_force("corrected.csv", HEADER + f"75;2024-03-01;{ANTRAN};generaliste;HZ\n"))
    assert rows(ANTRAN) == [("2024-03-01", "HZ", True), ("2024-03-01", "ZIP", False)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", False)]
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).sous_dense) == ("HZ", False)
    # Loudun is not in the order in force: its replaced row never acts, the official APL decides.
    assert verdict(LOUDUN).source == "apl-drees"


def test_an_order_dated_the_day_after_replaces_the_one_in_force(in_force):
    run_import("zonage", in_force("newer.csv", HEADER + f"75;2024-03-02;{LOUDUN};generaliste;HV\n"))
    assert rows(ANTRAN) == [("2024-03-01", "ZIP", False)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", False), ("2024-03-02", "HV", True)]
    assert verdict(ANTRAN).source == "apl-drees"
    assert (verdict(LOUDUN).zone, verdict(LOUDUN).millesime, verdict(LOUDUN).sous_dense) == ("HV", "2024-03-02", False)
    # The kinés' order of the same région is another profession's: still in force.
    assert rows(LOUDUN, KINE) == [("2024-03-01", "sous-dote", True)]
    assert verdict(LOUDUN, KINE).zone == "sous-dote"


def test_one_file_of_two_regions_is_in_force_where_it_is_newest_only(in_force):
    content = HEADER + f"75;2024-01-15;{ANTRAN};generaliste;HZ\n24;2024-01-15;{TOURS};generaliste;ZIP\n"
    run_import("zonage", in_force("two.csv", content))
    # Nouvelle-Aquitaine has a newer order: this one is history there; Centre-Val de Loire had none: in force.
    assert rows(ANTRAN) == [("2024-01-15", "HZ", False), ("2024-03-01", "ZIP", True)]
    assert rows(TOURS) == [("2024-01-15", "ZIP", True)]
    assert (verdict(TOURS).zone, verdict(TOURS).source) == ("ZIP", "arrete-ars")


def test_a_newer_order_for_one_profession_leaves_the_others_in_force(in_force):
    run_import("zonage", in_force("kine.csv", HEADER + f"75;2025-01-01;{ANTRAN};{KINE};intermédiaire\n"))
    assert rows(LOUDUN, KINE) == [("2024-03-01", "sous-dote", False)]
    assert rows(ANTRAN, KINE) == [("2025-01-01", "intermediaire", True)]
    assert rows(ANTRAN) == [("2024-03-01", "ZIP", True)]
    assert verdict(LOUDUN, KINE).source == "estimation"


def test_history_goes_on_over_three_orders(in_force):
    run_import("zonage", in_force("2025.csv", HEADER + f"75;2025-01-01;{ANTRAN};generaliste;ZV\n"))
    run_import("zonage", in_force("2026.csv", HEADER + f"75;2026-01-01;{ANTRAN};generaliste;ZAC\n"))
    run_import("zonage", in_force("2023.csv", HEADER + f"75;2023-01-01;{ANTRAN};generaliste;HV\n"))
    assert rows(ANTRAN) == [
        ("2023-01-01", "HV", False),
        ("2024-03-01", "ZIP", False),
        ("2025-01-01", "ZV", False),
        ("2026-01-01", "ZAC", True),
    ]
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).millesime) == ("ZAC", "2026-01-01")


def test_a_dry_run_changes_no_order_in_force(in_force):
    report = run_import("zonage", in_force("dry.csv", HEADER + f"75;2025-01-01;{ANTRAN};generaliste;HZ\n"), dry_run=True)
    assert report.changes == {"communes_dont_le_zonage_change": [f"{ANTRAN} generaliste : ZIP → HZ"]}
    assert rows(ANTRAN) == [("2024-03-01", "ZIP", True)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", True)]


def test_a_file_s_order_dates_are_read_region_by_region(in_force):
    # One file, two régions, two dates: Nouvelle-Aquitaine's order of 1 June 2024 replaces the one of 1 March 2024.
    content = HEADER + f"75;2024-06-01;{ANTRAN};generaliste;HZ\n24;2025-06-01;{TOURS};generaliste;ZIP\n"
    run_import("zonage", in_force("two-dates.csv", content))
    assert [row[1:] for row in rows(ANTRAN)] == [("ZIP", False), ("HZ", True)]
    # An order of Nouvelle-Aquitaine of 1 September 2024 is newer there: Centre-Val de Loire's date (1 June 2025,
    # the file's latest) is not Nouvelle-Aquitaine's.
    run_import("zonage", in_force("september.csv", HEADER + f"75;2024-09-01;{ANTRAN};generaliste;ZAC\n"))
    assert [row[1:] for row in rows(ANTRAN)] == [("ZIP", False), ("ZAC", True), ("HZ", False)]
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).millesime) == ("ZAC", "2024-09-01")
    assert rows(TOURS) == [("2025-06-01", "ZIP", True)]
    # One of 1 May 2024, older than Nouvelle-Aquitaine's order of 1 June 2024, would have stayed history.
    run_import("zonage", in_force("may.csv", HEADER + f"75;2024-05-01;{ANTRAN};generaliste;HV\n"))
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).millesime) == ("ZAC", "2024-09-01")


def withdraw(name: str) -> None:
    """Delete an order's import, as the administration does (its rows go with it)."""
    ReferenceImport.objects.get(kind=ReferenceKind.ZONAGE, fichier=name).delete()


def test_the_replaced_order_acts_again_once_the_newer_is_withdrawn(in_force):
    run_import("zonage", in_force("2025.csv", HEADER + f"75;2025-01-01;{ANTRAN};generaliste;HZ\n"))
    assert verdict(LOUDUN).source == "apl-drees"
    withdraw("2025.csv")
    # The order of 1 March 2024 is the newest left: in force again, Loudun's row with it.
    assert rows(ANTRAN) == [("2024-03-01", "ZIP", True)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", True)]
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).millesime, verdict(ANTRAN).sous_dense) == ("ZIP", "2024-03-01", True)
    assert (verdict(LOUDUN).zone, verdict(LOUDUN).source) == ("ZAC", "arrete-ars")
    # The kinés' order, never replaced, is untouched.
    assert rows(LOUDUN, KINE) == [("2024-03-01", "sous-dote", True)]


def test_withdrawing_an_order_kept_as_history_changes_nothing(in_force):
    run_import("zonage", in_force("2023.csv", HEADER + f"75;2023-01-01;{ANTRAN};generaliste;HZ\n"))
    run_import("zonage", in_force("2025.csv", HEADER + f"75;2025-01-01;{ANTRAN};generaliste;ZV\n"))
    withdraw("2023.csv")
    assert rows(ANTRAN) == [("2024-03-01", "ZIP", False), ("2025-01-01", "ZV", True)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", False)]


def test_any_withdrawal_is_a_new_data_version_for_what_pages_keep(in_force):
    from oasis.datasets.fingerprint import data_version

    run_import("zonage", in_force("2023.csv", HEADER + f"75;2023-01-01;{ANTRAN};generaliste;HZ\n"))
    run_import("zonage", in_force("2025.csv", HEADER + f"75;2025-01-01;{ANTRAN};generaliste;ZV\n"))
    before = data_version()
    withdraw("2023.csv")  # not the newest import: the latest one's number stays the same
    assert data_version() != before


def test_the_newest_left_acts_again_over_three_orders_and_the_last_withdrawal_leaves_none(in_force):
    run_import("zonage", in_force("2023.csv", HEADER + f"75;2023-01-01;{ANTRAN};generaliste;HV\n"))
    run_import("zonage", in_force("2025.csv", HEADER + f"75;2025-01-01;{ANTRAN};generaliste;ZV\n"))
    withdraw("2025.csv")
    # Not the oldest (2023), the newest left (1 March 2024).
    assert rows(ANTRAN) == [("2023-01-01", "HV", False), ("2024-03-01", "ZIP", True)]
    withdraw("2024.csv")
    assert rows(ANTRAN) == [("2023-01-01", "HV", True)]
    assert rows(LOUDUN) == []
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).millesime) == ("HV", "2023-01-01")
    assert verdict(LOUDUN, KINE).source == "estimation"
    withdraw("2023.csv")
    assert rows(ANTRAN) == []
    assert verdict(ANTRAN).source == "apl-drees"


def test_of_two_orders_of_the_same_date_the_one_imported_last_acts_again(in_force):
    run_import("zonage", in_force("corrected.csv", HEADER + f"75;2024-03-01;{ANTRAN};generaliste;ZAC\n"))
    run_import("zonage", in_force("2025.csv", HEADER + f"75;2025-01-01;{ANTRAN};generaliste;HZ\n"))
    withdraw("2025.csv")
    # The corrected order of 1 March 2024, imported after the first of that day, is the one in force again.
    assert rows(ANTRAN) == [("2024-03-01", "ZAC", True), ("2024-03-01", "ZIP", False)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", False)]


def test_withdrawing_an_order_of_one_region_leaves_the_others_alone(in_force):
    run_import("zonage", in_force("tours-2024.csv", HEADER + f"24;2024-01-01;{TOURS};generaliste;ZIP\n"))
    run_import("zonage", in_force("tours-2025.csv", HEADER + f"24;2025-01-01;{TOURS};generaliste;HZ\n"))
    run_import("zonage", in_force("2025.csv", HEADER + f"75;2025-01-01;{ANTRAN};generaliste;HV\n"))
    withdraw("tours-2025.csv")
    assert rows(TOURS) == [("2024-01-01", "ZIP", True)]
    assert rows(ANTRAN) == [("2024-03-01", "ZIP", False), ("2025-01-01", "HV", True)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", False)]


def test_withdrawing_an_order_of_two_regions_brings_back_each_region_s_own(in_force):
    # Centre-Val de Loire has an order for the kinés only; Nouvelle-Aquitaine's GPs have the order of 1 March 2024.
    run_import("zonage", in_force("tours-kine.csv", HEADER + f"24;2024-01-01;{TOURS};{KINE};sous-doté\n"))
    content = HEADER + f"75;2025-01-01;{ANTRAN};generaliste;HZ\n24;2025-01-01;{TOURS};generaliste;ZIP\n"
    run_import("zonage", in_force("two.csv", content))
    withdraw("two.csv")
    # No GP order is left in Centre-Val de Loire: its kinés' order and Nouvelle-Aquitaine's are looked at all the same.
    assert rows(TOURS) == []
    assert rows(TOURS, KINE) == [("2024-01-01", "sous-dote", True)]
    assert rows(ANTRAN) == [("2024-03-01", "ZIP", True)]
    assert rows(LOUDUN) == [("2024-03-01", "ZAC", True)]
    assert (verdict(ANTRAN).zone, verdict(ANTRAN).millesime) == ("ZIP", "2024-03-01")
