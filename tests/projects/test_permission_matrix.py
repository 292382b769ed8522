"""Who may do what with a project, every right for every kind of user, against a table written from the rules
(oasis/projects/perms.py's docstring), not from the code: the Lussac project (Vienne, Nouvelle-Aquitaine)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from oasis.accounts.enums import Role
from oasis.projects import perms
from oasis.projects.enums import Stage
from oasis.projects.models import Project, ProjectGuest
from tests.projects.conftest import cast, make_user, project  # noqa: F401

RIGHTS = ("view", "edit", "comment", "move", "decide", "upload", "write", "restricted", "invite")
# view, edit, comment, move to a next stage, record the committee's decision, upload, write the projet de santé,
# see the Département's restricted documents, invite partners
TABLE = {
    "admin": "111111111",
    "vienne": "111101111",
    "ars_na": "111111101",
    "cpam_na": "101000000",
    "urps_invited": "101000000",
    "urps_not_invited": "000000000",
    "ordre_other_region_invited": "000000000",
    "porteur_invited": "101001100",
    "porteur_not_invited": "000000000",
    "lussac": "101001000",
    "chauvigny": "000000000",
    "epci_of_lussac": "000000000",
    "charente_maritime": "000000000",
    "ars_occitanie": "000000000",
    "medecin": "000000000",
    "anonymous": "000000000",
}


@pytest.fixture
def everyone(cast, project):  # type: ignore[no-untyped-def]  # noqa: F811
    users = dict(cast)
    users["urps_invited"] = make_user("urps@na.test", Role.URPS, region_id="75")
    users["urps_not_invited"] = make_user("urps2@na.test", Role.URPS, region_id="75")
    users["ordre_other_region_invited"] = make_user("ordre@occ.test", Role.ORDRE, region_id="76")
    users["porteur_invited"] = make_user("sisa@lussac.test", Role.PORTEUR)
    users["porteur_not_invited"] = make_user("sisa@ailleurs.test", Role.PORTEUR)
    users["epci_of_lussac"] = make_user(
        "pres@cc-lussac.test", Role.COLLECTIVITE, collectivite_niveau="epci", collectivite_code="200070043"
    )
    users["anonymous"] = AnonymousUser()
    for invited in ("urps_invited", "ordre_other_region_invited", "porteur_invited"):
        ProjectGuest.objects.create(project=project, user=users[invited])
    return users


def rights(user, project) -> str:  # noqa: F811
    answers = (
        perms.can_view(user, project),
        perms.can_edit(user, project),
        perms.can_comment(user, project),
        perms.can_move_to(user, project, Stage.CONSEIL),
        perms.can_move_to(user, project, Stage.VALIDE),
        perms.can_upload(user, project),
        perms.can_write_projet_de_sante(user, project),
        perms.can_see_restricted(user, project),
        perms.can_invite(user, project),
    )
    return "".join("1" if answer else "0" for answer in answers)


@pytest.mark.parametrize("who", list(TABLE))
def test_every_right_of_every_user(everyone, project, who):  # noqa: F811
    assert rights(everyone[who], project) == TABLE[who], dict(zip(RIGHTS, rights(everyone[who], project), strict=True))


@pytest.mark.parametrize("who", list(TABLE))
def test_the_list_holds_the_project_exactly_for_those_who_see_it(everyone, project, who):  # noqa: F811
    assert list(perms.visible_projects(everyone[who])) == ([project] if TABLE[who][0] == "1" else [])


@pytest.mark.parametrize("paused", [Stage.SUSPENDU, Stage.ABANDONNE])
def test_resuming_a_paused_project_is_for_those_who_instruct_it(everyone, project, paused):  # noqa: F811
    Project.objects.filter(pk=project.pk).update(stage=paused)
    project.refresh_from_db()
    allowed = {who for who in TABLE if perms.can_move_to(everyone[who], project, Stage.VALIDE)}
    assert allowed == {"admin", "vienne", "ars_na"}  # the Département too: going back is not a decision


@pytest.mark.parametrize(
    ("who", "departements"),
    [
        ("admin", {"86", "17", "31"}),
        ("vienne", {"86"}),
        ("ars_na", {"86", "17"}),  # the départements of Nouvelle-Aquitaine
        ("ars_occitanie", {"31"}),
        ("cpam_na", set()),
        ("lussac", set()),
        ("porteur_invited", set()),
        ("anonymous", set()),
    ],
)
def test_who_creates_projects_where(everyone, who, departements):
    user = everyone[who]
    assert {code for code in ("86", "17", "31") if perms.can_create_in(user, code)} == departements
    assert perms.can_create(user) is (who in {"admin", "vienne", "ars_na", "ars_occitanie"})


def test_those_told_of_what_happens_to_the_project(everyone, project):  # noqa: F811
    told = set(perms.audience(project).values_list("email", flat=True))
    assert told == {"cm@vienne.test", "ars@na.test", "cpam@na.test", "urps@na.test", "sisa@lussac.test", "maire@lussac.test"}
    assert set(perms.audience(project, restricted=True).values_list("email", flat=True)) == {"cm@vienne.test"}
    everyone["cpam_na"].is_active = False
    everyone["cpam_na"].save()
    assert "cpam@na.test" not in set(perms.audience(project).values_list("email", flat=True))


def test_the_porteurs_and_the_partners_still_to_invite(everyone, project):  # noqa: F811
    assert [guest.user for guest in perms.carriers(project)] == [everyone["porteur_invited"]]
    departed = make_user("ancien@urps-na.test", Role.URPS, region_id="75")
    departed.is_active = False
    departed.save()
    prefecture = make_user("pref@vienne.test", Role.PREFECTURE, region_id="75", organisation="Préfecture de la Vienne")
    ordre = make_user("cdom@vienne.test", Role.ORDRE, region_id="75", organisation="Ordre des médecins")
    first_by_address = make_user("a.urps@na.test", Role.URPS, region_id="75")
    # Active partners of the région not yet invited, by organisation then address; neither the CPAM nor the ARS.
    assert list(perms.invitable(project)) == [first_by_address, everyone["urps_not_invited"], ordre, prefecture]
