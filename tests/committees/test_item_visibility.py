"""A session's files follow the project rule: each user reads the items whose project they may read (the members
of the session read them all), on the item page, in the dossier PDF and in the minutes; the others stay hidden.

The session examines a Vienne project (86) and a Deux-Sèvres project (79), both in Nouvelle-Aquitaine."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.committees import services
from oasis.projects.services import add_comment, create_project
from oasis.www.committee_views import OTHERS_HIDDEN
from tests.committees.conftest import file_project
from tests.committees.test_session_views import pdf_text
from tests.factories import NewProjectFactory
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db

LUSSAC = "Maison de santé de Lussac-les-Châteaux"
NIORT = "Maison de santé de Niort"
VIENNE_OPINION = "Avis du Département : terrain voté"
NIORT_OPINION = "Avis de la CPAM : patientèle solide"

# Who reads which project's item; everyone else in the table reads neither.
READS = {
    "admin": {LUSSAC, NIORT},
    "ars_na": {LUSSAC, NIORT},  # the ARS of the région
    "vienne": {LUSSAC},  # the Département of the Vienne project, not a member of the session
    "deux_sevres": {NIORT},  # the Département of the other project: the probe's officer
    "urps": {LUSSAC, NIORT},  # a member of the session, who may read neither project elsewhere
    "charente_maritime": set(),  # a Département of the same région with no project there, not a member
    "ars_occitanie": set(),  # another région
    "lussac": set(),  # the commune follows its project, not the committee
    "medecin": set(),
}
# ``readable_items`` is the project rule; the pages also require seeing the session, which a commune does not.
PROJECT_RULE = {**READS, "lussac": {LUSSAC}}


@pytest.fixture
def agenda(cast, filed, session, urps):  # type: ignore[no-untyped-def]
    cast["deux_sevres"] = make_user("cm@deux-sevres.test", Role.DEPARTEMENT, departement_id="79")
    cast["urps"] = urps
    niort = create_project(
        cast["ars_na"], NewProjectFactory(nom=NIORT, carrier_name="Commune de Niort", commune_principale="79191")
    )
    file_project({"vienne": cast["ars_na"]}, niort)
    add_comment(cast["vienne"], filed, VIENNE_OPINION)
    add_comment(cast["cpam_na"], niort, NIORT_OPINION)
    session.members.remove(cast["vienne"])  # the conftest's session seats the Vienne's officer: not here
    items = {
        LUSSAC: services.add_to_agenda(cast["ars_na"], session, filed.pk),
        NIORT: services.add_to_agenda(cast["ars_na"], session, niort.pk),
    }
    return session, items, {LUSSAC: filed, NIORT: niort}


@pytest.mark.parametrize("who", sorted(READS))
def test_readable_items_follow_the_project_rule(cast, agenda, who):
    session, _, _ = agenda
    readable = services.readable_items(cast[who], session)
    assert {item.project.nom for item in readable} == PROJECT_RULE[who]


@pytest.mark.parametrize("who", sorted(READS))
def test_each_item_page_answers_only_to_those_who_read_its_project(client, cast, agenda, who):
    session, items, projects = agenda
    client.force_login(cast[who])
    for name, item in items.items():
        response = client.get(reverse("committee_file", args=[session.pk, item.pk]))
        assert response.status_code == (200 if name in READS[who] else 404)
        if name in READS[who]:
            page = response.content.decode()
            assert name in page and (LUSSAC if name == NIORT else NIORT) not in page
    # Outside the committee, the project rule alone: the probe's officer is refused the Vienne project as before, and
    # a member of the session does not gain the project's pages by sitting.
    if who in ("urps", "deux_sevres"):
        assert client.get(reverse("project_detail", args=[projects[LUSSAC].pk])).status_code == 404


@pytest.mark.parametrize("who", sorted(READS))
def test_the_session_page_lists_only_the_readable_items_and_says_others_exist(client, cast, agenda, who):
    session, items, _ = agenda
    client.force_login(cast[who])
    response = client.get(reverse("committee_detail", args=[session.pk]))
    if not READS[who]:
        assert response.status_code == 404
        return
    page = response.content.decode()
    for name in (LUSSAC, NIORT):
        assert (name in page) == (name in READS[who])
        assert (reverse("committee_file", args=[session.pk, items[name].pk]) in page) == (name in READS[who])
    hidden = 2 - len(READS[who])
    assert (OTHERS_HIDDEN.format(count=1) in page) == (hidden == 1)


@pytest.mark.parametrize("who", ["ars_na", "vienne", "deux_sevres", "urps", "charente_maritime", "ars_occitanie"])
def test_the_dossier_and_the_minutes_hold_only_the_readable_projects(client, cast, agenda, who):
    session, items, _ = agenda
    services.convene(cast["ars_na"], session)
    services.record_decision(cast["ars_na"], session, items[LUSSAC].pk, "a-revoir", "Équipe lussacoise à compléter")
    services.record_decision(cast["ars_na"], session, items[NIORT].pk, "a-revoir", "Plan niortais à revoir")
    client.force_login(cast[who])
    dossier = client.get(reverse("committee_files_pdf", args=[session.pk]))
    minutes = client.get(reverse("committee_minutes_pdf", args=[session.pk]))
    if not READS[who]:
        assert dossier.status_code == minutes.status_code == 404
        return
    dossier_text, minutes_text = pdf_text(dossier), pdf_text(minutes)
    for name, opinion, reasons in (
        (LUSSAC, VIENNE_OPINION, "Équipe lussacoise à compléter"),
        (NIORT, NIORT_OPINION, "Plan niortais à revoir"),
    ):
        reads = name in READS[who]
        assert (name in dossier_text) == reads and (opinion in dossier_text) == reads
        assert (name in minutes_text) == reads and (reasons in minutes_text) == reads
    # The comments' authors are named in the dossier: only for the projects one reads.
    assert ("cm@vienne.test" in dossier_text) == (LUSSAC in READS[who])
    note = " ".join(OTHERS_HIDDEN.format(count=1).split())
    assert (note in dossier_text) == (note in minutes_text) == (len(READS[who]) == 1)


def test_a_departement_seated_in_the_session_reads_every_item(client, cast, agenda):
    session, items, _ = agenda
    session.members.add(cast["charente_maritime"])
    assert {item.project.nom for item in services.readable_items(cast["charente_maritime"], session)} == {LUSSAC, NIORT}
    client.force_login(cast["charente_maritime"])
    assert client.get(reverse("committee_detail", args=[session.pk])).status_code == 200
    for item in items.values():
        assert client.get(reverse("committee_file", args=[session.pk, item.pk])).status_code == 200
    session.members.remove(cast["charente_maritime"])
    assert client.get(reverse("committee_detail", args=[session.pk])).status_code == 404
