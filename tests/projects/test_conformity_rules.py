"""The team against the cahier des charges, each minimum at, just below and just above its value, with who counts
(associates and salaried, not the pressentis nor the recherchés), the SISA rule when the région's rules carry it,
and the checklist answered item by item; the région's own rules before the default ones."""

import pytest

from oasis.projects.conformity import evaluate
from oasis.projects.models import CahierDesCharges, ChecklistAnswer, TeamMember
from tests.projects.conftest import cast, project  # noqa: F401

ITEMS = [
    {"code": "horaires", "categorie": "Accès aux soins", "libelle": "Horaires d'ouverture"},
    {"code": "locaux", "libelle": "Projet immobilier"},
]


@pytest.fixture
def rules(project):  # type: ignore[no-untyped-def]  # noqa: F811
    """Nouvelle-Aquitaine's own rules: three GPs, two auxiliaires, the SISA rule."""
    return CahierDesCharges.objects.create(
        region_id="75", titre="ARS Nouvelle-Aquitaine", min_generalistes=3, min_auxiliaires=2, items=ITEMS
    )


def team(project, *members):  # noqa: F811
    TeamMember.objects.bulk_create(TeamMember(project=project, profession=p, status=s) for p, s in members)
    return {check.code: check for check in evaluate(project).checks}


@pytest.mark.parametrize(("count", "met"), [(2, False), (3, True), (4, True)])
def test_the_minimum_of_general_practitioners(rules, project, count, met):  # noqa: F811
    check = team(project, *[("generaliste", "associe-liberal")] * (count - 1), ("generaliste", "salarie"))["equipe-generalistes"]
    assert check.met is met
    assert (check.categorie, check.libelle) == ("Équipe", "Au moins 3 médecins généralistes")
    assert check.detail == f"{count} membre(s) associé(s) ou salarié(s)"


def test_pressentis_and_recherches_do_not_count_and_pressentis_are_said(rules, project):  # noqa: F811
    check = team(
        project,
        ("generaliste", "associe-liberal"),
        ("generaliste", "associe-liberal"),
        ("generaliste", "pressenti"),
        ("generaliste", "recherche"),
        ("medecin-autre", "associe-liberal"),
    )["equipe-generalistes"]
    assert not check.met
    assert check.detail == "2 membre(s) associé(s) ou salarié(s), 1 pressenti(s) non comptés"


@pytest.mark.parametrize(("count", "met"), [(1, False), (2, True), (3, True)])
def test_the_minimum_of_auxiliaires_medicaux(rules, project, count, met):  # noqa: F811
    auxiliaires = [("infirmier", "salarie"), ("psychomotricien", "associe-liberal"), ("orthoptiste", "salarie")]
    check = team(project, *auxiliaires[:count], ("pharmacien", "associe-liberal"), ("infirmier", "pressenti"))[
        "equipe-auxiliaires"
    ]
    assert check.met is met
    assert check.libelle == "Au moins 2 auxiliaire(s) médical(aux)"
    assert check.detail == f"{count} auxiliaire(s) médical(aux)"


@pytest.mark.parametrize(("salaries", "met"), [(1, True), (2, False), (3, False)])
def test_fewer_salaried_than_associates(rules, project, salaries, met):  # noqa: F811
    members = [("generaliste", "associe-liberal")] * 2 + [("infirmier", "salarie")] * salaries
    check = team(project, *members, ("infirmier", "pressenti"))["equipe-salaries"]
    assert check.met is met
    assert check.libelle == "Moins de salariés que d'associés libéraux"
    assert check.detail == f"{salaries} salarié(s), 2 associé(s) libéral(aux)"


def test_the_sisa_rule_only_where_the_rules_carry_it(rules, project):  # noqa: F811
    rules.salaries_moins_que_associes = False
    rules.save()
    assert "equipe-salaries" not in team(project, ("infirmier", "salarie"))


def test_the_checklist_answered_item_by_item(rules, project):  # noqa: F811
    ChecklistAnswer.objects.create(project=project, code="horaires", met=True, comment="8 h – 20 h")
    ChecklistAnswer.objects.create(project=project, code="locaux", met=False, comment="terrain à trouver")
    ChecklistAnswer.objects.create(project=project, code="ancien-item", met=True)
    conformity = evaluate(project)
    items = [check for check in conformity.checks if not check.code.startswith("equipe-")]
    assert [(c.code, c.categorie, c.libelle, c.met, c.detail) for c in items] == [
        ("horaires", "Accès aux soins", "Horaires d'ouverture", True, "8 h – 20 h"),
        ("locaux", "", "Projet immobilier", False, "terrain à trouver"),
    ]
    ChecklistAnswer.objects.filter(code="locaux").delete()
    assert [(c.met, c.detail) for c in evaluate(project).checks if c.code == "locaux"] == [(False, "")]


def test_met_missing_and_conforme(rules, project):  # noqa: F811
    conformity = evaluate(project)
    assert not conformity.conforme and conformity.met == []
    assert [c.code for c in conformity.missing] == [
        "equipe-generalistes",
        "equipe-auxiliaires",
        "equipe-salaries",
        "horaires",
        "locaux",
    ]
    team(project, *[("generaliste", "associe-liberal")] * 3, ("infirmier", "salarie"), ("orthophoniste", "salarie"))
    for code in ("horaires", "locaux"):
        ChecklistAnswer.objects.create(project=project, code=code, met=True)
    conformity = evaluate(project)
    assert conformity.conforme and conformity.missing == [] and len(conformity.met) == 5


def test_the_region_s_rules_before_the_default_and_none_without_any(rules, project):  # noqa: F811
    assert evaluate(project).cahier == rules
    rules.delete()
    default = CahierDesCharges.objects.get(region__isnull=True, kind="msp")
    assert evaluate(project).cahier == default
    CahierDesCharges.objects.create(region_id="76", titre="ARS Occitanie", min_generalistes=5)
    assert evaluate(project).cahier == default  # another région's rules are not the project's
    CahierDesCharges.objects.filter(region_id__isnull=True).delete()
    assert evaluate(project) is None
