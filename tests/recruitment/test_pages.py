"""Every recruitment page and action, for each role and outsiders: exactly what the role allows, never data."""

from datetime import date

import pytest
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.recruitment.agreements import create_agreement
from oasis.recruitment.campaigns import create_campaign
from oasis.recruitment.models import AidScheme, Candidate, Vacancy, Visit
from oasis.recruitment.vacancies import VacancyData, create_vacancy

EVERYONE = ["admin", "vienne", "charente_maritime", "ars_na", "cpam_na", "ars_occitanie", "lussac", "chauvigny", "medecin"]
MANAGERS = {"admin", "vienne"}  # of a Vienne candidate
VACANCY_READERS = {"admin", "vienne", "ars_na", "cpam_na", "lussac", "medecin"}  # a post in Lussac-les-Châteaux


@pytest.fixture
def file(cast, vienne_medecine, student):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    post = create_vacancy(
        cast["vienne"],
        VacancyData(commune="86140", profession="generaliste", mode="liberal", contact_nom="Mairie de Lussac"),
    )
    campaign = create_campaign(cast["vienne"], "86", "Présentation", "Message", [], False, None)
    return {"candidate": student, "agreement": agreement, "vacancy": post, "campaign": campaign}


@pytest.mark.parametrize("who", EVERYONE)
def test_pages_by_role(client, cast, file, who):
    client.force_login(cast[who])
    candidate, agreement, post, campaign = file["candidate"], file["agreement"], file["vacancy"], file["campaign"]
    manages = who in MANAGERS
    pages = {
        reverse("candidate_detail", args=[candidate.pk]): 200 if manages else 404,
        reverse("candidate_export", args=[candidate.pk]): 200 if manages else 404,
        reverse("candidate_edit", args=[candidate.pk]): 200 if manages else 404,
        reverse("candidate_erase", args=[candidate.pk]): 200 if manages else 404,
        reverse("agreement_detail", args=[agreement.pk]): 200 if manages else 404,
        reverse("candidates"): 200 if who in MANAGERS | {"charente_maritime"} else 403,
        reverse("candidate_create"): 200 if who in MANAGERS | {"charente_maritime"} else 403,
        reverse("campaigns"): 200 if who in MANAGERS | {"charente_maritime"} else 403,
        reverse("campaign_detail", args=[campaign.pk]): 200 if manages else 404,
        reverse("campaign_export", args=[campaign.pk]): 200 if manages else 404,
        reverse("vacancy_detail", args=[post.pk]): 200 if who in VACANCY_READERS else 404,
        reverse("vacancies"): 200,
        reverse("schemes"): 200,
        reverse("scheme_edit", args=[file["agreement"].scheme_id]): 200 if manages else 403,
    }
    for url, status in pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        if status != 200:
            assert "Durand" not in response.content.decode()
    listing = client.get(reverse("vacancies")).content.decode()
    assert ("Mairie de Lussac" in listing or str(post) in listing) == (who in VACANCY_READERS)
    home = client.get(reverse("recruitment"))
    assert home.status_code == (200 if who in MANAGERS | {"charente_maritime"} else 302)


@pytest.mark.parametrize("who", EVERYONE)
def test_changes_by_role(client, cast, file, who):
    client.force_login(cast[who])
    candidate, agreement = file["candidate"], file["agreement"]
    responses = [
        client.post(reverse("agreement_paid", args=[agreement.pk]), {"jusqu_au": "2026-12-31"}),
        client.post(reverse("visit_plan", args=[candidate.pk]), {"date": "2027-03-01", "lieux": "Lussac"}),
        client.post(reverse("placement_start", args=[candidate.pk]), {"vacancy": file["vacancy"].pk}),
        client.post(reverse("agreement_breach", args=[agreement.pk]), {"le": "2027-01-05", "motif": "Abandon"}),
    ]
    statuses = {r.status_code for r in responses}
    if who in MANAGERS:
        assert statuses == {302}
        assert Visit.objects.count() == 1
    else:
        assert statuses == {404}  # the candidate is out of their sight
        assert Visit.objects.count() == 0
        agreement.refresh_from_db()
        assert agreement.rupture_le is None


