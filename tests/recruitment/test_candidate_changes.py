"""A candidate's file changed, erased, and a visit's feedback recorded: the audit names the fields changed (never
their values), a bad territory, place or RPPS number changes nothing, a professional account is linked by its
address, and only the file's managers act."""

from datetime import date

import pytest

from oasis.accounts.enums import Role
from oasis.audit.models import AuditEvent
from oasis.recruitment.candidates import CandidateData, erase_candidate, retention_until, update_candidate
from oasis.recruitment.common import NotAllowed
from oasis.recruitment.models import Candidate, Visit
from oasis.recruitment.placements import VisitData, plan_visit, record_feedback
from oasis.references.validators import RPPS_FORMAT
from tests.projects.conftest import make_user


def data(**changes):
    values = {"nom": "Durand", "prenom": "Léa", "profession": "generaliste", "situation": "etudiant"}
    return CandidateData(**{**values, **changes})


def refused(action) -> str:
    with pytest.raises(ValueError) as raised:
        action()
    return str(raised.value)


def test_the_audit_names_the_fields_changed_not_their_values(cast, student):
    Candidate.objects.filter(pk=student.pk).update(conserver_jusqu_au=date(2026, 1, 1))
    student.refresh_from_db()
    before = {"annee_etudes": student.annee_etudes, "email": student.email}
    update_candidate(
        cast["vienne"],
        student,
        data(
            nom="  Durand-Martin ",
            email=before["email"],
            annee_etudes=before["annee_etudes"],
            commune_reference="86070",
            territoires_preferes=["dep:86", " epci:200069854 "],
            notes="  rappeler en mars ",
        ),
    )
    student.refresh_from_db()
    assert (student.nom, student.notes, student.commune_reference_id) == ("Durand-Martin", "rappeler en mars", "86070")
    assert student.territoires_preferes == ["dep:86", "epci:200069854"]
    assert student.conserver_jusqu_au == retention_until()
    event = AuditEvent.objects.get(action="candidat.modification")
    assert event.user == cast["vienne"]
    assert event.details["champs"][-1] == "commune_reference"
    assert event.details["champs"].count("commune_reference") == 1
    assert set(event.details["champs"]) >= {"nom", "notes", "territoires_preferes", "commune_reference"}
    assert "email" not in event.details["champs"] and "annee_etudes" not in event.details["champs"]
    assert "Durand-Martin" not in str(event.details)


def test_nothing_changed_is_said_so(cast, student):
    student.refresh_from_db()
    same = {name: getattr(student, name) for name in CandidateData.__dataclass_fields__}
    same["commune_reference"] = student.commune_reference_id
    update_candidate(cast["vienne"], student, CandidateData(**same))
    assert AuditEvent.objects.get(action="candidat.modification").details == {"champs": []}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"territoires_preferes": ["dep:99"]}, "Territoire souhaité : "),
        ({"commune_reference": "99999"}, "Lieu de référence : commune inconnue « 99999 »."),
        ({"rpps": "123"}, RPPS_FORMAT),
    ],
)
def test_a_bad_value_changes_nothing(cast, student, changes, message):
    assert refused(lambda: update_candidate(cast["vienne"], student, data(nom="Autre", **changes))).startswith(message)
    assert Candidate.objects.get(pk=student.pk).nom == "Durand"
    assert not AuditEvent.objects.filter(action="candidat.modification").exists()


def test_a_professional_account_is_linked_by_its_address(cast, student):
    account = make_user("lea.durand@medecin.test", Role.PROFESSIONNEL)
    update_candidate(cast["vienne"], student, data(email="Lea.Durand@medecin.test"))
    student.refresh_from_db()
    assert student.user == account


@pytest.mark.parametrize("who", ["charente_maritime", "ars_na", "lussac", "medecin"])
def test_only_the_managers_change_erase_or_record_a_visit(cast, student, who):
    visit = plan_visit(cast["vienne"], student, VisitData(date=date(2027, 3, 1), lieux="Lussac"))
    with pytest.raises(NotAllowed):
        update_candidate(cast[who], student, data(nom="Autre"))
    with pytest.raises(NotAllowed):
        erase_candidate(cast[who], student, "demande")
    with pytest.raises(NotAllowed):
        record_feedback(cast[who], visit, "Maire", "Très bien")
    assert Candidate.objects.get(pk=student.pk).nom == "Durand"
    assert Visit.objects.get().retour == ""


def test_the_erasure_keeps_the_reason_and_the_number_only(cast, student):
    pk = student.pk
    erase_candidate(cast["vienne"], student, "Demande écrite du 2 mars " + "x" * 400)
    assert not Candidate.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="candidat.effacement")
    assert event.details == {"motif": ("Demande écrite du 2 mars " + "x" * 400)[:300], "id": pk}
    assert event.user == cast["vienne"]


def test_a_visit_s_feedback_is_recorded(cast, student):
    visit = plan_visit(cast["vienne"], student, VisitData(date=date(2027, 3, 1), lieux=" Lussac "))
    assert visit.lieux == "Lussac"
    record_feedback(cast["vienne"], visit, "  Le maire, deux infirmières ", " Séduite par la maison ")
    visit.refresh_from_db()
    assert (visit.personnes_rencontrees, visit.retour) == ("Le maire, deux infirmières", "Séduite par la maison")
    event = AuditEvent.objects.get(action="candidat.visite.retour")
    assert (event.details, event.objet_id, event.user) == ({"visite": visit.pk}, str(student.pk), cast["vienne"])
    assert refused(lambda: plan_visit(cast["vienne"], student, VisitData(date.today(), "  "))) == (
        "Indiquez les lieux de la visite."
    )
