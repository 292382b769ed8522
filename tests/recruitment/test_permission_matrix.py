"""Who sees and manages what in recruitment, for every kind of user, against tables written from the rules
(oasis/recruitment/perms.py's docstring), not from the code: candidates, agreements, campaigns and vacancies spread
over the Vienne, the Charente-Maritime, Occitanie and Paris."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from oasis.accounts.enums import Role
from oasis.recruitment import perms
from oasis.recruitment.agreements import create_agreement
from oasis.recruitment.campaigns import create_campaign
from oasis.recruitment.candidates import CandidateData, create_candidate
from oasis.recruitment.models import AidAgreement, Campaign, Vacancy
from oasis.territories.models import Commune
from tests.projects.conftest import make_user

# Vacancies by commune: all open but Chauvigny's, already filled.
VACANCIES = {"86140": "ouvert", "86070": "pourvu", "86194": "ouvert", "17300": "ouvert", "31555": "ouvert", "75101": "ouvert"}
SEES_VACANCIES = {
    "admin": set(VACANCIES),
    "vienne": {"86140", "86070", "86194"},
    "charente_maritime": {"17300"},
    "ars_na": {"86140", "86070", "86194", "17300"},
    "cpam_na": {"86140", "86070", "86194", "17300"},
    "ars_occitanie": {"31555"},
    "lussac": {"86140"},
    "grand_poitiers": {"86070", "86194"},
    "paris": {"75101"},  # its arrondissements are Paris
    "medecin": {"86140", "86194", "17300", "31555", "75101"},  # the open ones, anywhere
    "porteur": set(),
    "anonymous": set(),
}
PUBLISHES_IN = {
    "admin": set(VACANCIES),
    "vienne": {"86140", "86070", "86194"},
    "charente_maritime": {"17300"},
    "lussac": {"86140"},
    "grand_poitiers": {"86070", "86194"},
    "paris": {"75101"},
}
# Candidates: a Vienne student, a Charente-Maritime nurse, and the professional's own file (kept by the Vienne).
SEES_CANDIDATES = {"admin": {"Vienne", "Charente", "Moi"}, "vienne": {"Vienne", "Moi"}, "charente_maritime": {"Charente"}}
SEES_CANDIDATES["medecin"] = {"Moi"}
MANAGES = {"admin", "vienne", "charente_maritime"}


@pytest.fixture
def everyone(cast):  # type: ignore[no-untyped-def]
    users = dict(cast)
    users["grand_poitiers"] = make_user(
        "gp@grandpoitiers.test", Role.COLLECTIVITE, collectivite_niveau="epci", collectivite_code="200069854"
    )
    users["paris"] = make_user("mairie@paris.test", Role.COLLECTIVITE, collectivite_niveau="commune", collectivite_code="75056")
    users["porteur"] = make_user("sisa@lussac.test", Role.PORTEUR)
    users["anonymous"] = AnonymousUser()
    return users


@pytest.fixture
def world(cast, vienne_medecine, student):  # type: ignore[no-untyped-def]
    for code, statut in VACANCIES.items():
        commune = Commune.objects.get(pk=code)
        Vacancy.objects.create(
            departement_id=commune.departement_id, commune=commune, profession="generaliste", mode="liberal",
            contact_nom="Mairie", statut=statut,
        )  # fmt: skip
    charente = create_candidate(
        cast["charente_maritime"],
        "17",
        CandidateData(nom="Charente", prenom="A", profession="infirmier", situation="etudiant"),
        True,
    )
    mine = create_candidate(
        cast["vienne"],
        "86",
        CandidateData(nom="Moi", prenom="B", profession="generaliste", situation="interne", email=cast["medecin"].email),
        True,
    )
    assert mine.user == cast["medecin"]
    create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    create_campaign(cast["vienne"], "86", "Présentation", "Message", [], False, None)
    create_campaign(cast["charente_maritime"], "17", "Présentation", "Message", [], False, None)
    return {"Vienne": student, "Charente": charente, "Moi": mine}


@pytest.mark.parametrize("who", list(SEES_VACANCIES))
def test_the_vacancies_each_user_sees_publishes_and_edits(everyone, world, who):
    user = everyone[who]
    assert {v.commune_id for v in perms.visible_vacancies(user)} == SEES_VACANCIES[who]
    communes = Commune.objects.filter(pk__in=VACANCIES)
    assert {c.pk for c in communes if perms.can_publish_vacancy_in(user, c)} == PUBLISHES_IN.get(who, set())
    editable = {v.commune_id for v in Vacancy.objects.all() if perms.can_edit_vacancy(user, v)}
    assert editable == PUBLISHES_IN.get(who, set()) & SEES_VACANCIES[who]


@pytest.mark.parametrize("who", list(SEES_VACANCIES))
def test_the_candidates_agreements_and_campaigns_each_user_sees_and_manages(everyone, world, who):
    user = everyone[who]
    seen = SEES_CANDIDATES.get(who, set())
    visible = set(perms.visible_candidates(user))
    assert {name for name, candidate in world.items() if candidate in visible} == seen
    assert len(visible) == len(seen)
    assert perms.can_manage_candidates(user) is (who in MANAGES)
    assert {name for name, candidate in world.items() if perms.can_manage(user, candidate)} == (seen if who in MANAGES else set())
    assert [a.candidate for a in perms.visible_agreements(user)] == ([world["Vienne"]] if "Vienne" in seen else [])
    assert AidAgreement.objects.count() == 1
    campaigns = {"admin": {"86", "17"}, "vienne": {"86"}, "charente_maritime": {"17"}}.get(who, set())
    assert {c.departement_id for c in perms.visible_campaigns(user)} == campaigns
    assert Campaign.objects.count() == 2
    managed = {"admin": {"86", "17", "31"}, "vienne": {"86"}, "charente_maritime": {"17"}}.get(who, set())
    assert {code for code in ("86", "17", "31") if perms.can_manage_in(user, code)} == managed
    assert perms.is_admin(user) is (who == "admin")
