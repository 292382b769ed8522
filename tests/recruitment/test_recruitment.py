"""Aid agreements from first payment to installation or breach, candidates' rights, matching, visits, campaigns."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.recruitment import matching
from oasis.recruitment.agreements import (
    amount_owed,
    commitments_due,
    create_agreement,
    mark_paid,
    record_breach,
    record_installation,
)
from oasis.recruitment.campaigns import audience, create_campaign, export_audience
from oasis.recruitment.candidates import CandidateData, create_candidate, erase_candidate, export_candidate, view_candidate
from oasis.recruitment.common import NotAllowed
from oasis.recruitment.enums import AgreementStatus, VacancyStatus
from oasis.recruitment.models import AidAgreement, AidPayment, Candidate
from oasis.recruitment.placements import VisitData, move_placement, plan_visit, start_placement
from oasis.recruitment.schemes import save_scheme
from oasis.recruitment.vacancies import VacancyData, create_vacancy
from oasis.territories.models import Commune


def vacancy(user, commune, **extra):
    data = VacancyData(commune=commune, profession="generaliste", mode="liberal", contact_nom="Mairie", **extra)
    return create_vacancy(user, data)


# --- Aid agreements -----------------------------------------------------------------------------------------------


def test_vienne_scheme_from_first_payment_to_installation(cast, vienne_medecine, student):
    officer = cast["vienne"]
    agreement = create_agreement(officer, student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    payments = list(agreement.payments.all())
    assert len(payments) == 84  # 4th to 10th year: 7 years of 12 months
    assert sum(p.montant for p in payments) == Decimal("42000")  # the cap, reached exactly
    assert agreement.installation_avant == date(2036, 8, 30)  # last payment + 36 months
    assert agreement.status == AgreementStatus.VERSEMENTS
    assert mark_paid(officer, agreement, date(2026, 12, 31)) == 4
    assert agreement.paid_total == Decimal("2000")
    mark_paid(officer, agreement, payments[-1].echeance)
    assert agreement.status == AgreementStatus.A_INSTALLER
    record_installation(officer, agreement, Commune.objects.get(pk="86140"), date(2033, 11, 4))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.HONORE
    actions = list(
        AuditEvent.objects.filter(objet_type="recruitment.aidagreement").order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["convention.creation", "convention.versements", "convention.versements", "convention.installation"]


def test_installation_outside_the_departement_does_not_fulfil(cast, vienne_medecine, student):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    with pytest.raises(ValueError, match="hors du département 86"):
        record_installation(cast["vienne"], agreement, Commune.objects.get(pk="17300"), date(2034, 1, 1))


def test_breach_computes_what_is_owed_prorata(cast, vienne_medecine, student):
    officer = cast["vienne"]
    agreement = create_agreement(officer, student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    mark_paid(officer, agreement, date(2033, 8, 30))
    record_installation(officer, agreement, Commune.objects.get(pk="86070"), date(2033, 11, 1))
    owed = record_breach(officer, agreement, date(2035, 11, 1), "Départ hors du département")
    assert owed.paid == Decimal("42000") and owed.months_served == 24
    assert owed.amount == Decimal("30000.00")  # 42,000 × (1 − 24/84)
    assert "24 mois exercés / 84 mois exigés" in owed.explanation
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ROMPU
    event = AuditEvent.objects.get(action="convention.rupture")
    assert event.details["du"] == "30000.00"


def test_breach_before_installation_repays_all_and_cancels_the_rest(cast, vienne_medecine, student):
    officer = cast["vienne"]
    agreement = create_agreement(officer, student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    mark_paid(officer, agreement, date(2027, 8, 31))
    owed = record_breach(officer, agreement, date(2027, 9, 15), "Abandon des études")
    assert owed.amount == Decimal("6000.00")
    assert not AidPayment.objects.filter(agreement=agreement, verse_le__isnull=True).exists()
    vienne_medecine.regle_remboursement = "aucun"
    vienne_medecine.save()
    assert amount_owed(agreement, date(2027, 9, 15)).amount == 0


def test_agreement_outside_the_scheme_years_is_refused(cast, vienne_medecine, student):
    student.annee_etudes = 3
    student.save()
    with pytest.raises(ValueError, match="hors des années aidées"):
        create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))


def test_commitments_falling_due_are_flagged(cast, vienne_medecine, student):
    agreement = create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30), nb_mois=12)
    assert commitments_due(AidAgreement.objects.none()) == []
    assert commitments_due(AidAgreement.objects.all(), within_days=30, today=agreement.installation_avant) == [agreement]
    assert commitments_due(AidAgreement.objects.all(), within_days=30, today=date(2026, 10, 1)) == []


def test_only_the_departement_configures_its_schemes(cast, vienne_medecine):
    vienne_medecine.montant_mensuel = Decimal("600")
    with pytest.raises(NotAllowed):
        save_scheme(cast["charente_maritime"], vienne_medecine, "86")
    with pytest.raises(NotAllowed):
        save_scheme(cast["ars_na"], vienne_medecine, "86")


# --- Candidates' rights -------------------------------------------------------------------------------------------


def test_consent_is_required(cast):
    data = CandidateData(nom="X", prenom="Y", profession="infirmier", situation="professionnel")
    with pytest.raises(ValueError, match="consentement"):
        create_candidate(cast["vienne"], "86", data, consent_given=False)
    with pytest.raises(NotAllowed):
        create_candidate(cast["charente_maritime"], "86", data, consent_given=True)


def test_unknown_territory_preference_is_named(cast):
    data = CandidateData(nom="X", prenom="Y", profession="infirmier", situation="professionnel", territoires_preferes=["dep:999"])
    with pytest.raises(ValueError, match="999"):
        create_candidate(cast["vienne"], "86", data, consent_given=True)


def test_export_erasure_and_the_audit_of_who_saw_it(cast, student):
    view_candidate(cast["admin"], student, "fiche")
    exported = export_candidate(cast["vienne"], student)
    assert exported["candidat"]["email"] == "lea.durand@etu.test"
    assert {a["par"] for a in exported["acces"]} >= {"admin@oasis.test", "cm@vienne.test"}
    with pytest.raises(NotAllowed):
        export_candidate(cast["charente_maritime"], student)
    pk = student.pk
    erase_candidate(cast["vienne"], student, "Demande de la personne du 2 mars")
    assert not Candidate.objects.filter(pk=pk).exists()
    log = AuditEvent.objects.filter(objet_type="recruitment.candidate", objet_id=str(pk))
    assert "candidat.effacement" in set(log.values_list("action", flat=True))
    assert "Durand" not in json.dumps(list(log.values("objet_libelle", "details")))


def test_erasure_is_refused_while_an_agreement_binds(cast, vienne_medecine, student):
    create_agreement(cast["vienne"], student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    with pytest.raises(ValueError, match="obligation légale"):
        erase_candidate(cast["vienne"], student, "demande")


def test_retention_is_enforced(cast, student):
    other = create_candidate(
        cast["vienne"], "86", CandidateData(nom="A", prenom="B", profession="infirmier", situation="etudiant"), True
    )
    Candidate.objects.filter(pk=other.pk).update(conserver_jusqu_au=date.today() - timedelta(days=1))
    call_command("purge_candidates")
    assert not Candidate.objects.filter(pk=other.pk).exists()
    assert Candidate.objects.filter(pk=student.pk).exists()


def test_a_professional_sees_only_their_own_file(client, cast):
    medecin = cast["medecin"]
    own = create_candidate(
        cast["vienne"],
        "86",
        CandidateData(nom="Interne", prenom="Paul", profession="generaliste", situation="interne", email=medecin.email),
        True,
    )
    assert own.user == medecin
    client.force_login(medecin)
    assert client.get(reverse("recruitment")).url == reverse("candidate_detail", args=[own.pk])
    assert client.get(reverse("candidate_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("candidate_export", args=[own.pk])).status_code == 200
    assert client.get(reverse("candidate_edit", args=[own.pk])).status_code == 403
    assert client.get(reverse("candidates")).status_code == 403


# --- Matching, pipeline, visits, campaigns --------------------------------------------------------------------------


def test_matching_ranks_and_explains(cast, project, student, vienne_medecine):
    officer = cast["vienne"]
    chauvigny = vacancy(officer, "86070", debut=date.today() + timedelta(days=10))
    lussac = vacancy(officer, "86140", project_id=project.pk)
    create_vacancy(officer, VacancyData(commune="86140", profession="infirmier", mode="liberal", contact_nom="Mairie"))
    ranked = matching.rank_vacancies(officer, student)
    assert [m.vacancy for m in ranked] == [chauvigny, lussac]  # the nurse's post is not offered to a doctor
    best = {c.name: c for c in ranked[0].components}
    assert best["territoire"].points == 30 and best["territoire"].why == "dans un territoire souhaité"
    assert "min estimées depuis Poitiers" in best["distance"].why
    assert best["aide"].why == "éligible à « Aide aux études de médecine (Vienne) »"
    other = {c.name: c for c in ranked[1].components}
    assert "projet « Maison de santé de Lussac-les-Châteaux »" in other["attractivite"].why
    vivier = "Vivier (ZIP ou ZAC selon l'ARS) (APL officielle DREES 2022 : 3,20 chez les 65 ans et moins)"
    assert vivier in other["attractivite"].why
    assert ranked[0].total == pytest.approx(sum(c.points for c in ranked[0].components))


def test_ranking_candidates_is_an_audited_access(cast, student):
    post = vacancy(cast["vienne"], "86070")
    ranked = matching.rank_candidates(cast["vienne"], post)
    assert [m.candidate for m in ranked] == [student]
    assert AuditEvent.objects.filter(action="candidat.consultation", objet_id=str(student.pk)).exists()
    assert matching.rank_candidates(cast["charente_maritime"], post) == []


def test_installation_through_the_pipeline_fulfils_the_commitment(cast, vienne_medecine, student):
    officer = cast["vienne"]
    agreement = create_agreement(officer, student, vienne_medecine, date(2026, 9, 1), date(2026, 9, 30))
    post = vacancy(officer, "86070")
    placement = start_placement(officer, student, post)
    plan_visit(officer, student, VisitData(date(2027, 4, 2), "Chauvigny : cabinet, mairie", vacancy_id=post.pk))
    move_placement(officer, placement, "visite", "Visite faite")
    with pytest.raises(ValueError, match="date d'installation"):
        move_placement(officer, placement, "installe")
    outcome = move_placement(officer, placement, "installe", "Installée", installe_le=date(2033, 11, 4))
    assert outcome.fulfilled == agreement
    agreement.refresh_from_db()
    post.refresh_from_db()
    assert agreement.status == AgreementStatus.HONORE and agreement.installation_commune_id == "86070"
    assert post.statut == VacancyStatus.POURVU
    with pytest.raises(ValueError, match="close"):
        move_placement(officer, placement, "abandon")


def test_campaign_audience_is_consenting_and_its_export_audited(cast, student):
    create_candidate(
        cast["vienne"],
        "86",
        CandidateData(nom="Sans", prenom="Accord", profession="generaliste", situation="etudiant", email="x@y.test"),
        True,
    )
    campaign = create_campaign(cast["vienne"], "86", "MSP de Lussac", "Venez découvrir…", ["generaliste"], False, None)
    assert audience(campaign) == [student]
    assert export_audience(cast["vienne"], campaign) == [student]
    assert AuditEvent.objects.get(action="campagne.export").details["destinataires"] == [student.pk]
    campaign.beneficiaires_seulement = True
    assert audience(campaign) == []


def test_unknown_departement_is_named(cast):
    data = CandidateData(nom="X", prenom="Y", profession="infirmier", situation="professionnel")
    with pytest.raises(ValueError, match="Département inconnu : « 999 »"):
        create_candidate(cast["admin"], "999", data, consent_given=True)
