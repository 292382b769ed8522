"""The Département's aids at a place, each with why it applies or not (the ARS zoning first); and the details the
other tests leave: information schemes, the installation deadline without delay, authors of the traces, codes in
lower case, events at the same instant, commitments due in one query."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from oasis.audit.models import AuditEvent
from oasis.recruitment.agreements import SCHEME_INFORMATION_ONLY, commitments_due, create_agreement
from oasis.recruitment.campaigns import create_campaign
from oasis.recruitment.candidates import access_log, view_candidate
from oasis.recruitment.models import AidAgreement
from oasis.recruitment.schemes import aids_at
from oasis.recruitment.vacancies import VacancyData, create_vacancy
from oasis.references.importers import run_import
from oasis.territories.models import Commune
from tests.recruitment.conftest import make_scheme

SIGNED = date(2026, 9, 1)


def test_each_schemes_reason_at_a_place_follows_the_zoning(cast, tmp_path):
    header = "region;date_arrete;code_insee;profession;zone\n"
    (tmp_path / "z.csv").write_text(header + "75;2024-03-01;86140;generaliste;ZAC\n75;2024-03-01;86070;generaliste;ZV\n")
    run_import("zonage", tmp_path / "z.csv")
    make_scheme("a-zone", nom="A. zones", zone_sous_dense=True)
    make_scheme("b-libre", nom="B. partout")
    make_scheme("c-ide", nom="C. infirmiers", professions=["infirmier"])
    make_scheme("d-ancienne", nom="D. ancienne", actif=False)
    make_scheme("e-17", "17", nom="E. Charente-Maritime")
    lussac, chauvigny = Commune.objects.get(pk="86140"), Commune.objects.get(pk="86070")

    zoning, aids = aids_at(lussac, "generaliste")
    assert zoning is not None and zoning.zone == "ZAC" and zoning.officiel
    assert [(a.scheme.code, a.eligible, a.reason) for a in aids] == [
        ("a-zone", True, "zone sous-dense (Zone d'action complémentaire (ZAC))"),
        ("b-libre", True, "sans condition de zone"),
    ]
    zoning, aids = aids_at(chauvigny, "generaliste")
    assert [(a.scheme.code, a.eligible, a.reason) for a in aids] == [
        ("a-zone", False, "réservé aux zones sous-denses ; ici : Zone de vigilance"),
        ("b-libre", True, "sans condition de zone"),
    ]
    zoning, aids = aids_at(chauvigny, "infirmier")  # no zoning imported for nurses: OASIS's estimate
    assert zoning is not None and not zoning.officiel
    assert [(a.scheme.code, a.eligible) for a in aids] == [("c-ide", True)]
    make_scheme("f-spe", nom="F. spécialistes", professions=["medecin-specialiste"], zone_sous_dense=True)
    zoning, aids = aids_at(lussac, "medecin-specialiste")  # no APL for this profession: zoning unknown
    assert zoning is None
    assert [(a.scheme.code, a.eligible, a.reason) for a in aids] == [
        ("f-spe", False, "réservé aux zones sous-denses ; ici : zonage inconnu")
    ]


def test_a_scheme_without_amount_or_engagement_or_national_is_information_only(cast, student):
    for scheme in (
        make_scheme("sans-engagement", duree_engagement_mois=None),
        make_scheme("sans-montant", montant_mensuel=None),
        make_scheme("nationale", None, kind="nationale"),  # amounts given, still a national scheme
    ):
        with pytest.raises(ValueError) as raised:
            create_agreement(cast["vienne"], student, scheme, SIGNED, SIGNED, 12)
        assert str(raised.value) == SCHEME_INFORMATION_ONLY.format(scheme=scheme.code)


def test_without_delay_the_installation_is_due_with_the_last_instalment_and_traces_name_their_author(
    cast, student, vienne_medecine
):
    agreement = create_agreement(cast["vienne"], student, make_scheme("sans-delai"), SIGNED, SIGNED, 12)
    assert agreement.installation_avant == date(2027, 8, 1)
    vacancy = create_vacancy(
        cast["admin"], VacancyData(commune=" 2a004 ", profession="generaliste", mode="liberal", contact_nom="M")
    )
    assert vacancy.commune_id == "2A004"  # Corsican codes are upper case
    create_campaign(cast["vienne"], "86", "Venez", "Texte", [], False, None)
    for action, user in [
        ("convention.creation", cast["vienne"]),
        ("poste.creation", cast["admin"]),
        ("campagne.creation", cast["vienne"]),
        ("dispositif.creation", cast["vienne"]),
    ]:
        assert AuditEvent.objects.filter(action=action).order_by("pk").last().user == user, action


def test_events_at_the_same_instant_are_listed_newest_recorded_first(cast, student):
    view_candidate(cast["vienne"], student, "un")
    view_candidate(cast["vienne"], student, "deux")
    AuditEvent.objects.update(at=timezone.now() - timedelta(hours=1))
    assert [e.details.get("motif") for e in access_log(student)] == ["deux", "un", None]


def test_commitments_due_are_read_in_one_query(cast, student, vienne_medecine, django_assert_num_queries):
    for _ in range(3):
        create_agreement(cast["vienne"], student, vienne_medecine, SIGNED, SIGNED, 12)
    agreements = AidAgreement.objects.all()
    with django_assert_num_queries(1):
        due = commitments_due(agreements, 10_000, date(2026, 9, 1))
        assert [(a.candidate.nom, a.scheme.code) for a in due] == [("Durand", "vienne-etudes-medecine")] * 3
