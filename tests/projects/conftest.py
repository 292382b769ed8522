"""A small cast, reused by every permission test: who sees what."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from oasis.accounts.enums import Role
from oasis.accounts.models import Profile
from oasis.projects.services import create_project
from tests.factories import NewProjectFactory

PASSWORD = "un-mot-de-passe-assez-long-42"


def make_user(email: str, role: str, **scope: str) -> object:
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, is_superuser=role == Role.ADMINISTRATEUR
    )
    Profile.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def cast(db, national):  # type: ignore[no-untyped-def]
    return {
        "admin": make_user("admin@oasis.test", Role.ADMINISTRATEUR),
        "vienne": make_user("cm@vienne.test", Role.DEPARTEMENT, departement_id="86"),
        "charente_maritime": make_user("cm@cm17.test", Role.DEPARTEMENT, departement_id="17"),
        "ars_na": make_user("ars@na.test", Role.ARS, region_id="75"),
        "cpam_na": make_user("cpam@na.test", Role.CPAM, region_id="75"),
        "ars_occitanie": make_user("ars@occitanie.test", Role.ARS, region_id="76"),
        "lussac": make_user("maire@lussac.test", Role.COLLECTIVITE, collectivite_niveau="commune", collectivite_code="86140"),
        "chauvigny": make_user(
            "maire@chauvigny.test", Role.COLLECTIVITE, collectivite_niveau="commune", collectivite_code="86070"
        ),
        "medecin": make_user("interne@fac.test", Role.PROFESSIONNEL),
    }


@pytest.fixture
def project(cast):  # type: ignore[no-untyped-def]
    return create_project(
        cast["vienne"],
        NewProjectFactory(
            nom="Maison de santé de Lussac-les-Châteaux",
            carrier_name="Commune de Lussac",
            communes_desservies=["86140", "86070"],
            next_action="Réunion d'information",
        ),
    )


@pytest.fixture
def other_project(cast):  # type: ignore[no-untyped-def]
    """A second project of the Vienne, in Chauvigny."""
    return create_project(
        cast["vienne"],
        NewProjectFactory(
            nom="Centre de santé de Chauvigny",
            kind="centre-de-sante",
            carrier="association",
            carrier_name="Association santé Chauvigny",
            commune_principale="86070",
        ),
    )
