"""The three repayment rules with their explanations, rounding half up to the cent, an engagement of no months; and
who each trace names: the payments, the breach, the placement, the campaign's export and the views it implies; the
access log's order and its labels; the campaign's audience in alphabetical order; statuses counted."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from oasis.audit.models import AuditEvent
from oasis.audit.services import record
from oasis.recruitment.agreements import (
    agreement_statuses,
    amount_owed,
    create_agreement,
    mark_paid,
    record_breach,
    record_installation,
)
from oasis.recruitment.campaigns import audience, create_campaign, export_audience
from oasis.recruitment.candidates import CandidateData, access_log, create_candidate, export_candidate, view_candidate
from oasis.recruitment.models import AidAgreement, AidScheme
from oasis.recruitment.placements import start_placement
from oasis.recruitment.schemes import save_scheme
from oasis.recruitment.vacancies import VacancyData, create_vacancy
from oasis.territories.models import Commune

SIGNED = date(2026, 9, 1)


def scheme(cast, rule: str, monthly: str = "500", months: int = 84) -> AidScheme:
    values = AidScheme(
        code=f"regle-{rule}-{months}",
        nom=f"Règle {rule}",
        financeur="Département de la Vienne",
        kind="etudes",
        professions=["generaliste"],
        montant_mensuel=Decimal(monthly),
        duree_engagement_mois=months,
        regle_remboursement=rule,
    )
    return save_scheme(cast["vienne"], values, "86")


def paid_and_installed(cast, student, aid: AidScheme, instalments: int, installed: date | None) -> AidAgreement:
    agreement = create_agreement(cast["vienne"], student, aid, SIGNED, SIGNED, instalments)
    mark_paid(cast["vienne"], agreement, date(2030, 1, 1))
    if installed is not None:
        record_installation(cast["vienne"], agreement, Commune.objects.get(pk="86070"), installed)
    return AidAgreement.objects.get(pk=agreement.pk)


def test_integral_repayment_is_everything_paid(cast, student):
    agreement = paid_and_installed(cast, student, scheme(cast, "integral"), 3, date(2027, 1, 1))
    owed = amount_owed(agreement, date(2029, 1, 1))  # 24 months served of 84: all the same
    assert (owed.paid, owed.amount, owed.months_served, owed.rule) == (Decimal("1500.00"), Decimal("1500.00"), 24, "integral")
    assert owed.explanation == "totalité des sommes versées : 1\u202f500,00 €"


def test_no_repayment_when_the_scheme_provides_none(cast, student):
    agreement = paid_and_installed(cast, student, scheme(cast, "aucun"), 3, None)
    owed = amount_owed(agreement, date(2027, 6, 1))
    assert (owed.paid, owed.amount, owed.months_served) == (Decimal("1500.00"), Decimal("0.00"), 0)
    assert owed.explanation == "le dispositif ne prévoit pas de remboursement"


def test_prorata_is_rounded_half_up_to_the_cent(cast, student):
    # 150.13 € paid, one month served of two: 75.065 €, owed 75.07 € (half up), not 75.06 € (half to even).
    agreement = paid_and_installed(cast, student, scheme(cast, "prorata", "150.13", 2), 1, date(2027, 1, 1))
    owed = amount_owed(agreement, date(2027, 2, 1))
    assert (owed.paid, owed.months_served, owed.months_required, owed.amount) == (Decimal("150.13"), 1, 2, Decimal("75.07"))
    assert owed.explanation == "150,13 € versés × (1 − 1 mois exercés / 2 mois exigés) = 75,07 €"


def test_an_engagement_of_no_months_owes_everything_paid_under_prorata(cast, student):
    agreement = paid_and_installed(cast, student, scheme(cast, "prorata", "100", 0), 2, date(2027, 1, 1))
    owed = amount_owed(agreement, date(2027, 3, 1))
    assert (owed.months_required, owed.months_served, owed.amount) == (0, 0, Decimal("200.00"))


def test_each_trace_names_who_did_it(cast, student, vienne_medecine):
    officer = cast["vienne"]
    agreement = create_agreement(officer, student, vienne_medecine, SIGNED, SIGNED, 12)
    mark_paid(officer, agreement, date(2026, 10, 1))
    record_breach(officer, agreement, date(2026, 11, 15), "abandon")
    vacancy = create_vacancy(
        officer, VacancyData(commune="86070", profession="generaliste", mode="liberal", contact_nom="Mairie")
    )
    to_post = start_placement(officer, student, vacancy)
    to_commune = start_placement(officer, student, None, "86140")
    campaign = create_campaign(officer, "86", "Venez", "Texte", [], False, None)
    export_audience(officer, campaign)
    for action in ("convention.versements", "convention.rupture", "campagne.export"):
        assert AuditEvent.objects.get(action=action).user == officer, action
    placements = AuditEvent.objects.filter(action="candidat.mise_en_relation").order_by("pk")
    assert [(e.user, e.details) for e in placements] == [
        (officer, {"mise_en_relation": to_post.pk, "poste": vacancy.pk}),
        (officer, {"mise_en_relation": to_commune.pk, "poste": None}),
    ]
    view = AuditEvent.objects.filter(action="candidat.consultation").get()
    assert (view.user, view.objet_id, view.details) == (
        officer,
        str(student.pk),
        {"motif": f"export de la campagne n° {campaign.pk}"},
    )


def test_the_access_log_follows_the_time_of_each_event_and_names_unknown_actions_as_recorded(cast, student):
    view_candidate(cast["vienne"], student, "suivi")
    creation = AuditEvent.objects.get(action="candidat.creation")
    AuditEvent.objects.filter(pk=creation.pk).update(at=timezone.now() + timedelta(days=1))  # later than the view
    record(None, "candidat.annotation", student, {})
    log = access_log(student)
    assert [(e.action, e.libelle) for e in log] == [
        ("candidat.creation", "création de la fiche"),
        ("candidat.annotation", "candidat.annotation"),
        ("candidat.consultation", "consultation"),
    ]
    exported = export_candidate(cast["vienne"], student)
    assert [exported["acces"][0], exported["acces"][2]] == [
        {"le": log[0].at, "par": cast["vienne"].email, "action": "candidat.creation"},
        {"le": log[1].at, "par": None, "action": "candidat.annotation"},
    ]


def test_the_audience_is_in_alphabetical_order_of_names_then_first_names(cast):
    def person(nom, prenom):
        data = CandidateData(nom, prenom, "generaliste", "interne", email=f"{prenom}@test.fr", consentement_communication=True)
        return create_candidate(cast["vienne"], "86", data, True)

    zoe, anne, bruno = person("Martin", "Zoé"), person("Martin", "Anne"), person("Albert", "Bruno")
    campaign = create_campaign(cast["vienne"], "86", "Venez", "Texte", [], False, None)
    assert audience(campaign) == [bruno, anne, zoe]


def test_statuses_are_counted(cast, student, vienne_medecine):
    for _ in range(2):
        create_agreement(cast["vienne"], student, vienne_medecine, SIGNED, SIGNED, 12)
    counts = agreement_statuses(AidAgreement.objects.all())
    status = AidAgreement.objects.with_unpaid().first().status
    assert counts[status] == 2 and sum(counts.values()) == 2


@pytest.mark.parametrize("rule", ["prorata", "integral", "aucun"])
def test_a_breach_records_the_amount_by_the_schemes_rule(cast, student, rule):
    agreement = paid_and_installed(cast, student, scheme(cast, rule), 2, None)
    owed = record_breach(cast["vienne"], agreement, date(2027, 1, 1), "abandon")
    expected = {"prorata": "1000.00", "integral": "1000.00", "aucun": "0.00"}[rule]
    assert (str(owed.amount), AuditEvent.objects.get(action="convention.rupture").details["du"]) == (expected, expected)
