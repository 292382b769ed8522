"""The ACI simulator on the projects side: the active point table read field by field, units kept between nothing and
their maximum, the patientèle and team at zero, and the warnings for a project not (yet) able to sign."""

import pytest

from oasis.core.aci import AciRules
from oasis.projects import funding
from oasis.projects.enums import Stage
from oasis.projects.models import AciBareme, Project
from tests.projects.conftest import cast, project  # noqa: F401

pytestmark = pytest.mark.django_db


def indicator(code, libelle, *, fixe=0, variable=0, maximum=1, prerequis=False, socle=False, par_professionnel=False):
    return {
        "code": code,
        "libelle": libelle,
        "fixe": fixe,
        "variable": variable,
        "max": maximum,
        "prerequis": prerequis,
        "socle": socle,
        "par_professionnel": par_professionnel,
    }


INDICATORS = [
    indicator("pre", "Horaires d'ouverture", fixe=100, prerequis=True, socle=True),
    indicator("pre2", "Système d'information", fixe=10, prerequis=True, socle=True, par_professionnel=True),
    indicator("proto", "Protocoles", variable=10, maximum=8),
]


@pytest.fixture
def bareme(national):  # type: ignore[no-untyped-def]
    """A table of round figures, unlike the seeded one, made the only active one."""
    AciBareme.objects.update(actif=False)
    return AciBareme.objects.create(
        nom="Barème d'essai",
        valeur_point=10,
        patientele_reference=1000,
        plafond_ratio=2,
        points_par_professionnel=30,
        seuil_professionnels=3,
        points_par_professionnel_au_dela=20,
        taux_avance="0.50",
        avance_minimum=500,
        indicateurs=INDICATORS,
    )


def test_every_field_of_the_table_makes_the_rules(bareme):
    assert funding.rules_of(bareme) == AciRules(
        point_value=10.0,
        reference_patients=1000.0,
        ratio_cap=2.0,
        per_professional=30.0,
        professional_threshold=3,
        per_professional_beyond=20.0,
        advance_rate=0.5,
        advance_floor=500.0,
    )
    bareme.plafond_ratio = None
    assert funding.rules_of(bareme).ratio_cap == float("inf")


def test_an_invalid_table_is_refused_by_name(bareme):
    AciBareme.objects.filter(pk=bareme.pk).update(indicateurs=[{**INDICATORS[0], "max": "beaucoup"}])
    with pytest.raises(ValueError) as raised:
        funding.active_bareme()
    assert str(raised.value) == funding.INVALID_BAREME.format(
        nom="Barème d'essai", error="Indicateur n° 1 (pre) : « max » doit être un nombre positif ou nul."
    )


def test_the_newest_active_table_is_used_and_none_is_an_error(bareme):
    newer = AciBareme.objects.create(nom="Plus récent", indicateurs=INDICATORS)
    assert funding.active_bareme() == newer
    AciBareme.objects.update(actif=False)
    with pytest.raises(ValueError) as raised:
        funding.active_bareme()
    assert str(raised.value) == funding.NO_ACTIVE_BAREME


def test_units_are_kept_between_nothing_and_their_maximum(bareme):
    simulation = funding.simulate_aci(None, 1000, 2, {"pre": 5, "pre2": 1, "proto": -3})
    assert [row["units"] for row in simulation.rows] == [1.0, 1.0, 0.0]
    simulation = funding.simulate_aci(None, 1000, 2, {"pre": 1, "pre2": 1, "proto": 12})
    assert [row["units"] for row in simulation.rows] == [1.0, 1.0, 8.0]
    # 100 + 10 fixed points, 8 × 10 variable points at the reference patientèle, and the SI indicator's 30 points
    # for each of the 2 associated professionals: 250 points at 10 €.
    assert [row["points"] for row in simulation.rows] == [100.0, 10.0, 80.0]
    assert simulation.result.professional_points == 60
    assert simulation.result.total_points == 250 and simulation.result.amount == 2500
    # Advance: half the socle indicators' amount (100 + 10 + 60 points: 1,700 €), above the table's 500 € minimum.
    assert simulation.result.advance == 850
    assert [row["code"] for row in simulation.rows] == ["pre", "pre2", "proto"]
    assert simulation.bareme == bareme and simulation.warnings == []


def test_the_unmet_prerequisites_are_named(bareme):
    simulation = funding.simulate_aci(None, 1000, 2, {"proto": 8})
    assert not simulation.result.eligible and simulation.result.amount == 0
    assert simulation.warnings == ["Prérequis non remplis, aucune rémunération : Horaires d'ouverture ; Système d'information."]
    assert funding.simulate_aci(None, 1000, 2, {"pre": 1, "proto": 8}).warnings == [
        "Prérequis non remplis, aucune rémunération : Système d'information."
    ]


@pytest.mark.parametrize(("patients", "professionals"), [(-1, 0), (0, -1), (-0.5, 3)])
def test_a_negative_patientele_or_team_is_refused(bareme, patients, professionals):
    with pytest.raises(ValueError) as raised:
        funding.simulate_aci(None, patients, professionals, {})
    assert str(raised.value) == funding.NEGATIVE_ACI_INPUT


def test_no_patients_and_no_team_are_a_simulation(bareme):
    assert funding.simulate_aci(None, 0, 0, {"pre": 1, "pre2": 1}).result.eligible


SISA, KIND, STAGE = funding.ACI_SISA_ONLY, funding.ACI_MSP_ONLY, funding.ACI_BEFORE_VALIDATION
MET = {"pre": 1, "pre2": 1}


def test_a_project_carried_by_a_commune_not_yet_validated(bareme, project):  # noqa: F811
    assert funding.simulate_aci(project, 1000, 3, MET).warnings == [SISA, STAGE]


@pytest.mark.parametrize(
    ("kind", "carrier", "stage", "warnings"),
    [
        ("msp", "sisa", Stage.VALIDE, []),
        ("msp-multisite", "sisa", Stage.OUVERT, []),
        ("msp", "sisa", Stage.SUIVI, []),
        ("cpts", "association", Stage.VALIDE, [KIND, SISA]),
        ("msp", "sisa", Stage.COMITE, [STAGE]),
        ("msp", "sisa", Stage.A_REVOIR, [STAGE]),
    ],
)
def test_each_warning_for_the_project(bareme, project, kind, carrier, stage, warnings):  # noqa: F811
    Project.objects.filter(pk=project.pk).update(kind=kind, carrier=carrier, stage=stage)
    project.refresh_from_db()
    assert funding.simulate_aci(project, 1000, 3, MET).warnings == warnings


def test_a_centre_de_sante_is_never_simulated_with_the_msp_table(bareme, project):  # noqa: F811
    from oasis.projects.models import AciBareme

    AciBareme.objects.filter(kind="centre-de-sante").update(actif=False)
    Project.objects.filter(pk=project.pk).update(kind="centre-de-sante", stage=Stage.VALIDE)
    project.refresh_from_db()
    with pytest.raises(ValueError, match="accord national des centres de santé"):
        funding.simulate_aci(project, 1000, 3, MET)
