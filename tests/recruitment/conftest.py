"""The cast of users from the project tests, and a Vienne aid scheme configured as an officer would."""

from decimal import Decimal

import pytest

from oasis.recruitment.candidates import CandidateData, create_candidate
from oasis.recruitment.models import AidScheme
from oasis.recruitment.schemes import save_scheme
from tests.projects.conftest import cast, make_user, project  # noqa: F401


def make_scheme(code: str, departement: str | None = "86", **values) -> AidScheme:
    """A study-aid scheme stored as is (no service, no audit): 300 € a month, 36 months of practice."""
    defaults = {
        "nom": code,
        "financeur": "Département",
        "kind": "etudes",
        "professions": ["generaliste"],
        "montant_mensuel": Decimal("300"),
        "duree_engagement_mois": 36,
    }
    return AidScheme.objects.create(code=code, departement_id=departement, **{**defaults, **values})


@pytest.fixture
def vienne_medecine(cast):  # noqa: F811
    scheme = AidScheme(
        code="vienne-etudes-medecine",
        nom="Aide aux études de médecine (Vienne)",
        financeur="Département de la Vienne",
        kind="etudes",
        professions=["generaliste"],
        annee_min=4,
        annee_max=10,
        montant_mensuel=Decimal("500"),
        plafond=Decimal("42000"),
        duree_engagement_mois=84,
        delai_installation_mois=36,
        regle_remboursement="prorata",
    )
    return save_scheme(cast["vienne"], scheme, "86")


@pytest.fixture
def student(cast):  # noqa: F811
    return create_candidate(
        cast["vienne"],
        "86",
        CandidateData(
            nom="Durand",
            prenom="Léa",
            profession="generaliste",
            situation="etudiant",
            email="lea.durand@etu.test",
            annee_etudes=4,
            etablissement="Faculté de médecine de Poitiers",
            territoires_preferes=["epci:200069854"],
            commune_reference="86194",
            temps_max_minutes=45,
            modes=["liberal"],
            consentement_communication=True,
        ),
        consent_given=True,
    )