@pytest.mark.parametrize(
    ("who", "status"), [("vienne", 302), ("lussac", 302), ("chauvigny", 403), ("ars_na", 403), ("medecin", 403)]
)
def test_publishing_a_vacancy(client, cast, who, status):
    client.force_login(cast[who])
    response = client.post(
        reverse("vacancy_create"),
        {"commune": "Lussac-les-Châteaux (86140)", "profession": "infirmier", "mode": "salarie", "contact_nom": "Mairie"},
    )
    assert response.status_code == status
    assert Vacancy.objects.count() == (1 if status == 302 else 0)


def test_anonymous_gets_nothing(client, file):
    for url in (
        reverse("recruitment"),
        reverse("candidates"),
        reverse("candidate_detail", args=[file["candidate"].pk]),
        reverse("vacancies"),
        reverse("schemes"),
        reverse("campaigns"),
    ):
        assert client.get(url).status_code == 302


def test_officer_configures_a_scheme_through_the_page(client, cast):
    client.force_login(cast["vienne"])
    response = client.post(
        reverse("scheme_create"),
        {
            "code": "vienne-etudes-orthophonie",
            "nom": "Aide aux études d'orthophonie (Vienne)",
            "financeur": "Département de la Vienne",
            "kind": "etudes",
            "professions": ["orthophoniste"],
            "annee_min": "1",
            "annee_max": "5",
            "montant_mensuel": "500",
            "plafond": "36000",
            "duree_engagement_mois": "60",
            "regle_remboursement": "prorata",
            "actif": "on",
        },
    )
    assert response.status_code == 302
    scheme = AidScheme.objects.get(code="vienne-etudes-orthophonie")
    assert scheme.departement_id == "86" and scheme.professions == ["orthophoniste"]
    assert AuditEvent.objects.filter(action="dispositif.creation").exists()


def test_candidate_form_requires_consent_and_names_bad_fields(client, cast):
    client.force_login(cast["vienne"])
    data = {"prenom": "Léa", "nom": "Martin", "profession": "generaliste", "situation": "etudiant", "commune_reference": "99999"}
    refused = client.post(reverse("candidate_create"), data)
    assert refused.status_code == 400
    assert "consenti" in refused.content.decode()
    unknown = client.post(reverse("candidate_create"), {**data, "consentement": "on"})
    assert unknown.status_code == 400
    assert "« 99999 » : aucun territoire de ce type (commune)" in unknown.content.decode()
    created = client.post(reverse("candidate_create"), {**data, "commune_reference": "86194", "consentement": "on"})
    assert created.status_code == 302
    assert Candidate.objects.get().departement_id == "86"


def test_candidate_page_shows_explained_matches_and_the_access_log(client, cast, file):
    client.force_login(cast["vienne"])
    page = client.get(reverse("candidate_detail", args=[file["candidate"].pk])).content.decode()
    assert "Territoire souhaité" in page and "Attractivité du lieu" in page
    assert "Qui a consulté ou modifié cette fiche" in page
    assert "<td>consultation</td>" in page
    assert "CU du Grand Poitiers" in page


def test_breach_page_shows_what_is_owed(client, cast, file):
    client.force_login(cast["vienne"])
    agreement = file["agreement"]
    client.post(reverse("agreement_paid", args=[agreement.pk]), {"jusqu_au": "2027-08-31"})
    client.post(reverse("agreement_breach", args=[agreement.pk]), {"le": "2027-09-10", "motif": "Abandon"})
    page = client.get(reverse("agreement_detail", args=[agreement.pk])).content.decode()
    assert "6\u202f000,00 €" in page
    assert "Engagement rompu" in page


@pytest.mark.parametrize("who", EVERYONE)
def test_api_by_role(client, cast, file, who):
    client.force_login(cast[who])
    listed = [p["id"] for p in client.get("/api/postes").json()]
    assert listed == ([file["vacancy"].pk] if who in VACANCY_READERS else [])
    response = client.get(f"/api/candidats/{file['candidate'].pk}")
    assert response.status_code == (200 if who in MANAGERS else 404)
    if who in MANAGERS:
        assert response.json()["candidat"]["nom"] == "Durand"
        assert AuditEvent.objects.filter(action="candidat.export", user=cast[who]).exists()


def test_api_anonymous(client, file):
    assert client.get("/api/postes").status_code == 401
    assert client.get(f"/api/candidats/{file['candidate'].pk}").status_code == 401
