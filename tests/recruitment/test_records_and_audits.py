"""What each recruitment service stores and what its audit event says: values trimmed, dates and amounts written out,
by whom; personal data never in the audit; the file's export holding everything that was stored."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from oasis.audit.models import AuditEvent
from oasis.recruitment.agreements import agreement_statuses, create_agreement, mark_paid, record_breach
from oasis.recruitment.campaigns import create_campaign, export_audience
from oasis.recruitment.candidates import (
    CandidateData,
    access_log,
    create_candidate,
    export_candidate,
    record_views,
    retention_until,
    territory_labels,
    update_candidate,
    view_candidate,
)
from oasis.recruitment.models import AidPayment, AidScheme, Candidate
from oasis.recruitment.placements import VisitData, plan_visit, start_placement
from oasis.recruitment.schemes import eligible_schemes, save_scheme
from oasis.recruitment.vacancies import VacancyData, create_vacancy, set_vacancy_status
from tests.projects.conftest import make_user, project  # noqa: F401
from tests.recruitment.conftest import make_scheme

SIGNED = date(2026, 9, 1)


def event(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


@pytest.fixture
def agreement(cast, vienne_medecine, student):
    """Twelve instalments of 500 €, due on the 1st from September 2026 to August 2027."""
    return create_agreement(cast["vienne"], student, vienne_medecine, SIGNED, SIGNED, 12)


# --- Candidates ---------------------------------------------------------------------------------------------------


def test_a_new_candidate_is_linked_to_the_professional_account_with_the_same_email(cast):
    medecin = cast["medecin"]
    make_user("autre@fac.test", "departement", departement_id="86")  # not a professional: never linked
    data = CandidateData(
        nom="  Interne ",
        prenom=" Paul ",
        profession="generaliste",
        situation="interne",
        email=f"  {medecin.email.upper()} ",
        telephone=" 05 49 00 00 00 ",
        etablissement=" CHU de Poitiers ",
        notes=" rappeler ",
        territoires_preferes=[" epci:200069854 "],
        commune_reference=" 86194 ",
    )
    candidate = create_candidate(cast["vienne"], "86", data, True)
    candidate.refresh_from_db()
    assert (candidate.nom, candidate.prenom, candidate.email, candidate.telephone) == (
        "Interne",
        "Paul",
        medecin.email.upper(),
        "05 49 00 00 00",
    )
    assert (candidate.etablissement, candidate.notes, candidate.territoires_preferes) == (
        "CHU de Poitiers",
        "rappeler",
        ["epci:200069854"],
    )
    assert (candidate.commune_reference_id, candidate.user, candidate.created_by) == ("86194", medecin, cast["vienne"])
    assert candidate.conserver_jusqu_au == retention_until()
    assert event("candidat.creation").details == {"profession": "generaliste", "compte_lie": True}
    # The account is taken: a second file with the same e-mail stays unlinked.
    other = create_candidate(cast["vienne"], "86", CandidateData("B", "C", "generaliste", "interne", email=medecin.email), True)
    assert other.user is None
    assert AuditEvent.objects.filter(action="candidat.creation").order_by("pk").last().details["compte_lie"] is False
    # Only professionals' accounts are linked.
    officer = create_candidate(
        cast["vienne"], "86", CandidateData("D", "E", "generaliste", "interne", email="autre@fac.test"), True
    )
    assert officer.user is None


def test_an_unlinked_file_is_linked_when_its_email_is_corrected(cast, student):
    medecin = cast["medecin"]
    data = CandidateData("Durand", "Léa", "generaliste", "etudiant", email=medecin.email, annee_etudes=4)
    update_candidate(cast["vienne"], student, data)
    student.refresh_from_db()
    assert student.user == medecin


def test_the_export_holds_everything_stored_and_is_audited(cast, student, agreement):
    mark_paid(cast["vienne"], agreement, date(2026, 10, 1))
    vacancy = create_vacancy(
        cast["vienne"], VacancyData(commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie")
    )
    placement = start_placement(cast["vienne"], student, vacancy)
    plan_visit(cast["vienne"], student, VisitData(date(2027, 3, 1), "Chauvigny", "le maire", "bien"))
    exported = export_candidate(cast["vienne"], student)
    assert exported["candidat"] == {
        "id": student.pk,
        "nom": "Durand",
        "prenom": "Léa",
        "email": "lea.durand@etu.test",
        "telephone": "",
        "profession": "generaliste",
        "rpps": "",
        "situation": "etudiant",
        "annee_etudes": 4,
        "etablissement": "Faculté de médecine de Poitiers",
        "territoires_preferes": ["epci:200069854"],
        "lieu_de_reference": "86194",
        "temps_max_minutes": 45,
        "modes": ["liberal"],
        "disponible_le": None,
        "consentement_le": Candidate.objects.get(pk=student.pk).consentement_le,
        "consentement_communication": True,
        "conserver_jusqu_au": Candidate.objects.get(pk=student.pk).conserver_jusqu_au,
        "notes": "",
        "departement": "86",
    }
    (convention,) = exported["conventions"]
    assert convention["id"] == agreement.pk and convention["dispositif"] == "Aide aux études de médecine (Vienne)"
    assert (convention["signee_le"], convention["statut"]) == (SIGNED, agreement.status)
    assert convention["versements"][:3] == [
        {"echeance": date(2026, 9, 1), "montant": Decimal("500.00"), "verse_le": date(2026, 9, 1)},
        {"echeance": date(2026, 10, 1), "montant": Decimal("500.00"), "verse_le": date(2026, 10, 1)},
        {"echeance": date(2026, 11, 1), "montant": Decimal("500.00"), "verse_le": None},
    ]
    assert len(convention["versements"]) == 12
    assert convention["installation"] == {"commune": None, "depuis": None}
    assert convention["rupture"] == {"le": None, "motif": ""}
    assert exported["mises_en_relation"] == [{"commune": "86070", "poste": vacancy.pk, "etape": "contact", "installe_le": None}]
    assert placement.pk
    assert exported["visites"] == [
        {"date": date(2027, 3, 1), "lieux": "Chauvigny", "personnes_rencontrees": "le maire", "retour": "bien"}
    ]
    actions = [access["action"] for access in exported["acces"]]
    assert actions[0] == "candidat.export" and "candidat.creation" in actions
    assert {access["par"] for access in exported["acces"]} == {cast["vienne"].email}
    assert event("candidat.export").details == {}


def test_the_access_log_says_each_action_in_french_newest_first(cast, student):
    view_candidate(cast["vienne"], student, "suivi")
    record_views(cast["admin"], [student], "classement")
    log = access_log(student)
    assert [(e.action, e.libelle, e.user) for e in log] == [
        ("candidat.consultation", "consultation", cast["admin"]),
        ("candidat.consultation", "consultation", cast["vienne"]),
        ("candidat.creation", "création de la fiche", cast["vienne"]),
    ]
    assert [e.details for e in log[:2]] == [{"motif": "classement"}, {"motif": "suivi"}]
    assert log[0].objet_libelle == str(student) and log[0].objet_type == "recruitment.candidate"


def test_territories_are_named_and_unknown_ones_kept_as_given(db, national):
    assert territory_labels(["epci:200069854", "dep:86", "epci:000000000"]) == [
        "CU du Grand Poitiers (epci)",
        "Vienne (département)",
        "epci:000000000",
    ]


# --- Agreements ---------------------------------------------------------------------------------------------------


def test_an_agreement_is_audited_with_its_scheme_length_and_total(cast, student, agreement, vienne_medecine):
    assert event("convention.creation").details == {
        "candidat": student.pk,
        "dispositif": "vienne-etudes-medecine",
        "mensualites": 12,
        "total": "6000.00",
    }
    # Installation due 36 months after the last instalment (August 2027).
    assert agreement.installation_avant == date(2030, 8, 1)
    assert (agreement.created_by, agreement.mensualite, agreement.duree_engagement_mois) == (cast["vienne"], 500, 84)


def test_payments_due_by_a_date_are_marked_paid_on_their_due_date(cast, agreement):
    assert mark_paid(cast["vienne"], agreement, date(2026, 9, 30)) == 1
    assert mark_paid(cast["vienne"], agreement, date(2026, 11, 1)) == 2  # the 1st of October and of November
    assert mark_paid(cast["vienne"], agreement, date(2026, 11, 1)) == 0
    paid = list(AidPayment.objects.filter(agreement=agreement, verse_le__isnull=False).values_list("echeance", "verse_le"))
    assert paid == [
        (date(2026, 9, 1), date(2026, 9, 1)),
        (date(2026, 10, 1), date(2026, 10, 1)),
        (date(2026, 11, 1), date(2026, 11, 1)),
    ]
    details = [e.details for e in AuditEvent.objects.filter(action="convention.versements").order_by("pk")]
    assert details == [
        {"jusqu_au": "2026-09-30", "nombre": 1},
        {"jusqu_au": "2026-11-01", "nombre": 2},
        {"jusqu_au": "2026-11-01", "nombre": 0},
    ]


def test_a_breach_cancels_the_unpaid_instalments_and_says_what_is_owed(cast, agreement):
    mark_paid(cast["vienne"], agreement, date(2026, 12, 1))  # four paid: 2,000 €
    owed = record_breach(cast["vienne"], agreement, date(2027, 1, 15), "  " + "abandon " * 60)
    assert owed.amount == Decimal("2000.00")  # no installation: everything paid is owed
    agreement.refresh_from_db()
    assert agreement.rupture_le == date(2027, 1, 15)
    assert agreement.rupture_motif == ("abandon " * 60).strip()[:300]
    assert list(agreement.payments.values_list("echeance", flat=True)) == [date(2026, m, 1) for m in (9, 10, 11, 12)]
    assert event("convention.rupture").details == {
        "le": "2027-01-15",
        "du": "2000.00",
        "regle": "prorata",
        "versements_annules": 8,
    }


def test_eligible_schemes_are_the_active_ones_of_the_profession_national_or_of_the_departement(cast, student, vienne_medecine):
    elsewhere = make_scheme("cm17", "17")
    inactive = make_scheme("ancienne", actif=False)
    codes = {s.code for s in eligible_schemes(student, on=date(2026, 12, 7))}
    # The national schemes open on 7 December 2026 for a GP: CAIM, COSCOM, CSTM and COTRAM closed on 31 December 2025.
    assert codes == {"cesp", "cde", "fmt-zip", "vienne-etudes-medecine"}
    assert {s.code for s in eligible_schemes(student, on=date(2025, 12, 31))} == {
        "cesp",
        "cde",
        "caim",
        "coscom",
        "cstm",
        "cotram",
        "vienne-etudes-medecine",
    }
    assert elsewhere.code not in codes and inactive.code not in codes
    student.profession = "infirmier"
    assert "vienne-etudes-medecine" not in {s.code for s in eligible_schemes(student, on=date(2026, 12, 7))}


def test_agreement_statuses_count_each_status(cast, agreement, vienne_medecine):
    counts = agreement_statuses(type(agreement).objects.all())
    assert counts == {**{status: 0 for status in counts}, agreement.status: 1}
    assert sum(counts.values()) == 1 and len(counts) >= 3


def test_a_scheme_is_audited_as_created_then_changed(cast, vienne_medecine):
    created = event("dispositif.creation")
    assert created.details == {
        "montant_mensuel": "500.00",
        "montant_forfaitaire": None,
        "plafond": "42000.00",
        "annees": [4, 10],
        "engagement_mois": 84,
        "regle": "prorata",
        "territoires": [],
        "zone_sous_dense": False,
        "validite": [None, None],
    }
    vienne_medecine.montant_mensuel = Decimal("600")
    save_scheme(cast["vienne"], vienne_medecine, "86")
    assert event("dispositif.modification").details["montant_mensuel"] == "600.00"
    assert AidScheme.objects.get(pk=vienne_medecine.pk).departement_id == "86"
    national = AidScheme(code="nationale-test", nom="Nationale", financeur="État", kind="etudes")
    save_scheme(cast["admin"], national, None)
    assert AuditEvent.objects.filter(action="dispositif.creation").order_by("pk").last().details["plafond"] is None
    assert AidScheme.objects.get(code="nationale-test").departement_id is None


# --- Vacancies, visits, campaigns ---------------------------------------------------------------------------------


def test_a_vacancy_is_stored_trimmed_in_its_communes_departement_and_audited(cast, project):  # noqa: F811
    data = VacancyData(
        commune=" 86140 ",
        profession="generaliste",
        mode="salarie",
        contact_nom=" Mme Roy ",
        debut=date(2027, 1, 4),
        conditions=" temps plein ",
        logement=True,
        logement_details=" studio ",
        contact_email=" roy@lussac.test ",
        contact_telephone=" 05 ",
        project_id=project.pk,
    )
    vacancy = create_vacancy(cast["vienne"], data)
    vacancy.refresh_from_db()
    stored = (vacancy.departement_id, vacancy.commune_id, vacancy.project, vacancy.mode, vacancy.debut)
    assert stored == ("86", "86140", project, "salarie", date(2027, 1, 4))
    assert (vacancy.conditions, vacancy.logement, vacancy.logement_details) == ("temps plein", True, "studio")
    assert (vacancy.contact_nom, vacancy.contact_email, vacancy.contact_telephone) == ("Mme Roy", "roy@lussac.test", "05")
    assert (vacancy.created_by, vacancy.statut) == (cast["vienne"], "ouvert")
    assert event("poste.creation").details == {"commune": "86140", "profession": "generaliste"}
    set_vacancy_status(cast["vienne"], vacancy, "clos")
    vacancy.refresh_from_db()
    assert vacancy.statut == "clos"
    assert (event("poste.statut").details, event("poste.statut").user) == ({"avant": "ouvert", "apres": "clos"}, cast["vienne"])


def test_a_visit_is_stored_trimmed_with_its_post_and_renews_the_retention(cast, student):
    vacancy = create_vacancy(
        cast["vienne"], VacancyData(commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie")
    )
    Candidate.objects.filter(pk=student.pk).update(conserver_jusqu_au=date(2026, 1, 1))
    visit = plan_visit(cast["vienne"], student, VisitData(date(2027, 3, 1), " Chauvigny ", " le maire ", " bien ", vacancy.pk))
    visit.refresh_from_db()
    assert (visit.lieux, visit.personnes_rencontrees, visit.retour, visit.vacancy, visit.created_by) == (
        "Chauvigny",
        "le maire",
        "bien",
        vacancy,
        cast["vienne"],
    )
    assert event("candidat.visite").details == {"visite": visit.pk, "date": "2027-03-01"}
    student.refresh_from_db()
    assert student.conserver_jusqu_au == retention_until()


def test_a_campaign_is_stored_trimmed_and_its_export_is_an_audited_access(cast, student, project):  # noqa: F811
    campaign = create_campaign(cast["vienne"], "86", " Venez ", " Texte ", ["generaliste"], True, project.pk)
    campaign.refresh_from_db()
    assert (campaign.titre, campaign.message, campaign.professions, campaign.beneficiaires_seulement) == (
        "Venez",
        "Texte",
        ["generaliste"],
        True,
    )
    assert (campaign.project, campaign.departement_id, campaign.created_by) == (project, "86", cast["vienne"])
    assert event("campagne.creation").details == {"professions": ["generaliste"]}
    assert export_audience(cast["vienne"], campaign) == []  # no agreement yet: no beneficiary
    assert event("campagne.export").details == {"destinataires": []}
