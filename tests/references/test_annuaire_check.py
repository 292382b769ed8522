"""An RPPS number checked against the imported Annuaire santé extract: for a candidate and for a team member."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.accounts.models import Profile
from oasis.projects.models import TeamMember
from oasis.projects.services import add_member, create_project
from oasis.references.annuaire import check
from oasis.references.importers import run_import
from oasis.references.models import RppsActivite
from oasis.references.validators import RPPS_FORMAT
from tests.factories import NewProjectFactory
from tests.references.conftest import rpps_header

pytestmark = pytest.mark.django_db

DOCTOR = "10101234567"
NURSE = "10107654321"


def _line(header: list[str], **by_column: str) -> str:
    return "|".join(by_column.get(name, "") for name in header)


def _extract(write, name: str = "PS_LibreAcces_Personne_activite_202611010830.txt"):  # type: ignore[no-untyped-def]
    header = rpps_header()
    rows = [
        # A GP practising in two places (one row per activity), identified by RPPS (type 8).
        dict(
            zip(
                (
                    "Type d'identifiant PP",
                    "Identification nationale PP",
                    "Nom d'exercice",
                    "Prénom d'exercice",
                    "Code profession",
                    "Libellé profession",
                    "Code savoir-faire",
                    "Libellé savoir-faire",
                    "Code mode exercice",
                    "Libellé mode exercice",
                    "Code commune (coord. structure)",
                    "Libellé commune (coord. structure)",
                    "Raison sociale site",
                ),
                (
                    "8",
                    f"8{DOCTOR}",
                    "MARTIN",
                    "Claire",
                    "10",
                    "Médecin",
                    "SM53",
                    "Spécialiste en Médecine Générale",
                    "L",
                    "Libéral",
                    "86194",
                    "Poitiers",
                    "MSP des Couronneries",
                ),
                strict=True,
            )
        ),
        {
            "Type d'identifiant PP": "8",
            "Identification nationale PP": f"8{DOCTOR}",
            "Nom d'exercice": "MARTIN",
            "Prénom d'exercice": "Claire",
            "Code profession": "10",
            "Libellé profession": "Médecin",
            "Code savoir-faire": "SM53",
            "Libellé savoir-faire": "Spécialiste en Médecine Générale",
            "Code mode exercice": "S",
            "Libellé mode exercice": "Salarié",
            "Code commune (coord. structure)": "86066",
            "Libellé commune (coord. structure)": "Châtellerault",
        },
        {
            "Type d'identifiant PP": "8",
            "Identification nationale PP": f"8{NURSE}",
            "Nom d'exercice": "DUPONT",
            "Prénom d'exercice": "Paul",
            "Code profession": "60",
            "Libellé profession": "Infirmier",
            "Code mode exercice": "L",
            "Libellé mode exercice": "Libéral",
            "Code commune (coord. structure)": "86194",
        },
        # An ADELI-identified row, and an osteopath: not kept for the check.
        {
            "Type d'identifiant PP": "0",
            "Identification nationale PP": "0010001949",
            "Nom d'exercice": "JOLY",
            "Code profession": "60",
            "Code commune (coord. structure)": "86194",
        },
        {
            "Type d'identifiant PP": "8",
            "Identification nationale PP": "810100000001",
            "Code profession": "71",
            "Libellé profession": "Ostéopathe",
            "Code commune (coord. structure)": "86194",
        },
    ]
    return write(name, "\n".join(["|".join(header), *(_line(header, **row) for row in rows)]) + "\n")


def test_the_import_keeps_the_activities_of_rpps_professionals_of_checked_professions(national, write):
    run_import("rpps", _extract(write))
    assert sorted(RppsActivite.objects.values_list("rpps", "mode", "commune_id")) == [
        (DOCTOR, "Libéral", "86194"),
        (DOCTOR, "Salarié", "86066"),
        (NURSE, "Libéral", "86194"),
    ]


def test_a_new_extract_replaces_the_activities_of_the_previous_one(national, write):
    run_import("rpps", _extract(write))
    header = rpps_header()
    only_nurse = _line(
        header,
        **{
            "Type d'identifiant PP": "8",
            "Identification nationale PP": f"8{NURSE}",
            "Code profession": "60",
            "Libellé profession": "Infirmier",
            "Code commune (coord. structure)": "86066",
        },
    )
    run_import("rpps", write("PS_LibreAcces_Personne_activite_202612010830.txt", "|".join(header) + "\n" + only_nurse + "\n"))
    assert list(RppsActivite.objects.values_list("rpps", "commune_id")) == [(NURSE, "86066")]


def test_the_check_says_who_the_number_is_and_whether_the_profession_matches(national, write):
    assert check("", "Médecin généraliste") is None
    unknown_before_import = check(DOCTOR, "Médecin généraliste")
    assert not unknown_before_import.found and unknown_before_import.reference is None
    run_import("rpps", _extract(write))
    doctor = check(DOCTOR, "Médecin généraliste")
    assert doctor.found and doctor.profession_matches is True
    assert [a.lieu for a in doctor.activities] == ["MSP des Couronneries, Poitiers", "Châtellerault"]
    assert "extraction du 01/11/2026" in doctor.source
    assert check(DOCTOR, "Infirmier").profession_matches is False
    assert check(NURSE, "Infirmier(ère)").profession_matches is True
    assert check(NURSE, "Médecin généraliste").profession_matches is False
    assert check(DOCTOR, "Autre médecin").profession_matches is True
    nobody = check("10109999999", "Infirmier")
    assert not nobody.found and nobody.profession_matches is None and nobody.reference is not None


@pytest.fixture
def officer(national):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username="cm@vienne.test", email="cm@vienne.test", password="x" * 20)
    Profile.objects.create(user=user, role=Role.DEPARTEMENT, departement_id="86")
    return user


def test_a_team_member_shows_the_annuaire_beside_the_declaration(officer, write, client):
    run_import("rpps", _extract(write))
    project = create_project(
        officer,
        NewProjectFactory(nom="MSP", commune_principale="86194"),
    )
    client.force_login(officer)
    url = reverse("project_team_add", args=[project.pk])
    client.post(url, {"profession": "generaliste", "status": "associe-liberal", "rpps": DOCTOR})
    page = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Conforme à l'Annuaire santé" in page and "MSP des Couronneries, Poitiers" in page
    response = client.post(url, {"profession": "infirmier", "status": "associe-liberal", "rpps": "1234"}, follow=True)
    assert RPPS_FORMAT in response.content.decode()
    assert TeamMember.objects.filter(project=project).count() == 1
    with pytest.raises(ValueError, match="11 chiffres"):
        add_member(officer, project, "infirmier", "associe-liberal", rpps="1010123456A")


def test_a_candidate_page_shows_the_annuaire_and_a_mismatch(officer, write, client):
    from oasis.recruitment.candidates import CandidateData, create_candidate

    run_import("rpps", _extract(write))
    data = CandidateData(nom="Martin", prenom="Claire", profession="sage-femme", situation="professionnel", rpps=DOCTOR)
    candidate = create_candidate(officer, "86", data, consent_given=True)
    client.force_login(officer)
    page = client.get(reverse("candidate_detail", args=[candidate.pk])).content.decode()
    assert 'id="annuaire-sante"' in page and "Profession différente de la déclaration" in page
    assert "Claire MARTIN — Médecin (Spécialiste en Médecine Générale), libéral, MSP des Couronneries, Poitiers" in page
    with pytest.raises(ValueError, match="11 chiffres"):
        create_candidate(
            officer, "86", CandidateData(nom="A", prenom="B", profession="sage-femme", situation="etudiant", rpps="12"), True
        )


def test_checking_a_whole_team_costs_two_queries(national, write, django_assert_num_queries):
    from oasis.references.annuaire import check_all

    run_import("rpps", _extract(write))
    numbers = [(DOCTOR, "Médecin généraliste"), ("", ""), (NURSE, "Infirmier"), ("10109999999", "Infirmier")]
    with django_assert_num_queries(2):
        checks = check_all(numbers)
    assert checks[1] is None
    assert [(c.rpps, c.found, c.profession_matches) for c in checks if c] == [
        (DOCTOR, True, True),
        (NURSE, True, True),
        ("10109999999", False, None),
    ]
