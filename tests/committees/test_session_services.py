"""A session from preparation to decisions applied: the agenda, the invitations, the decisions with their reasons,
the cahier des charges enforced, all the decisions applied at once or none."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oasis.audit.models import AuditEvent
from oasis.committees import services
from oasis.committees.models import Session, SessionStatus
from oasis.notifications.enums import Event
from oasis.notifications.models import Notification
from oasis.projects.conformity import evaluate
from oasis.projects.enums import Stage
from oasis.projects.models import Project
from oasis.projects.services import NotAllowed
from oasis.projects.stages import NOT_CONFORMING, move

pytestmark = pytest.mark.django_db

SESSION_DAY = date(2027, 5, 12)
"""The date of the ``session`` fixture."""


def stage(project) -> str:  # type: ignore[no-untyped-def]
    return Project.objects.get(pk=project.pk).stage


def test_only_the_regions_ars_creates_a_session_with_members_of_its_region(cast, urps):
    data = services.SessionData(date=date(2027, 5, 12), copresident_ars="A", copresident_prefecture="P")
    with pytest.raises(NotAllowed):
        services.create_session(cast["ars_occitanie"], "75", data)
    with pytest.raises(NotAllowed):
        services.create_session(cast["vienne"], "75", data)
    data.member_ids = [cast["ars_occitanie"].pk]
    with pytest.raises(ValueError, match="ne peut pas siéger"):
        services.create_session(cast["ars_na"], "75", data)
    data.member_ids = [urps.pk, cast["charente_maritime"].pk]
    session = services.create_session(cast["ars_na"], "75", data)
    assert set(session.members.values_list("email", flat=True)) == {"urps@na.test", "cm@cm17.test"}
    assert AuditEvent.objects.filter(action="comite.creation").count() == 1


def test_the_agenda_takes_filed_projects_of_the_region_once(cast, project, session, second):
    with pytest.raises(ValueError) as early:
        services.add_to_agenda(cast["ars_na"], session, project.pk)  # still at first contact
    assert str(early.value) == services.NOT_ON_AGENDA_STAGE.format(project=project.nom, stage="Prise de contact / 1er entretien")
    item = services.add_to_agenda(cast["ars_na"], session, second.pk)
    assert item.order == 1
    with pytest.raises(ValueError, match="déjà inscrit"):
        services.add_to_agenda(cast["ars_na"], session, second.pk)
    with pytest.raises(NotAllowed):
        services.add_to_agenda(cast["vienne"], session, second.pk)
    assert list(services.eligible_projects(session)) == []
    services.remove_from_agenda(cast["ars_na"], session, item.pk)
    assert list(services.eligible_projects(session)) == [second]


def test_convening_moves_the_projects_and_invites_the_members(cast, filed, second, session, smtp):
    from oasis.notifications.services import send_immediate

    with pytest.raises(ValueError) as empty:
        services.convene(cast["ars_na"], session)
    assert str(empty.value) == services.EMPTY_AGENDA
    services.add_to_agenda(cast["ars_na"], session, filed.pk)
    services.add_to_agenda(cast["ars_na"], session, second.pk)
    services.convene(cast["ars_na"], session)
    assert stage(filed) == stage(second) == Stage.COMITE
    invited = set(Notification.objects.filter(event=Event.SEANCE).values_list("recipient__email", flat=True))
    assert invited == {"cpam@na.test", "pref@vienne.test", "urps@na.test", "cm@vienne.test"}
    send_immediate()
    mail = smtp.to("urps@na.test")
    assert [m.subject for m in mail if "Convocation" in m.subject] == [
        "[OASIS] Convocation au comité régional de sélection du 12 mai 2027"
    ]
    assert "Maison de santé de Lussac-les-Châteaux, Centre de santé de Chauvigny" in mail[-1].text
    with pytest.raises(ValueError, match="déjà convoquée"):
        services.convene(cast["ars_na"], session)


def test_decisions_need_reasons_and_a_non_conforming_validation_a_derogation(cast, filed, second, session):
    first = services.add_to_agenda(cast["ars_na"], session, filed.pk)
    with pytest.raises(ValueError) as early:
        services.record_decision(cast["ars_na"], session, first.pk, Stage.VALIDE, "Bon projet")
    assert str(early.value) == services.NOT_CONVENED
    services.convene(cast["ars_na"], session)
    with pytest.raises(ValueError) as no_reason:
        services.record_decision(cast["ars_na"], session, first.pk, Stage.VALIDE, "  ")
    assert str(no_reason.value) == services.REASONS_REQUIRED
    with pytest.raises(ValueError) as unknown:
        services.record_decision(cast["ars_na"], session, first.pk, Stage.OUVERT, "Ouvert")
    assert str(unknown.value) == services.UNKNOWN_DECISION.format(decision=Stage.OUVERT)
    conformity = evaluate(filed)
    missing = "; ".join(check.libelle for check in conformity.missing)
    with pytest.raises(ValueError) as refused:
        services.record_decision(cast["ars_na"], session, first.pk, Stage.VALIDE, "Projet attendu")
    assert str(refused.value) == NOT_CONFORMING.format(cahier=conformity.cahier.titre, missing=missing)
    item = services.record_decision(
        cast["ars_na"], session, first.pk, Stage.VALIDE, "Projet attendu", "Zone d'intervention prioritaire"
    )
    assert item.derogation == "Zone d'intervention prioritaire"
    item = services.record_decision(cast["ars_na"], session, first.pk, Stage.A_REVOIR, "Équipe à compléter", "ignorée")
    assert item.decision == Stage.A_REVOIR and item.derogation == ""
    with pytest.raises(NotAllowed):
        services.record_decision(cast["vienne"], session, first.pk, Stage.REFUSE, "Non")


def test_decisions_are_applied_to_every_project_at_once(cast, filed, second, session):
    first = services.add_to_agenda(cast["ars_na"], session, filed.pk)
    other = services.add_to_agenda(cast["ars_na"], session, second.pk)
    services.convene(cast["ars_na"], session)
    services.record_decision(cast["ars_na"], session, other.pk, Stage.VALIDE, "Équipe complète")
    with pytest.raises(ValueError) as missing:
        services.apply_decisions(cast["ars_na"], session, today=SESSION_DAY)
    assert str(missing.value) == services.MISSING_DECISIONS.format(projects=filed.nom)
    services.record_decision(cast["ars_na"], session, first.pk, Stage.REFUSE, "Pas de médecin engagé")
    assert services.apply_decisions(cast["ars_na"], session, today=SESSION_DAY) == 2
    assert stage(second) == Stage.VALIDE and stage(filed) == Stage.REFUSE
    last = Project.objects.get(pk=filed.pk).transitions.last()
    assert last.reason == "Comité régional de sélection du 12 mai 2027 : Pas de médecin engagé"
    session.refresh_from_db()
    assert session.status == SessionStatus.TENUE and session.applied_at is not None
    with pytest.raises(ValueError) as closed:
        services.add_to_agenda(cast["ars_na"], session, second.pk)
    assert str(closed.value) == services.CLOSED


def test_nothing_is_applied_when_one_project_cannot_move(cast, filed, second, session):
    first = services.add_to_agenda(cast["ars_na"], session, filed.pk)
    other = services.add_to_agenda(cast["ars_na"], session, second.pk)
    services.convene(cast["ars_na"], session)
    services.record_decision(cast["ars_na"], session, other.pk, Stage.VALIDE, "Équipe complète")
    services.record_decision(cast["ars_na"], session, first.pk, Stage.A_REVOIR, "À compléter")
    move(cast["vienne"], filed, Stage.SUSPENDU, "Le porteur suspend le projet")  # after the decision was recorded
    with pytest.raises(ValueError) as refused:
        services.apply_decisions(cast["ars_na"], session, today=SESSION_DAY)
    assert str(refused.value).startswith(services.APPLY_REFUSED.split("«")[0])
    assert filed.nom in str(refused.value)
    assert stage(second) == Stage.COMITE  # the other decision was not applied either
    session.refresh_from_db()
    assert session.status == SessionStatus.CONVOQUEE


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin", True),
        ("ars_na", True),
        ("cpam_na", True),
        ("vienne", True),
        ("charente_maritime", False),
        ("ars_occitanie", False),
        ("lussac", False),
        ("medecin", False),
    ],
)
def test_who_sees_the_session(cast, filed, session, who, sees):
    services.add_to_agenda(cast["ars_na"], session, filed.pk)
    assert services.visible_sessions(cast[who]).filter(pk=session.pk).exists() == sees


def test_partners_see_the_sessions_they_sit_in(cast, session, urps, prefecture):
    from oasis.accounts.enums import Role
    from tests.projects.conftest import make_user

    other_urps = make_user("urps2@na.test", Role.URPS, region_id="75")
    assert services.visible_sessions(urps).filter(pk=session.pk).exists()
    assert not services.visible_sessions(other_urps).filter(pk=session.pk).exists()
    assert services.visible_sessions(prefecture).filter(pk=session.pk).exists()


def decided(cast, filed, session):  # type: ignore[no-untyped-def]
    item = services.add_to_agenda(cast["ars_na"], session, filed.pk)
    services.convene(cast["ars_na"], session)
    services.record_decision(cast["ars_na"], session, item.pk, Stage.A_REVOIR, "Équipe à compléter")
    return session


def test_decisions_are_not_applied_before_the_day_of_the_session(cast, filed, session):
    decided(cast, filed, session)
    for today in (date(2026, 12, 7), SESSION_DAY - timedelta(days=1)):
        with pytest.raises(ValueError) as early:
            services.apply_decisions(cast["ars_na"], session, today=today)
        assert str(early.value) == services.BEFORE_SESSION.format(date="12 mai 2027")
    assert stage(filed) == Stage.COMITE
    session.refresh_from_db()
    assert session.status == SessionStatus.CONVOQUEE and session.applied_at is None


@pytest.mark.parametrize("today", [SESSION_DAY, SESSION_DAY + timedelta(days=1), date(2027, 9, 1)])
def test_decisions_are_applied_on_the_day_of_the_session_or_after(cast, filed, session, today):
    decided(cast, filed, session)
    assert services.apply_decisions(cast["ars_na"], session, today=today) == 1
    assert stage(filed) == Stage.A_REVOIR


def test_the_ars_moves_the_session_audited_and_the_convened_members_told(cast, filed, session):
    decided(cast, filed, session)
    earlier = date(2027, 3, 16)
    services.reschedule(cast["ars_na"], session, earlier)
    assert Session.objects.get(pk=session.pk).date == earlier
    event = AuditEvent.objects.get(action="comite.date")
    assert event.user == cast["ars_na"] and event.details == {"avant": "2027-05-12", "apres": "2027-03-16"}
    told = Notification.objects.filter(event=Event.SEANCE, title__contains="déplacé au 16 mars 2027")
    assert set(told.values_list("recipient__email", flat=True)) == {
        "cpam@na.test",
        "pref@vienne.test",
        "urps@na.test",
        "cm@vienne.test",
    }
    with pytest.raises(ValueError) as early:  # the new date holds: not before 16 March
        services.apply_decisions(cast["ars_na"], session, today=earlier - timedelta(days=1))
    assert str(early.value) == services.BEFORE_SESSION.format(date="16 mars 2027")
    assert services.apply_decisions(cast["ars_na"], session, today=earlier) == 1
    with pytest.raises(ValueError) as closed:  # a held session keeps its date
        services.reschedule(cast["ars_na"], session, SESSION_DAY)
    assert str(closed.value) == services.CLOSED


def test_only_the_regions_ars_moves_a_session_and_to_another_day(cast, session):
    with pytest.raises(NotAllowed):
        services.reschedule(cast["vienne"], session, date(2027, 6, 1))
    with pytest.raises(NotAllowed):
        services.reschedule(cast["ars_occitanie"], session, date(2027, 6, 1))
    with pytest.raises(ValueError) as same:
        services.reschedule(cast["ars_na"], session, SESSION_DAY)
    assert str(same.value) == services.SAME_DATE.format(date="12 mai 2027")
    assert not AuditEvent.objects.filter(action="comite.date").exists()
