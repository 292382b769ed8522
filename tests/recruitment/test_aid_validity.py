"""Aid schemes with their validity, a lump sum or a monthly amount, and territories picked by name: the national
contracts of 2016 close on 31 December 2025 and say what replaced them; a closed scheme is never offered."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from oasis.audit.models import AuditEvent
from oasis.recruitment.agreements import SCHEME_NOT_OPEN, create_agreement
from oasis.recruitment.matching import _aid
from oasis.recruitment.models import AidScheme
from oasis.recruitment.schemes import (
    AMOUNT_REQUIRED,
    TERRITORY_OUTSIDE,
    aids_at,
    applicable_aids,
    eligible_schemes,
    open_schemes,
    save_scheme,
)
from oasis.territories.models import Commune
from tests.recruitment.conftest import make_scheme

GRAND_POITIERS = "epci:200069854"
REPLACED = "la majoration de 10 % du forfait médecin traitant en zone d'intervention prioritaire"


def test_the_2016_contracts_carry_their_real_dates_and_what_replaced_them(db, national):
    caim = AidScheme.objects.get(code="caim")
    assert caim.ouvert_jusqu_au == date(2025, 12, 31)
    assert caim.validity(date(2025, 12, 31)).open
    closed = caim.validity(date(2026, 1, 1))
    assert not closed.open
    assert closed.label.startswith(f"fermé depuis le 1er janvier 2026 — remplacé par {REPLACED}")
    for code in ("coscom", "cstm", "cotram"):
        assert AidScheme.objects.get(code=code).ouvert_jusqu_au == date(2025, 12, 31)
    assert AidScheme.objects.get(code="cde").ouvert_le == date(2021, 4, 1)
    successor = AidScheme.objects.get(code="fmt-zip")
    assert (successor.ouvert_le, successor.validity(date(2025, 12, 31)).open) == (date(2026, 1, 1), False)


def test_a_candidate_is_not_told_a_closed_contract_is_open(cast, student, client):
    assert "caim" in {s.code for s in eligible_schemes(student, on=date(2025, 12, 31))}
    assert "caim" not in {s.code for s in eligible_schemes(student, on=date(2026, 1, 1))}
    client.force_login(cast["vienne"])
    page = client.get(reverse("candidate_detail", args=[student.pk])).content.decode()
    opened = page[page.index("Dispositifs ouverts à cette personne") :].split("</p>")[0]
    assert "CAIM" not in opened and "(CDE)" in opened


def test_the_schemes_page_says_closed_since_and_what_replaced_it(cast, client):
    client.force_login(cast["vienne"])
    page = html.unescape(client.get(reverse("schemes")).content.decode())
    row = page[page.index('data-dispositif="caim"') :].split("</tr>")[0]
    assert 'data-ouvert="non"' in row
    assert f"fermé depuis le 1er janvier 2026 — remplacé par {REPLACED}" in row


def test_a_departement_scheme_is_offered_from_its_opening_day_to_its_last_day(cast):
    make_scheme("prime", nom="Prime", ouvert_le=date(2027, 1, 1), ouvert_jusqu_au=date(2027, 12, 31))
    lussac = Commune.objects.get(pk="86140")

    def offered(on: date) -> list[str]:
        return [aid.scheme.code for aid in aids_at(lussac, "generaliste", on)[1]]

    assert offered(date(2026, 12, 31)) == []
    assert offered(date(2027, 1, 1)) == ["prime"]
    assert offered(date(2027, 12, 31)) == ["prime"]
    assert offered(date(2028, 1, 1)) == []


def test_an_officer_enters_a_lump_sum_scheme_for_communes_picked_by_name(cast, client):
    client.force_login(cast["vienne"])
    data = {
        "code": "prime-installation-86",
        "nom": "Prime à la primo-installation",
        "financeur": "Département de la Vienne",
        "kind": "primo-installation",
        "professions": ["generaliste"],
        "montant_forfaitaire": "10000",
        "duree_engagement_mois": "36",
        "regle_remboursement": "prorata",
        "territoires": "Lussac-les-Châteaux ; CU du Grand Poitiers",
        "ouvert_le": "2026-01-01",
        "ouvert_jusqu_au": "2027-12-31",
        "contact": "Service santé, 05 49 00 00 00",
        "actif": "on",
    }
    response = client.post(reverse("scheme_create"), data)
    assert response.status_code == 302
    scheme = AidScheme.objects.get(code="prime-installation-86")
    assert (scheme.departement_id, scheme.montant_forfaitaire, scheme.montant_mensuel) == ("86", Decimal("10000"), None)
    assert scheme.territoires == ["com:86140", GRAND_POITIERS]
    details = AuditEvent.objects.filter(action="dispositif.creation", objet_id=str(scheme.pk)).get().details
    assert (details["montant_forfaitaire"], details["territoires"]) == ("10000.00", ["com:86140", GRAND_POITIERS])
    assert details["validite"] == ["2026-01-01", "2027-12-31"]

    on = date(2026, 12, 7)

    def local(code: str, day: date = on) -> list[str]:
        return [a.nom for a in applicable_aids(Commune.objects.get(pk=code), "generaliste", day) if not a.national]

    # Lussac by name; Chasseneuil-du-Poitou and Chauvigny through the Grand Poitiers; Montmorillon is in neither.
    assert [local(code) for code in ("86140", "86062", "86070")] == [["Prime à la primo-installation"]] * 3
    assert local("86165") == []
    aid = next(a for a in applicable_aids(Commune.objects.get(pk="86140"), "generaliste", on) if not a.national)
    assert (aid.montant, aid.engagement, aid.contact) == (
        "10\u202f000 € en une fois",
        "36 mois d'exercice",
        "Service santé, 05 49 00 00 00",
    )
    assert aid.validite.label == "ouvert depuis le 1er janvier 2026 jusqu'au 31 décembre 2027 inclus"
    assert local("86140", date(2027, 12, 31)) == ["Prime à la primo-installation"]
    assert local("86140", date(2028, 1, 1)) == []
    nationals = [a.nom for a in applicable_aids(Commune.objects.get(pk="86140"), "generaliste", on) if a.national]
    assert not [name for name in nationals if "CAIM" in name or "COSCOM" in name]


def test_a_scheme_without_amount_keeps_what_was_typed_and_a_commune_elsewhere_is_refused(cast, client):
    client.force_login(cast["vienne"])
    data = {
        "code": "sans-montant",
        "nom": "Aide sans montant",
        "financeur": "Département de la Vienne",
        "kind": "primo-installation",
        "professions": ["generaliste"],
        "duree_engagement_mois": "36",
        "regle_remboursement": "prorata",
        "territoires": "Lussac-les-Châteaux",
    }
    response = client.post(reverse("scheme_create"), data)
    page = response.content.decode()
    assert response.status_code == 400 and AMOUNT_REQUIRED in page and "Aide sans montant" in page
    assert "Ce champ est obligatoire" not in page
    scheme = AidScheme(
        code="niort",
        nom="Niort",
        financeur="D",
        kind="primo-installation",
        professions=["generaliste"],
        montant_forfaitaire=Decimal(5000),
        duree_engagement_mois=12,
        territoires=["com:79191"],
    )
    with pytest.raises(ValueError, match=TERRITORY_OUTSIDE.format(nom="Niort", departement="86")):
        save_scheme(cast["vienne"], scheme, "86")
    assert not AidScheme.objects.filter(code="niort").exists()


def test_a_lump_sum_is_one_payment_and_no_agreement_is_signed_after_the_closing_day(cast, student):
    scheme = make_scheme("forfait", montant_mensuel=None, montant_forfaitaire=Decimal("8000"), ouvert_jusqu_au=date(2026, 9, 30))
    agreement = create_agreement(cast["vienne"], student, scheme, date(2026, 9, 30), date(2026, 10, 1))
    assert [(p.echeance, p.montant) for p in agreement.payments.all()] == [(date(2026, 10, 1), Decimal("8000"))]
    with pytest.raises(ValueError) as refused:
        create_agreement(cast["vienne"], student, scheme, date(2026, 10, 1), date(2026, 10, 1))
    assert str(refused.value) == SCHEME_NOT_OPEN.format(scheme="forfait", validite="fermé depuis le 1er octobre 2026")


def test_matching_leaves_out_a_scheme_of_another_territory_or_closed(cast, student):
    lussac, chauvigny = Commune.objects.get(pk="86140"), Commune.objects.get(pk="86070")
    make_scheme("lussac-seul", nom="Lussac seul", territoires=["com:86140"])
    schemes = list(AidScheme.objects.filter(code="lussac-seul"))
    assert _aid(student, schemes, lussac, None) == (True, "éligible à « Lussac seul »")
    assert _aid(student, schemes, chauvigny, None) == (
        False,
        "« Lussac seul » réservé à certains territoires : Lussac-les-Châteaux",
    )
    AidScheme.objects.filter(code="lussac-seul").update(ouvert_jusqu_au=date(2026, 1, 31))
    assert "lussac-seul" not in {s.code for s in open_schemes(date(2026, 2, 1))}
    assert "lussac-seul" in {s.code for s in open_schemes(date(2026, 1, 31))}
