"""An ARS délégation départementale (DD) sees and instructs its département's projects only; the ARS's head office
(the région's agents) sees all the région's.

The DD of the Vienne against the Lussac project (Vienne, 86) and the Niort project (Deux-Sèvres, 79): every page and
endpoint an ARS agent uses answers for Lussac and 404 (or 403) for Niort, while the région's agent is answered for both.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from oasis.accounts.enums import Role
from oasis.accounts.models import Profile
from oasis.audit.models import AuditEvent
from oasis.committees import services as committees
from oasis.committees.services import SessionData
from oasis.notifications.models import Notification
from oasis.projects import perms
from oasis.projects.enums import Stage
from oasis.projects.services import add_comment, create_project
from oasis.recruitment import perms as recruitment_perms
from oasis.recruitment.models import Vacancy
from oasis.territories.models import Commune
from tests.committees.test_session_views import pdf_text
from tests.factories import NewProjectFactory
from tests.projects.conftest import make_user

pytestmark = pytest.mark.django_db

LUSSAC = "Maison de santé de Lussac-les-Châteaux"
NIORT = "Maison de santé de Niort"


@pytest.fixture
def dd(cast):  # type: ignore[no-untyped-def]
    return make_user("dd86@ars.test", Role.ARS_DD, departement_id="86")


@pytest.fixture
def niort(cast):  # type: ignore[no-untyped-def]
    return create_project(
        cast["ars_na"], NewProjectFactory(nom=NIORT, carrier_name="Commune de Niort", commune_principale="79191")
    )


@pytest.fixture
def both(project, niort):  # type: ignore[no-untyped-def]
    return {LUSSAC: project, NIORT: niort}


def sees(who: str, name: str) -> bool:
    return who == "ars_na" or name == LUSSAC


def agent(cast, dd, who):  # type: ignore[no-untyped-def]
    return dd if who == "dd" else cast[who]


def test_the_delegation_belongs_to_its_departements_region(dd):
    profile = Profile.objects.get(user=dd)
    assert profile.region_id == "75"  # the Vienne's région, set from the département
    assert profile.get_role_display() == "ARS — délégation départementale"
    assert profile.scope_label == "Vienne (86)"  # beside the role's name: « ARS — délégation départementale »
    # Entered with the wrong région, it still belongs to the département's.
    wrong = make_user("dd86b@ars.test", Role.ARS_DD, departement_id="86", region_id="76")
    assert Profile.objects.get(user=wrong).region_id == "75"


def test_a_delegation_without_its_departement_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="délégation départementale"):
        Profile(role=Role.ARS_DD, region_id="75").clean()


@pytest.mark.parametrize("who", ["dd", "ars_na"])
def test_rights_on_each_project(cast, dd, both, who):
    user = agent(cast, dd, who)
    for name, project in both.items():
        allowed = sees(who, name)
        assert perms.can_view(user, project) is allowed
        assert perms.can_edit(user, project) is allowed
        assert perms.can_comment(user, project) is allowed
        assert perms.can_upload(user, project) is allowed
        assert perms.can_write_projet_de_sante(user, project) is allowed
        assert perms.can_move_to(user, project, Stage.CONSEIL) is allowed
        assert perms.can_move_to(user, project, Stage.VALIDE) is allowed  # the ARS's decision, in its département
        assert perms.can_see_restricted(user, project) is False  # the Département's documents stay its own
    assert {code for code in ("86", "79", "17", "31") if perms.can_create_in(user, code)} == (
        {"86"} if who == "dd" else {"86", "79", "17"}
    )


PAGES = (
    "project_detail",
    "project_partners",
    "project_funding",
    "project_documents",
    "projet_de_sante",
    "project_aci",
)


@pytest.mark.parametrize("who", ["dd", "ars_na"])
def test_every_project_page(client, cast, dd, both, who):
    client.force_login(agent(cast, dd, who))
    for name, project in both.items():
        for page in PAGES:
            response = client.get(reverse(page, args=[project.pk]))
            assert response.status_code == (200 if sees(who, name) else 404), (page, name)
            if not sees(who, name):
                assert name not in response.content.decode()


@pytest.mark.parametrize("who", ["dd", "ars_na"])
def test_lists_exports_and_dashboard(client, cast, dd, both, who):
    client.force_login(agent(cast, dd, who))
    expected = {name for name in both if sees(who, name)}
    for url in (reverse("projects"), reverse("project_export")):
        content = client.get(url).content.decode("utf-8-sig")
        assert {name for name in both if name in content} == expected, url
    features = client.get(reverse("project_geojson")).json()["features"]
    assert {f["properties"]["nom"] for f in features} == expected
    assert client.get(reverse("project_dashboard")).context["total"] == len(expected)
    assert client.get(reverse("project_export_xlsx")).status_code == 200


@pytest.mark.parametrize("who", ["dd", "ars_na"])
def test_the_api(client, cast, dd, both, who):
    client.force_login(agent(cast, dd, who))
    listed = {p["nom"] for p in client.get("/api/projets").json()}
    assert listed == {name for name in both if sees(who, name)}
    for name, project in both.items():
        for suffix in ("", "/financement", "/actions", "/documents"):
            response = client.get(f"/api/projets/{project.pk}{suffix}")
            assert response.status_code == (200 if sees(who, name) else 404), (suffix, name)


@pytest.mark.parametrize("who", ["dd", "ars_na"])
def test_instructing_moves_comments_and_next_action(client, cast, dd, both, who):
    user = agent(cast, dd, who)
    client.force_login(user)
    for name, project in both.items():
        allowed = sees(who, name)
        moved = client.post(reverse("project_move", args=[project.pk]), {"to_stage": Stage.CONSEIL, "reason": "Entretien"})
        assert moved.status_code == (302 if allowed else 404)
        project.refresh_from_db()
        assert (project.stage == Stage.CONSEIL) is allowed
        commented = client.post(reverse("project_comment", args=[project.pk]), {"text": "Avis de l'ARS."})
        assert commented.status_code == (302 if allowed else 404)
        action = client.post(
            reverse("project_next_action", args=[project.pk]), {"next_action": "Visite", "next_action_due": "2027-01-31"}
        )
        assert action.status_code == (302 if allowed else 404)
    # The audit shows the agent's own actions, on the projects it may instruct only.
    moves = AuditEvent.objects.filter(user=user, action__startswith="projet.").values_list("objet_id", flat=True)
    assert {int(pk) for pk in moves} == {both[name].pk for name in both if sees(who, name)}


def test_the_delegation_creates_projects_in_its_departement_only(client, dd):
    client.force_login(dd)
    form = {
        "nom": "Centre de santé",
        "kind": "centre-de-sante",
        "carrier": "commune",
        "carrier_name": "Commune",
        "next_action": "",
        "next_action_due": "",
        "collectivite_niveau": "commune",
    }
    created = client.post(
        reverse("project_create"),
        {**form, "commune_principale": "86070", "communes_desservies": "86070", "collectivite_code": "86070"},
    )
    assert created.status_code == 302
    assert AuditEvent.objects.filter(user=dd, action="projet.creation").count() == 1
    refused = client.post(
        reverse("project_create"),
        {**form, "commune_principale": "79191", "communes_desservies": "79191", "collectivite_code": "79191"},
    )
    assert refused.status_code == 400


def test_notifications_reach_the_delegation_of_the_project_only(cast, dd, both):
    for project in both.values():
        add_comment(cast["cpam_na"], project, "Avis de la CPAM.")
    told = {name: set(perms.audience(project).values_list("email", flat=True)) for name, project in both.items()}
    assert "dd86@ars.test" in told[LUSSAC] and "dd86@ars.test" not in told[NIORT]
    assert "ars@na.test" in told[LUSSAC] and "ars@na.test" in told[NIORT]
    links = set(Notification.objects.filter(recipient=dd).values_list("link", flat=True))
    assert links and all(f"/projets/{both[LUSSAC].pk}/" in link for link in links)


@pytest.fixture
def session(cast, dd, both):  # type: ignore[no-untyped-def]
    from tests.committees.conftest import file_project

    session = committees.create_session(
        cast["ars_na"],
        "75",
        SessionData(date=date(2027, 5, 12), copresident_ars="Mme Martin", copresident_prefecture="M. Durand", member_ids=[]),
    )
    items = {}
    for name, project in both.items():
        file_project({"vienne": cast["ars_na"]}, project)
        items[name] = committees.add_to_agenda(cast["ars_na"], session, project.pk)
    return session, items


@pytest.mark.parametrize("who", ["dd", "ars_na"])
def test_the_committee_items_and_dossier(client, cast, dd, session, who):
    session, items = session
    user = agent(cast, dd, who)
    assert {item.project.nom for item in committees.readable_items(user, session)} == {n for n in items if sees(who, n)}
    client.force_login(user)
    assert client.get(reverse("committee_detail", args=[session.pk])).status_code == 200
    for name, item in items.items():
        response = client.get(reverse("committee_file", args=[session.pk, item.pk]))
        assert response.status_code == (200 if sees(who, name) else 404), name
    dossier = pdf_text(client.get(reverse("committee_files_pdf", args=[session.pk])))
    assert {name for name in items if name in dossier} == {name for name in items if sees(who, name)}
    # The région's head office holds the comité; a délégation does not manage it.
    assert committees.can_manage(user, session) is (who == "ars_na")
    assert committees.can_create(user) is (who == "ars_na")


def test_a_delegation_sees_no_session_without_its_departement(cast, dd):
    niort = create_project(cast["ars_na"], NewProjectFactory(nom=NIORT, carrier_name="Niort", commune_principale="79191"))
    from tests.committees.conftest import file_project

    file_project({"vienne": cast["ars_na"]}, niort)
    session = committees.create_session(
        cast["ars_na"],
        "75",
        SessionData(date=date(2027, 5, 12), copresident_ars="Mme Martin", copresident_prefecture="M. Durand", member_ids=[]),
    )
    committees.add_to_agenda(cast["ars_na"], session, niort.pk)
    assert list(committees.visible_sessions(dd)) == []
    assert list(committees.visible_sessions(cast["ars_na"])) == [session]


@pytest.mark.parametrize("who", ["dd", "ars_na"])
def test_vacancies(client, cast, dd, who):
    vacancies = {}
    for code in ("86140", "79191"):
        commune = Commune.objects.get(pk=code)
        vacancies[code] = Vacancy.objects.create(
            departement_id=commune.departement_id, commune=commune, profession="generaliste", mode="liberal", contact_nom="Mairie"
        )
    user = agent(cast, dd, who)
    expected = {"86140"} if who == "dd" else {"86140", "79191"}
    assert {v.commune_id for v in recruitment_perms.visible_vacancies(user)} == expected
    client.force_login(user)
    for code, vacancy in vacancies.items():
        response = client.get(reverse("vacancy_detail", args=[vacancy.pk]))
        assert response.status_code == (200 if code in expected else 404)
    assert len(client.get("/api/postes").json()) == len(expected)


def test_create_account_offers_the_delegation_by_departement_name(monkeypatch, national):
    monkeypatch.setattr("sys.stdin", io.StringIO("une-phrase-de-passe-solide-2026\n"))
    out = io.StringIO()
    call_command(
        "create_account", email="dd79@ars.test", role="ars_dd", departement="Deux-Sèvres", password_stdin=True, stdout=out
    )
    profile = Profile.objects.get(user__username="dd79@ars.test")
    assert (profile.role, profile.departement_id, profile.region_id) == (Role.ARS_DD, "79", "75")
    assert "(ARS — délégation départementale, Deux-Sèvres (79))" in out.getvalue()
