"""Two officers open the same form; the first saves. The second's save over it is refused, naming the first and when,
showing field by field what is stored beside what they typed, their input kept in the form; saved again, knowing the
other's change, it goes through, and the audit shows both saves. One test per form: the next action, the operation's
cost, an action of the journal, a funding line, a région's cahier des charges, the project's checklist."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.concurrency import MODIFIED_MEANWHILE, moment
from oasis.projects import funding
from oasis.projects.conformity import evaluate
from oasis.projects.enums import ActionKind
from oasis.projects.models import CahierDesCharges, FundingTool, Project
from oasis.projects.services import ActionEntry, log_action
from tests.formread import form_fields
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire(cast):  # type: ignore[no-untyped-def]
    """The Vienne's officer, with a name."""
    user = cast["vienne"]
    user.first_name, user.last_name = "Claire", "Durand"
    user.save()
    return user


@pytest.fixture
def paul(cast):  # type: ignore[no-untyped-def]
    """A second officer of the Vienne."""
    return make_user("paul@vienne.test", Role.DEPARTEMENT, departement_id="86")


def _browser(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _form(client: Client, url: str, form_id: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200
    return form_fields(page.content.decode(), form_id)


def _refused_by(response, user, action: str) -> str:  # type: ignore[no-untyped-def]
    """The refusal's page, checked to name ``user`` and the time of their save."""
    assert response.status_code == 409
    page = response.content.decode()
    saved_at = AuditEvent.objects.filter(user=user, action=action).latest("at", "pk").at
    by = user.get_full_name() or user.email
    assert escape(MODIFIED_MEANWHILE.format(by=by, at=moment(saved_at))) in page
    return page


def _writers(project, action: str) -> list[str]:  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.filter(action=action, objet_id=str(project.pk)).order_by("at", "pk")
    return [event.user.email for event in events]


def test_the_next_action(project, claire, paul):
    a, b = _browser(claire), _browser(paul)
    url = reverse("project_detail", args=[project.pk])
    form_a, form_b = _form(a, url, "next-action-form"), _form(b, url, "next-action-form")
    post = reverse("project_next_action", args=[project.pk])
    assert a.post(post, form_a | {"next_action": "Visite du site", "next_action_due": "2027-02-01"}).status_code == 302
    refused = b.post(post, form_b | {"next_action": "Réunion avec l'ARS", "next_action_due": "2027-03-01"})
    page = _refused_by(refused, claire, "projet.prochaine_action")
    assert '<td class="theirs">Visite du site</td>' in page and '<td class="yours">Réunion avec l&#x27;ARS</td>' in page
    assert '<td class="theirs">1er février 2027</td>' in page
    kept = form_fields(page, "next-action-form")
    assert (kept["next_action"], kept["next_action_due"]) == ("Réunion avec l'ARS", "2027-03-01")
    stored = Project.objects.get(pk=project.pk)
    assert (stored.next_action, stored.next_action_due) == ("Visite du site", date(2027, 2, 1))  # not overwritten
    assert b.post(post, kept | {"next_action": "Visite du site, puis réunion avec l'ARS"}).status_code == 302
    assert Project.objects.get(pk=project.pk).next_action == "Visite du site, puis réunion avec l'ARS"
    assert _writers(project, "projet.prochaine_action") == ["cm@vienne.test", "paul@vienne.test"]


def test_the_operation_s_cost(project, claire, paul):
    a, b = _browser(claire), _browser(paul)
    url = reverse("project_funding", args=[project.pk])
    form_a, form_b = _form(a, url, "cost-form"), _form(b, url, "cost-form")
    post = reverse("funding_cost", args=[project.pk])
    assert a.post(post, form_a | {"cout_total": "1200000"}).status_code == 302
    refused = b.post(post, form_b | {"cout_total": "950000"})
    page = _refused_by(refused, claire, "projet.cout")
    assert '<td class="theirs">1\u202f200\u202f000</td>' in page and '<td class="yours">950\u202f000</td>' in page
    kept = form_fields(page, "cost-form")
    assert kept["cout_total"] == "950000"
    assert Project.objects.get(pk=project.pk).cout_total == Decimal("1200000")
    assert b.post(post, kept | {"cout_total": "1200000"}).status_code == 302  # the same figure, agreed
    assert _writers(project, "projet.cout") == ["cm@vienne.test", "paul@vienne.test"]


def test_an_action_of_the_journal(project, claire, paul):
    action = log_action(claire, project, ActionEntry(ActionKind.choices[0][0], date(2027, 1, 10), "Réunion d'information"))
    a, b = _browser(claire), _browser(paul)
    url = reverse("action_edit", args=[project.pk, action.pk])
    form_a, form_b = _form(a, url, "action-form"), _form(b, url, "action-form")
    assert a.post(url, form_a | {"compte_rendu": "Douze professionnels présents."}).status_code == 302
    refused = b.post(url, form_b | {"compte_rendu": "Dix professionnels.", "participants": "Mairie"})
    page = _refused_by(refused, claire, "projet.action.modification")
    assert "Douze professionnels présents." in page and 'data-champ="participants"' not in page  # only what changed
    kept = form_fields(page, "action-form")
    assert (kept["compte_rendu"], kept["participants"]) == ("Dix professionnels.", "Mairie")
    action.refresh_from_db()
    assert (action.compte_rendu, action.participants) == ("Douze professionnels présents.", "")
    assert b.post(url, kept | {"compte_rendu": "Douze professionnels présents."}).status_code == 302
    action.refresh_from_db()
    assert (action.compte_rendu, action.participants) == ("Douze professionnels présents.", "Mairie")
    assert _writers(project, "projet.action.modification") == ["cm@vienne.test", "paul@vienne.test"]


def test_a_funding_line(project, claire, paul):
    tool = funding.offered_tools(project).first()
    assert isinstance(tool, FundingTool)
    line = funding.save_line(claire, project, funding.LineEntry(tool=tool.code, demande=Decimal("50000")))
    a, b = _browser(claire), _browser(paul)
    url = reverse("project_funding", args=[project.pk])
    form_id = f"line-{line.pk}-form"
    form_a, form_b = _form(a, url, form_id), _form(b, url, form_id)
    post = reverse("funding_line_edit", args=[project.pk, line.pk])
    assert a.post(post, form_a | {"accorde": "40000", "accorde_le": "2027-01-15"}).status_code == 302
    refused = b.post(post, form_b | {"demande": "60000"})
    page = _refused_by(refused, claire, "projet.financement")
    assert 'data-champ="accorde"' in page and 'data-champ="demande"' not in page  # A changed the grant, not the request
    kept = form_fields(page, form_id)
    assert (kept["demande"], kept["accorde"]) == ("60000", "")  # B's input, as typed
    line.refresh_from_db()
    assert (line.demande, line.accorde) == (Decimal("50000"), Decimal("40000"))
    assert b.post(post, kept | {"accorde": "40000", "accorde_le": "2027-01-15"}).status_code == 302
    line.refresh_from_db()
    assert (line.demande, line.accorde) == (Decimal("60000"), Decimal("40000"))
    assert _writers(project, "projet.financement") == ["cm@vienne.test", "cm@vienne.test", "paul@vienne.test"]


def test_a_form_read_after_the_other_s_save_is_accepted(project, claire, paul):
    a, b = _browser(claire), _browser(paul)
    url = reverse("project_funding", args=[project.pk])
    post = reverse("funding_cost", args=[project.pk])
    assert a.post(post, _form(a, url, "cost-form") | {"cout_total": "1000000"}).status_code == 302
    assert b.post(post, _form(b, url, "cost-form") | {"cout_total": "1000000,50"}).status_code == 302
    assert Project.objects.get(pk=project.pk).cout_total == Decimal("1000000.50")


def test_a_region_s_cahier_des_charges(cast):
    agent = cast["ars_na"]
    other = make_user("ars2@na.test", Role.ARS, region_id="75")
    other.first_name, other.last_name = "Inès", "Roux"
    other.save()
    a, b = _browser(agent), _browser(other)
    url = reverse("cahier_detail", args=["75"])
    form_a, form_b = _form(a, url, "cahier-form"), _form(b, url, "cahier-form")
    post = reverse("cahier_save", args=["75"])
    source = "ARS Nouvelle-Aquitaine, cahier des charges régional des MSP, 2026"
    assert b.post(post, form_b | {"source": source, "min_generalistes": "3"}).status_code == 302  # Inès writes first
    refused = a.post(post, form_a | {"source": "Texte de l'ARS", "min_auxiliaires": "3"})
    page = _refused_by(refused, other, "cahier_des_charges.modification")
    assert 'data-champ="min_generalistes"' in page and 'data-champ="source"' in page
    kept = form_fields(page, "cahier-form")
    assert (kept["source"], kept["min_auxiliaires"], kept["min_generalistes"]) == (
        "Texte de l'ARS",
        "3",
        form_a["min_generalistes"],
    )
    stored = CahierDesCharges.objects.get(region_id="75")
    assert (stored.source, stored.min_generalistes) == (source, 3)
    assert a.post(post, kept | {"source": source, "min_generalistes": "3"}).status_code == 302
    stored.refresh_from_db()
    assert (stored.source, stored.min_generalistes, stored.min_auxiliaires) == (source, 3, 3)
    events = AuditEvent.objects.filter(action="cahier_des_charges.modification", objet_id=str(stored.pk)).order_by("at", "pk")
    assert [event.user.email for event in events] == ["ars2@na.test", "ars@na.test"]


def test_the_project_s_checklist(project, claire, paul):
    a, b = _browser(claire), _browser(paul)
    url = reverse("project_detail", args=[project.pk])
    form_a, form_b = _form(a, url, "checklist-form"), _form(b, url, "checklist-form")
    codes = [item["code"] for item in evaluate(project).cahier.items]  # type: ignore[union-attr]
    first, second = codes[0], codes[1]
    post = reverse("project_checklist", args=[project.pk])
    assert a.post(post, form_a | {"met": [first], f"comment-{first}": "Diagnostic de l'ORS."}).status_code == 302
    refused = b.post(post, form_b | {"met": [second], f"comment-{second}": "Ouvert le samedi."})
    page = _refused_by(refused, claire, "projet.cahier_des_charges")
    assert f'data-champ="met-{first}"' in page and f'data-champ="comment-{first}"' in page
    assert f'data-champ="met-{second}"' not in page  # nobody else changed it
    kept = form_fields(page, "checklist-form")
    assert kept["met"] == [second] and kept[f"comment-{second}"] == "Ouvert le samedi."
    assert set(project.checklist.filter(met=True).values_list("code", flat=True)) == {first}
    assert b.post(post, kept | {"met": [first, second], f"comment-{first}": "Diagnostic de l'ORS."}).status_code == 302
    assert set(project.checklist.filter(met=True).values_list("code", flat=True)) == {first, second}
    assert project.checklist.get(code=first).comment == "Diagnostic de l'ORS."
    assert _writers(project, "projet.cahier_des_charges") == ["cm@vienne.test", "paul@vienne.test"]
