"""``oasis scenario`` (simulate_apl): scenarios stored under their names and compared; unknown scenarios and
malformed changes refused."""

import io

import pytest
from django.core.management import CommandError, call_command

from oasis.accessibility.models import Scenario
from oasis.cli import translate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("national")]


def test_oasis_scenario_is_simulate_apl():
    assert translate(["scenario", "--comparer", "1", "2"]) == ["simulate_apl", "--comparer", "1", "2"]


def test_scenarios_are_stored_and_compared():
    out = io.StringIO()
    call_command("simulate_apl", profession="generaliste", nom="A", structure=["86140:3"], stdout=out)
    call_command("simulate_apl", profession="generaliste", nom="B", ajout=["86070:2"], retrait=["86194:1"], stdout=out)
    first, second = Scenario.objects.order_by("pk")
    table = io.StringIO()
    call_command("simulate_apl", comparer=[first.pk, second.pk], stdout=table)
    assert "habitants sortant de la sous-densité" in table.getvalue()
    with pytest.raises(CommandError, match="inconnu"):
        call_command("simulate_apl", comparer=[999_999], stdout=io.StringIO())
    with pytest.raises(CommandError, match="CODE_INSEE:NOMBRE"):
        call_command("simulate_apl", profession="generaliste", nom="C", ajout=["86070"], stdout=io.StringIO())
