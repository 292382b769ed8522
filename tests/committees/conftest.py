"""A filed project of the Vienne, a session of the Nouvelle-Aquitaine committee, and its members."""

from __future__ import annotations

from datetime import date

import pytest

from oasis.accounts.enums import Role
from oasis.committees.services import SessionData, create_session
from oasis.projects.conformity import evaluate
from oasis.projects.enums import Stage
from oasis.projects.services import add_member, create_project, set_checklist
from oasis.projects.stages import move
from tests.factories import NewProjectFactory
from tests.projects.conftest import cast, make_user, project  # noqa: F401

FILED = (Stage.CONSEIL, Stage.DEFINITION, Stage.ACCOMPAGNEMENT, Stage.DEPOSE)


def file_project(cast, project):  # type: ignore[no-untyped-def]  # noqa: F811
    for stage in FILED:
        move(cast["vienne"], project, stage, "suite")
    return project


def conforming(cast, project):  # type: ignore[no-untyped-def]  # noqa: F811
    for profession in ("generaliste", "generaliste", "infirmier"):
        add_member(cast["vienne"], project, profession, "associe-liberal")
    set_checklist(cast["vienne"], project, {item["code"] for item in evaluate(project).cahier.items}, {})
    return project


@pytest.fixture
def filed(cast, project):  # type: ignore[no-untyped-def]  # noqa: F811
    return file_project(cast, project)


@pytest.fixture
def second(cast):  # type: ignore[no-untyped-def]  # noqa: F811
    other = create_project(
        cast["vienne"],
        NewProjectFactory(
            nom="Centre de santé de Chauvigny",
            kind="centre-de-sante",
            carrier_name="Commune de Chauvigny",
            commune_principale="86070",
        ),
    )
    return conforming(cast, file_project(cast, other))


@pytest.fixture
def prefecture(cast):  # type: ignore[no-untyped-def]  # noqa: F811
    return make_user("pref@vienne.test", Role.PREFECTURE, region_id="75", organisation="Préfecture de la Vienne")


@pytest.fixture
def urps(cast):  # type: ignore[no-untyped-def]  # noqa: F811
    return make_user("urps@na.test", Role.URPS, region_id="75", organisation="URPS médecins libéraux")


@pytest.fixture
def session(cast, prefecture, urps):  # type: ignore[no-untyped-def]  # noqa: F811
    return create_session(
        cast["ars_na"],
        "75",
        SessionData(
            date=date(2027, 5, 12),
            lieu="ARS, Poitiers",
            copresident_ars="Mme Martin, directrice de l'offre de soins",
            copresident_prefecture="M. Durand, secrétaire général",
            member_ids=[cast["cpam_na"].pk, prefecture.pk, urps.pk, cast["vienne"].pk],
            external_members="Conseil régional\nFrance Assos Santé",
        ),
    )
