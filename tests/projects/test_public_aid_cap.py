"""The cap on cumulated public aid, at, just below and just above its value, for caps floats get wrong."""

from decimal import Decimal

import pytest

from oasis.projects import funding
from tests.projects.conftest import cast, project  # noqa: F401
from tests.projects.test_accompaniment import line


@pytest.mark.parametrize("cap", [7, 14, 28, 55, 56, 80])
@pytest.mark.parametrize(("cents_over", "exceeded"), [(-1, False), (0, False), (1, True)])
def test_a_plan_exactly_at_the_cap_does_not_exceed_it(cast, project, settings, cap, cents_over, exceeded):  # noqa: F811
    settings.OASIS_PUBLIC_AID_CAP_PERCENT = cap
    funding.set_cost(cast["vienne"], project, Decimal("100"))
    amount = Decimal(cap) + Decimal(cents_over) / 100  # cap % of 100 €, plus or minus one cent
    funding.save_line(cast["vienne"], project, line("departement", str(amount)))
    plan = funding.summarise(project)
    assert plan.public_requested == amount
    assert plan.cap_exceeded is exceeded
    assert any(f"plafond de {cap} %" in message for message in plan.messages) is exceeded
