"""Regional cahiers des charges: the ARS enters its région's rules from its official text (source required), the
projects of that région are judged by them and the others keep the national default; requirements keep their
answers while their wording stays; bounds, bad lines, rights and audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.projects import cahiers
from oasis.projects.conformity import evaluate
from oasis.projects.models import CahierDesCharges
from oasis.projects.services import NewProject, NotAllowed, add_member, create_project, set_checklist
from oasis.projects.stages import NotConforming, check_validation

pytestmark = pytest.mark.django_db


def rules(**changes: object) -> cahiers.RulesData:
    values: dict[str, object] = {
        "titre": "Cahier des charges MSP de l'ARS Nouvelle-Aquitaine",
        "source": "ARS Nouvelle-Aquitaine, cahier des charges régional des MSP (texte saisi par l'ARS)",
        "min_generalistes": 3,
        "min_auxiliaires": 2,
        "salaries_moins_que_associes": True,
        "items_text": "Projet de santé | Diagnostic territorial des besoins de santé\n"
        "Accès aux soins | Ouverture le samedi matin",
    }
    values.update(changes)
    return cahiers.RulesData(**values)  # type: ignore[arg-type]


def team_of_two_gps_and_one_nurse(user, project) -> None:  # type: ignore[no-untyped-def]
    add_member(user, project, "generaliste", "associe-liberal", "Dr A")
    add_member(user, project, "generaliste", "associe-liberal", "Dr B")
    add_member(user, project, "infirmier", "associe-liberal", "IDE C")


def test_the_regions_rules_judge_its_projects_and_no_other(cast, project):
    team_of_two_gps_and_one_nurse(cast["vienne"], project)
    default = evaluate(project)
    assert default is not None and default.cahier.region_id is None
    team_checks = {check.code: check.met for check in default.checks if check.categorie == "Équipe"}
    assert team_checks == {"equipe-generalistes": True, "equipe-auxiliaires": True, "equipe-salaries": True}
    saved = cahiers.save_regional(cast["ars_na"], "75", rules())
    judged = evaluate(project)
    assert judged is not None and judged.cahier == saved
    team_checks = {check.code: check.met for check in judged.checks if check.categorie == "Équipe"}
    assert team_checks == {"equipe-generalistes": False, "equipe-auxiliaires": False, "equipe-salaries": True}
    assert [check.libelle for check in judged.checks if check.categorie != "Équipe"] == [
        "Diagnostic territorial des besoins de santé",
        "Ouverture le samedi matin",
    ]
    with pytest.raises(NotConforming, match="Cahier des charges MSP de l'ARS Nouvelle-Aquitaine"):
        check_validation(project, derogation="")
    cahiers.save_regional(cast["ars_na"], "75", rules(min_generalistes=2, min_auxiliaires=1))  # at the team's size
    judged = evaluate(project)
    assert judged is not None
    assert {check.code: check.met for check in judged.checks if check.categorie == "Équipe"}["equipe-generalistes"]
    toulouse = create_project(
        cast["ars_occitanie"],
        NewProject("MSP de Toulouse", "msp", "sisa", "SISA", "31555", ["31555"], "commune", "31555"),
    )
    other = evaluate(toulouse)
    assert other is not None and other.cahier.region_id is None  # Occitanie keeps the default


@pytest.mark.parametrize(("value", "accepted"), [(-1, False), (0, True), (20, True), (21, False)])
def test_minimums_at_and_around_their_bounds(cast, value, accepted):
    if accepted:
        assert cahiers.save_regional(cast["ars_na"], "75", rules(min_generalistes=value)).min_generalistes == value
    else:
        with pytest.raises(ValueError) as refused:
            cahiers.save_regional(cast["ars_na"], "75", rules(min_generalistes=value))
        expected = cahiers.MINIMUM_OUT_OF_BOUNDS.format(label="médecins généralistes", limit=20, value=value)
        assert str(refused.value) == expected


@pytest.mark.parametrize(
    ("items_text", "message"),
    [
        ("Projet de santé | Diagnostic\nsans séparateur", cahiers.BAD_LINE.format(number=2, line="sans séparateur")),
        (" | Libellé sans catégorie", cahiers.BAD_LINE.format(number=1, line="| Libellé sans catégorie")),
        ("A | Diagnostic\nB | Diagnostic", cahiers.DUPLICATE_LINE.format(number=2, libelle="Diagnostic")),
        ("\n  \n", cahiers.NO_ITEMS),
    ],
)
def test_bad_requirement_lines_are_refused_naming_the_line(cast, items_text, message):
    with pytest.raises(ValueError) as refused:
        cahiers.save_regional(cast["ars_na"], "75", rules(items_text=items_text))
    assert str(refused.value) == message
    assert not CahierDesCharges.objects.filter(region_id="75").exists()  # nothing half-saved


def test_a_source_is_required(cast):
    with pytest.raises(ValueError) as refused:
        cahiers.save_regional(cast["ars_na"], "75", rules(source="  "))
    assert str(refused.value) == cahiers.SOURCE_REQUIRED


def test_requirements_keep_their_answers_while_their_wording_stays(cast, project):
    default = cahiers.national_default()
    assert default is not None
    kept = default.items[0]
    set_checklist(cast["vienne"], project, {kept["code"]}, {})
    text = f"{kept['categorie']} | {kept['libelle']}\nCoordination | Une réunion mensuelle au moins"
    saved = cahiers.save_regional(cast["ars_na"], "75", rules(items_text=text))
    assert saved.items[0]["code"] == kept["code"]  # same wording: same code, the project's answer still counts
    assert saved.items[1]["code"] == "une-reunion-mensuelle-au-moins"
    judged = evaluate(project)
    assert judged is not None
    assert next(check for check in judged.checks if check.code == kept["code"]).met
    assert not next(check for check in judged.checks if check.code == "une-reunion-mensuelle-au-moins").met


def test_changes_are_audited_with_the_state_before_and_the_default_comes_back(cast):
    cahiers.save_regional(cast["ars_na"], "75", rules())
    cahiers.save_regional(cast["ars_na"], "75", rules(min_generalistes=4))
    last = AuditEvent.objects.filter(action="cahier_des_charges.modification").order_by("-pk").first()
    assert last is not None and last.details["avant"]["min_generalistes"] == 3 and last.details["apres"]["min_generalistes"] == 4
    cahiers.remove_regional(cast["ars_na"], "75")
    assert cahiers.regional("75") is None
    assert AuditEvent.objects.filter(action="cahier_des_charges.suppression").count() == 1
    with pytest.raises(ValueError) as refused:
        cahiers.remove_regional(cast["ars_na"], "75")
    assert str(refused.value) == cahiers.ALREADY_DEFAULT


@pytest.mark.parametrize("who", ["ars_occitanie", "cpam_na", "vienne", "lussac", "medecin"])
def test_only_the_regions_ars_and_administrators_change_its_rules(client, cast, who):
    with pytest.raises(NotAllowed):
        cahiers.save_regional(cast[who], "75", rules())
    client.force_login(cast[who])
    assert client.get(reverse("cahier_detail", args=["75"])).status_code == 200  # everyone signed in reads them
    assert "cahier-form" not in client.get(reverse("cahier_detail", args=["75"])).content.decode()
    assert client.post(reverse("cahier_save", args=["75"]), {"titre": "x"}).status_code == 403
    assert client.post(reverse("cahier_remove", args=["75"])).status_code == 403


def test_the_ars_enters_its_rules_through_the_page(client, cast):
    client.force_login(cast["ars_na"])
    page = client.get(reverse("cahier_detail", args=["75"])).content.decode()
    assert "Règles par défaut (la région n'a pas saisi les siennes)" in page and "cahier-form" in page
    form = {
        "titre": "Cahier des charges MSP NA",
        "source": "ARS NA, 2026",
        "min_generalistes": "2",
        "min_auxiliaires": "1",
        "salaries_moins_que_associes": "on",
        "items": "Accès aux soins | Ouverture le samedi matin",
    }
    response = client.post(reverse("cahier_save", args=["75"]), form, follow=True)
    assert (
        "Cahier des charges de la région Nouvelle-Aquitaine (Maison de santé pluriprofessionnelle (mono-site)) enregistré."
        in response.content.decode()
    )
    assert "Règles propres à la région" in response.content.decode()
    refused = client.post(reverse("cahier_save", args=["75"]), dict(form, min_generalistes="21"))
    assert refused.status_code == 400
    listing = client.get(reverse("cahiers")).content.decode()
    assert "Cahier des charges MSP NA" in listing and "ARS NA, 2026" in listing
    client.logout()
    assert client.get(reverse("cahiers")).status_code == 302  # sign in first
    admin_client = client
    admin_client.force_login(cast["admin"])
    assert admin_client.post(reverse("cahier_remove", args=["75"])).status_code == 302
    assert cahiers.regional("75") is None
