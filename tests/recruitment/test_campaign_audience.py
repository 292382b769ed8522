"""Who receives a campaign, one condition at a time: the campaign's département, consent to be contacted, an
e-mail address, the file still within its retention (on its last day kept, not the day after), the professions
aimed at, and the aid beneficiaries only when asked; recipients by name."""

from datetime import date, timedelta

import pytest

from oasis.recruitment.agreements import create_agreement
from oasis.recruitment.campaigns import audience, create_campaign, export_audience
from oasis.recruitment.candidates import CandidateData, create_candidate
from oasis.recruitment.common import NotAllowed
from oasis.recruitment.models import Candidate

TODAY = date(2027, 3, 1)


def person(cast, nom, *, departement="86", profession="generaliste", email="x@etu.test", consent=True, kept=TODAY):
    officer = cast["vienne"] if departement == "86" else cast["charente_maritime"]
    data = CandidateData(
        nom=nom,
        prenom="A",
        profession=profession,
        situation="etudiant",
        email=email,
        consentement_communication=consent,
    )
    candidate = create_candidate(officer, departement, data, True)
    Candidate.objects.filter(pk=candidate.pk).update(conserver_jusqu_au=kept)
    return candidate


def campaign(cast, professions=(), beneficiaires_seulement=False):
    return create_campaign(
        cast["vienne"], "86", "MSP de Lussac", "Venez découvrir…", list(professions), beneficiaires_seulement, None
    )


def test_each_condition_leaves_out_its_candidate(cast):
    kept = [person(cast, "Bernard"), person(cast, "Arnaud", profession="infirmier")]
    person(cast, "Autre-département", departement="17")
    person(cast, "Sans-accord", consent=False)
    person(cast, "Sans-courriel", email="")
    person(cast, "Échu", kept=TODAY - timedelta(days=1))
    assert audience(campaign(cast), today=TODAY) == sorted(kept, key=lambda c: c.nom)


def test_a_file_is_reached_on_its_last_day_kept(cast):
    last_day = person(cast, "Dernier-jour", kept=TODAY)
    assert audience(campaign(cast), today=TODAY) == [last_day]
    assert audience(campaign(cast), today=TODAY + timedelta(days=1)) == []


def test_the_professions_aimed_at(cast):
    generaliste, infirmier = person(cast, "G"), person(cast, "I", profession="infirmier")
    person(cast, "K", profession="masseur-kinesitherapeute")
    assert audience(campaign(cast, ["infirmier"]), today=TODAY) == [infirmier]
    assert audience(campaign(cast, ["generaliste", "infirmier"]), today=TODAY) == [generaliste, infirmier]


def test_the_beneficiaries_only_once_each(cast, vienne_medecine, student):
    Candidate.objects.filter(pk=student.pk).update(conserver_jusqu_au=TODAY, consentement_communication=True)
    person(cast, "Sans-aide")
    for signed in (date(2026, 9, 1), date(2027, 1, 1)):  # two agreements: still one recipient
        create_agreement(cast["vienne"], student, vienne_medecine, signed, signed, nb_mois=1)
    assert audience(campaign(cast, beneficiaires_seulement=True), today=TODAY) == [student]


@pytest.mark.parametrize("who", ["charente_maritime", "ars_na", "lussac", "medecin"])
def test_only_those_who_see_the_campaign_export_its_recipients(cast, who):
    with pytest.raises(NotAllowed):
        export_audience(cast[who], campaign(cast))
