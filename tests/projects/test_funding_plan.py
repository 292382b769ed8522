"""The funding plan's totals and warnings, each at, just below and just above its limit (the operation's cost, a
tool's maximum amount and rate), the lines refused and why, and every change kept by the audit with its before."""

from datetime import date
from decimal import Decimal

import pytest

from oasis.audit.models import AuditEvent
from oasis.projects import funding
from oasis.projects.models import FundingLine, FundingTool, Project
from oasis.projects.services import NotAllowed
from tests.projects.conftest import cast, project  # noqa: F401

CENT = Decimal("0.01")
# The editor's rights, the line read with its tool (one query, not two), the audit, the delete.
QUERIES_TO_REMOVE_A_LINE = 6
DAY = date(2026, 6, 1)


@pytest.fixture
def tools(db):  # type: ignore[no-untyped-def]
    """Tools of known limits: public investment aid capped at 30,000 € and 40 %, private money, running money."""
    return {
        "plafonne": FundingTool.objects.create(
            code="plafonne", nom="Aide plafonnée", nature="investissement", montant_max=Decimal("30000"), taux_max=40
        ),
        "prive": FundingTool.objects.create(code="prive", nom="Emprunt", nature="investissement", public=False),
        "fonctionnement": FundingTool.objects.create(code="fonct", nom="Fonctionnement", nature="fonctionnement"),
    }


def add(user, project, tool, demande, accorde=None, verse=None):  # noqa: F811
    entry = funding.LineEntry(
        tool=tool,
        demande=Decimal(demande),
        accorde=None if accorde is None else Decimal(accorde),
        accorde_le=None if accorde is None else DAY,
        verse=None if verse is None else Decimal(verse),
        verse_le=None if verse is None else DAY,
    )
    return funding.save_line(user, project, entry)


def test_totals_count_the_operation_and_keep_running_money_apart(cast, project, tools):  # noqa: F811
    officer = cast["vienne"]
    funding.set_cost(officer, project, Decimal("100000"))
    add(officer, project, "plafonne", "30000", accorde="25000", verse="10000")
    add(officer, project, "prive", "50000", accorde="50000")
    add(officer, project, "fonct", "7000", accorde="7000", verse="7000")
    plan = funding.summarise(project)
    assert (plan.cost, plan.requested, plan.granted, plan.paid) == (
        Decimal("100000"),
        Decimal("80000"),
        Decimal("75000"),
        Decimal("10000"),
    )
    assert (plan.public_requested, plan.public_granted) == (Decimal("30000"), Decimal("25000"))
    assert plan.operating_requested == Decimal("7000")
    assert plan.remaining == Decimal("20000")
    assert (plan.public_share_requested, plan.public_share_granted) == (0.3, 0.25)
    assert plan.cap_percent == 80 and not plan.cap_exceeded
    assert plan.messages == []


def test_without_a_cost_nothing_can_be_checked_against_it(cast, project, tools):  # noqa: F811
    add(cast["vienne"], project, "plafonne", "50000")
    plan = funding.summarise(project)
    assert plan.cost is None and plan.remaining is None
    assert plan.public_share_requested is None and plan.public_share_granted is None
    assert not plan.cap_exceeded
    assert plan.messages == [
        "Coût de l'opération non renseigné : plafond d'aides publiques non vérifiable.",
        "Aide plafonnée : montant supérieur au maximum de 30\u202f000 €.",
    ]


def test_the_cap_applies_to_the_larger_of_requested_and_granted(cast, project, tools, settings):  # noqa: F811
    settings.OASIS_PUBLIC_AID_CAP_PERCENT = 20
    funding.set_cost(cast["vienne"], project, Decimal("100000"))
    add(cast["vienne"], project, "plafonne", "20000", accorde="20000.01")
    plan = funding.summarise(project)
    assert plan.cap_exceeded
    assert plan.messages[0] == "Les aides publiques (20 % du coût) dépassent le plafond de 20 %."


def test_the_share_over_the_cap_is_said_in_percent(cast, project, tools):  # noqa: F811
    funding.set_cost(cast["vienne"], project, Decimal("100000"))
    add(cast["vienne"], project, "plafonne", "25000")
    add(cast["vienne"], project, "region", "60000")  # the seeded catalogue's Région: public investment aid
    assert funding.summarise(project).messages == ["Les aides publiques (85 % du coût) dépassent le plafond de 80 %."]


