"""A project's operating budget: running costs shared by the professionals beside the ACI income, each one's share
to the cent; written by the porteurs and the Département only, audited, never over someone else's change; a CSV for
French Excel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.concurrency import EditConflict
from oasis.projects import budget
from oasis.projects.models import ProjectGuest
from oasis.projects.services import NotAllowed, add_member
from tests.csvread import french_number, french_rows
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db

D = Decimal


def entry(**changes: object) -> budget.BudgetEntry:
    values: dict[str, object] = {
        "charges_sisa": D("3200"),
        "loyer": D("24000.50"),
        "secretariat": D("28000"),
        "autres_charges": D("0"),
        "autres_libelle": "",
        "aci_annuel": D("41500"),
        "aci_source": "Simulateur ACI d'OASIS",
        "parts": {},
    }
    values.update(changes)
    return budget.BudgetEntry(**values)  # type: ignore[arg-type]


@pytest.fixture
def porteur(cast, project):  # type: ignore[no-untyped-def]
    user = make_user("sisa@lussac.test", Role.PORTEUR, organisation="SISA de Lussac")
    ProjectGuest.objects.create(project=project, user=user, invited_by=cast["vienne"])
    return user


@pytest.fixture
def team(cast, project):  # type: ignore[no-untyped-def]
    return [
        add_member(cast["vienne"], project, "generaliste", "associe-liberal", "Dr Martin"),
        add_member(cast["vienne"], project, "generaliste", "associe-liberal", "Dr Bernard"),
        add_member(cast["vienne"], project, "infirmier", "associe-liberal", "=IDE Dupont"),
        add_member(cast["vienne"], project, "biologiste", "pressenti", "Laboratoire Biolab"),
    ]


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        ("100", [1, 1, 1], ["33.34", "33.33", "33.33"]),
        ("100", [2, 1], ["66.67", "33.33"]),
        ("0.02", [1, 1, 1], ["0.01", "0.01", "0.00"]),
        ("55200.50", [1, 1, 1], ["18400.17", "18400.17", "18400.16"]),
        ("10", [0, 0], ["0.00", "0.00"]),
    ],
)
def test_shares_add_up_to_the_cent(total, weights, expected):
    shares = budget._split(D(total), weights)
    assert [str(share) for share in shares] == expected
    assert sum(shares) == (D(total) if sum(weights) else 0)


def test_by_default_the_associes_share_and_the_others_do_not(project, team):
    sheet = budget.sheet(project)
    assert sheet.budget is None and sheet.total_charges == 0
    assert [share.name for share in sheet.shares] == ["Dr Martin", "Dr Bernard", "=IDE Dupont"]
    assert all(share.parts == 1 for share in sheet.shares)
    assert "Laboratoire Biolab" not in {share.name for share in sheet.shares}


def test_the_costs_less_the_aci_are_shared_by_parts(cast, project, team, porteur):
    gp_martin, gp_bernard, nurse, lab = team
    parts = {str(gp_martin.pk): 2, str(gp_bernard.pk): 1, str(nurse.pk): 1, str(lab.pk): 0}
    budget.save_budget(porteur, project, entry(parts=parts))
    sheet = budget.sheet(project)
    assert sheet.total_charges == D("55200.50") and sheet.aci == D("41500") and sheet.reste == D("13700.50")
    assert sheet.total_parts == 4
    by_name = {share.name: share for share in sheet.shares}
    assert set(by_name) == {"Dr Martin", "Dr Bernard", "=IDE Dupont"}
    martin = by_name["Dr Martin"]
    assert (martin.charges, martin.aci, martin.reste) == (D("27600.25"), D("20750.00"), D("6850.25"))
    assert martin.reste_mensuel == D("570.85")  # 6 850,25 / 12 = 570,854…
    assert sum(share.reste for share in sheet.shares) == sheet.reste
    assert round(sheet.couverture or 0, 4) == round(41500 / 55200.50, 4)


def test_aci_beyond_the_costs_is_a_surplus(cast, project, team):
    budget.save_budget(cast["vienne"], project, entry(aci_annuel=D("60000")))
    sheet = budget.sheet(project)
    assert sheet.reste == D("-4799.50") and sheet.excedent == D("4799.50")


@pytest.mark.parametrize("who", ["ars_na", "cpam_na", "lussac", "charente_maritime", "medecin"])
def test_only_the_porteurs_and_the_departement_write_it(cast, project, team, who):
    with pytest.raises(NotAllowed):
        budget.save_budget(cast[who], project, entry())
    assert not AuditEvent.objects.filter(action="projet.budget_fonctionnement").exists()


def test_bad_input_is_refused(cast, project, team):
    with pytest.raises(ValueError, match="Loyer"):
        budget.save_budget(cast["vienne"], project, entry(loyer=D("-1")))
    with pytest.raises(ValueError, match="nature des autres charges"):
        budget.save_budget(cast["vienne"], project, entry(autres_charges=D("500")))
    with pytest.raises(ValueError, match="entre 0 et 100"):
        budget.save_budget(cast["vienne"], project, entry(parts={str(team[0].pk): 101}))
    with pytest.raises(ValueError, match="Membre inconnu"):
        budget.save_budget(cast["vienne"], project, entry(parts={"999999": 1}))


def test_a_save_over_someone_elses_change_is_refused_and_audited(cast, project, team, porteur):
    read = budget.budget_token(project)
    budget.save_budget(porteur, project, entry(), read)
    with pytest.raises(EditConflict) as conflict:
        budget.save_budget(cast["vienne"], project, entry(loyer=D("18000")), read)
    assert "sisa" in conflict.value.by.lower()  # who changed it, from the audit
    assert {change.name for change in conflict.value.changes} >= {"loyer", "aci_annuel"}
    assert budget.sheet(project).budget.loyer == D("24000.50")  # type: ignore[union-attr]
    budget.save_budget(cast["vienne"], project, entry(loyer=D("18000")), conflict.value.token)  # knowing it: accepted
    events = list(AuditEvent.objects.filter(action="projet.budget_fonctionnement").order_by("at", "pk"))
    assert len(events) == 2 and events[0].details["avant"] is None
    assert events[1].details["avant"]["loyer"] == "24000.50" and events[1].details["apres"]["loyer"] == "18000"


@pytest.mark.parametrize(
    ("who", "status", "form"),
    [
        ("vienne", 200, True),
        ("porteur", 200, True),
        ("ars_na", 200, False),
        ("lussac", 200, False),
        ("charente_maritime", 404, False),
        ("medecin", 404, False),
    ],
)
def test_the_page_for_each_role(client, cast, project, team, porteur, who, status, form):
    client.force_login(porteur if who == "porteur" else cast[who])
    response = client.get(reverse("project_budget", args=[project.pk]))
    assert response.status_code == status
    if status == 200:
        assert ('id="budget-form"' in response.content.decode()) is form
    posted = client.post(reverse("project_budget_save", args=[project.pk]), {"loyer": "1000"})
    assert posted.status_code == (302 if form else 403 if status == 200 else 404)
    assert client.get(reverse("project_budget_csv", args=[project.pk])).status_code == status


def test_anonymous_visitors_are_sent_to_the_login(client, project):
    response = client.get(reverse("project_budget", args=[project.pk]))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_saving_from_the_page_in_french(client, cast, project, team):
    client.force_login(cast["vienne"])
    page = client.get(reverse("project_budget", args=[project.pk]) + "?aci=41500.00")
    assert page.context["form"]["aci_annuel"].value() == D("41500.00")
    data = {
        "lu": page.context["form"]["lu"].value(),
        "charges_sisa": "3 200",
        "loyer": "24 000,50",
        "secretariat": "28000",
        "aci_annuel": "41 500",
        "aci_source": "Simulateur ACI d'OASIS",
        f"part-{team[0].pk}": "2",
        f"part-{team[1].pk}": "1",
        f"part-{team[2].pk}": "1",
        f"part-{team[3].pk}": "0",
    }
    response = client.post(reverse("project_budget_save", args=[project.pk]), data, follow=True)
    content = response.content.decode()
    assert "Budget de fonctionnement enregistré (55\u202f200,50 € de charges par an)." in content
    assert "13\u202f700,50 €" in content and "6\u202f850,25 €" in content
    refused = client.post(reverse("project_budget_save", args=[project.pk]), data | {"loyer": "-5"})
    assert refused.status_code == 400 and 'value="-5"' in refused.content.decode()
    stale = client.post(reverse("project_budget_save", args=[project.pk]), data | {"loyer": "1"})
    assert stale.status_code == 409 and "entre-temps" in stale.content.decode()
    assert 'id="conflit"' in stale.content.decode() and 'value="1"' in stale.content.decode()


def test_csv_opens_in_french_excel(client, cast, project, team):
    budget.save_budget(cast["vienne"], project, entry(parts={str(team[0].pk): 2}))
    client.force_login(cast["vienne"])
    response = client.get(reverse("project_budget_csv", args=[project.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = french_rows(response.content)
    total = next(row for row in rows if row["rubrique"] == "total des charges")
    assert french_number(total["charges_annuelles"]) == 55200.50
    shares = {row["professionnel"]: row for row in rows if row["rubrique"] == "part"}
    assert set(shares) == {"Dr Martin", "Dr Bernard", "'=IDE Dupont"}  # a formula-looking name is written as text
    assert shares["Dr Martin"]["parts"] == "2" and french_number(shares["Dr Martin"]["reste_annuel"]) == 6850.25
