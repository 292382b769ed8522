"""Two ARS agents record the committee's decision on the same project: the second save over the first is refused,
naming the first agent and when, the changed fields beside what the second typed, kept in the form; saved again, it
goes through, and the audit shows both decisions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.committees import services
from oasis.committees.models import AgendaItem
from oasis.concurrency import MODIFIED_MEANWHILE, moment
from oasis.projects.enums import Stage
from tests.formread import form_fields
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_decision_on_a_project_of_the_agenda(cast, second, session):
    agent = cast["ars_na"]
    agent.first_name, agent.last_name = "Anne", "Martin"
    agent.save()
    colleague = make_user("ars2@na.test", Role.ARS, region_id="75")
    item = services.add_to_agenda(agent, session, second.pk)
    services.convene(agent, session)
    a, b = _browser(agent), _browser(colleague)
    url = reverse("committee_detail", args=[session.pk])
    form_id = f"decision-{item.pk}-form"
    form_a, form_b = form_fields(a.get(url).content.decode(), form_id), form_fields(b.get(url).content.decode(), form_id)
    decide = reverse("committee_decide", args=[session.pk, item.pk])
    assert a.post(decide, form_a | {"decision": Stage.VALIDE, "reasons": "Équipe complète."}).status_code == 302
    refused = b.post(decide, form_b | {"decision": Stage.A_REVOIR, "reasons": "Projet de santé à préciser."})
    assert refused.status_code == 409
    page = refused.content.decode()
    saved_at = AuditEvent.objects.filter(user=agent, action="comite.decision").latest("at", "pk").at
    assert escape(MODIFIED_MEANWHILE.format(by="Anne Martin", at=moment(saved_at))) in page
    assert '<td class="theirs">Équipe complète.</td>' in page
    kept = form_fields(page, form_id)
    assert (kept["decision"], kept["reasons"]) == (Stage.A_REVOIR, "Projet de santé à préciser.")
    stored = AgendaItem.objects.get(pk=item.pk)
    assert (stored.decision, stored.reasons) == (Stage.VALIDE, "Équipe complète.")
    merged = kept | {"decision": Stage.VALIDE, "reasons": "Équipe complète ; projet de santé à préciser."}
    assert b.post(decide, merged).status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).reasons == "Équipe complète ; projet de santé à préciser."
    events = AuditEvent.objects.filter(action="comite.decision", objet_id=str(session.pk)).order_by("at", "pk")
    assert [event.user.email for event in events] == ["ars@na.test", "ars2@na.test"]