def test_an_empty_plan_sums_to_zero_euros(cast, project, tools):  # noqa: F811
    funding.set_cost(cast["vienne"], project, Decimal("1000"))
    plan = funding.summarise(project)
    totals = (plan.requested, plan.granted, plan.paid, plan.public_requested, plan.public_granted)
    assert totals == (Decimal(0),) * 5 and all(type(total) is Decimal for total in totals)
    assert plan.remaining == Decimal("1000") and plan.public_share_requested == 0.0


def test_the_lines_given_are_summed_rather_than_read_again(cast, project, tools):  # noqa: F811
    funding.set_cost(cast["vienne"], project, Decimal("1000"))
    add(cast["vienne"], project, "prive", "600")
    assert funding.summarise(project, lines=[]).requested == Decimal(0)
    assert funding.summarise(project).requested == Decimal(600)


@pytest.mark.parametrize(("over", "warned"), [(-CENT, False), (Decimal(0), False), (CENT, True)])
def test_requests_beyond_the_cost(cast, project, tools, over, warned):  # noqa: F811
    funding.set_cost(cast["vienne"], project, Decimal("100000"))
    add(cast["vienne"], project, "prive", str(Decimal("100000") + over))
    plan = funding.summarise(project)
    assert ("Les financements demandés dépassent le coût de l'opération." in plan.messages) is warned
    assert plan.remaining == -over


@pytest.mark.parametrize(("over", "warned"), [(-CENT, False), (Decimal(0), False), (CENT, True)])
def test_a_tool_s_maximum_amount(cast, project, tools, over, warned):  # noqa: F811
    funding.set_cost(cast["vienne"], project, Decimal("1000000"))
    add(cast["vienne"], project, "plafonne", str(Decimal("30000") + over))
    message = "Aide plafonnée : montant supérieur au maximum de 30\u202f000 €."
    assert (message in funding.summarise(project).messages) is warned


@pytest.mark.parametrize(("over", "warned"), [(-CENT, False), (Decimal(0), False), (CENT, True)])
def test_a_tool_s_maximum_rate_of_the_cost(cast, project, tools, over, warned):  # noqa: F811
    funding.set_cost(cast["vienne"], project, Decimal("50000"))  # 40 % of 50,000 € = 20,000 €, under the 30,000 € max
    add(cast["vienne"], project, "plafonne", str(Decimal("20000") + over))
    assert ("Aide plafonnée : montant supérieur à 40 % du coût." in funding.summarise(project).messages) is warned


def test_the_granted_amount_is_checked_rather_than_the_request(cast, project, tools):  # noqa: F811
    funding.set_cost(cast["vienne"], project, Decimal("1000000"))
    add(cast["vienne"], project, "plafonne", "40000", accorde="30000")
    assert not any("maximum" in message for message in funding.summarise(project).messages)


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ({"demande": "10", "verse": "10.01"}, funding.PAID_OVER_GRANTED),
        ({"demande": "10", "accorde": "8", "verse": "8.01"}, funding.PAID_OVER_GRANTED),
        ({"demande": "10", "accorde": "-1"}, funding.NEGATIVE_AMOUNT),
        ({"demande": "10", "accorde": "5", "verse": "-1"}, funding.NEGATIVE_AMOUNT),
    ],
)
def test_lines_refused(cast, project, tools, amounts, message):  # noqa: F811
    with pytest.raises(ValueError) as raised:
        add(cast["vienne"], project, "prive", **amounts)
    assert str(raised.value) == message
    assert not FundingLine.objects.exists()


def test_lines_at_their_limits_are_accepted(cast, project, tools):  # noqa: F811
    add(cast["vienne"], project, "prive", "10", verse="10")  # paid all that was asked, not yet granted
    add(cast["vienne"], project, "prive", "10", accorde="8", verse="8")
    add(cast["vienne"], project, "prive", "0", accorde="0", verse="0")
    assert FundingLine.objects.count() == 3


def test_a_payment_needs_its_date(cast, project, tools):  # noqa: F811
    entry = funding.LineEntry(tool="prive", demande=Decimal(10), verse=Decimal(5))
    with pytest.raises(ValueError) as raised:
        funding.save_line(cast["vienne"], project, entry)
    assert str(raised.value) == funding.PAYMENT_DATE_MISSING


def test_a_line_is_changed_then_removed_and_the_audit_keeps_each_state(cast, project, tools):  # noqa: F811
    officer = cast["vienne"]
    line = add(officer, project, "plafonne", "1000")
    changed = funding.save_line(
        officer, project, funding.LineEntry(tool="prive", objet="Emprunt bancaire", demande=Decimal(900)), line.pk
    )
    assert changed.pk == line.pk
    assert (changed.tool.code, changed.objet, changed.demande) == ("prive", "Emprunt bancaire", Decimal(900))
    funding.remove_line(officer, project, line.pk)
    assert not FundingLine.objects.exists()
    created, edited, removed = AuditEvent.objects.filter(action__startswith="projet.financement").order_by("pk")
    state = {"outil": "plafonne", "demande": "1000.00", "accorde": None, "verse": None, "dates": [None, None, None]}
    assert created.details == {"ligne": line.pk, "avant": None, "apres": state}
    assert edited.details["avant"] == state and edited.details["apres"]["outil"] == "prive"
    assert removed.action == "projet.financement.suppression"
    assert removed.details == {"ligne": line.pk, "avant": {**state, "outil": "prive", "demande": "900.00"}}
    assert {event.user for event in (created, edited, removed)} == {officer}


def test_the_audit_keeps_every_amount_and_date(cast, project, tools):  # noqa: F811
    entry = funding.LineEntry(
        tool="prive",
        demande=Decimal("10"),
        demande_le=date(2026, 1, 5),
        accorde=Decimal("9.5"),
        accorde_le=date(2026, 2, 6),
        verse=Decimal("4"),
        verse_le=date(2026, 3, 7),
    )
    funding.save_line(cast["vienne"], project, entry)
    assert AuditEvent.objects.get(action="projet.financement").details["apres"] == {
        "outil": "prive",
        "demande": "10.00",
        "accorde": "9.50",
        "verse": "4.00",
        "dates": ["2026-01-05", "2026-02-06", "2026-03-07"],
    }


def test_the_tools_a_project_may_mobilise_come_first(project):  # noqa: F811
    facts, rows = funding.mobilisable_tools(project)
    flags = [row.eligible for row in rows]
    assert True in flags and False in flags
    assert flags == sorted(flags, reverse=True)
    assert facts.zonage.sous_dense is facts.sous_dense is None  # Lussac: the vivier, where the ARS decides
    assert facts.zonage.source == "apl-drees"


def test_removing_a_line_reads_it_with_its_tool_at_once(cast, project, tools, django_assert_num_queries):  # noqa: F811
    line = add(cast["vienne"], project, "plafonne", "1000")
    with django_assert_num_queries(QUERIES_TO_REMOVE_A_LINE):
        funding.remove_line(cast["vienne"], project, line.pk)


def test_an_unknown_line_is_refused(cast, project, tools):  # noqa: F811
    entry = funding.LineEntry(tool="prive", demande=Decimal(1))
    for attempt in (lambda: funding.save_line(cast["vienne"], project, entry, 999_999),
                    lambda: funding.remove_line(cast["vienne"], project, 999_999)):  # fmt: skip
        with pytest.raises(ValueError) as raised:
            attempt()
        assert str(raised.value) == funding.LINE_NOT_FOUND


def test_the_cost_is_audited_and_never_negative(cast, project):  # noqa: F811
    funding.set_cost(cast["vienne"], project, Decimal("1000"))
    funding.set_cost(cast["vienne"], project, None)
    with pytest.raises(ValueError) as raised:
        funding.set_cost(cast["vienne"], project, Decimal("-0.01"))
    assert str(raised.value) == funding.NEGATIVE_COST
    funding.set_cost(cast["vienne"], project, Decimal("0"))
    project.refresh_from_db()
    assert project.cout_total == Decimal("0")
    events = AuditEvent.objects.filter(action="projet.cout").order_by("pk")
    assert {event.user for event in events} == {cast["vienne"]}
    assert [event.details for event in events] == [
        {"avant": None, "apres": "1000.00"},
        {"avant": "1000.00", "apres": None},
        {"avant": None, "apres": "0.00"},
    ]


def test_only_editors_change_the_plan(cast, project, tools):  # noqa: F811
    for reader in ("cpam_na", "lussac", "charente_maritime"):
        with pytest.raises(NotAllowed):
            add(cast[reader], project, "prive", "1")
        with pytest.raises(NotAllowed):
            funding.set_cost(cast[reader], project, Decimal(1))
    line = add(cast["vienne"], project, "prive", "1")
    with pytest.raises(NotAllowed):
        funding.remove_line(cast["cpam_na"], project, line.pk)
    assert FundingLine.objects.count() == 1


def test_the_cost_keeps_a_rename_made_meanwhile(cast, project):  # noqa: F811
    Project.objects.filter(pk=project.pk).update(nom="MSP du Lussacois")  # renamed on another page
    funding.set_cost(cast["vienne"], project, Decimal("900000"))
    stored = Project.objects.get(pk=project.pk)
    assert (stored.nom, stored.cout_total) == ("MSP du Lussacois", Decimal("900000"))
