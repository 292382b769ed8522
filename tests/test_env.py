"""Settings read from the environment fail loudly on a bad value, naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from oasis.env import env_int_list


def test_a_list_of_numbers(monkeypatch):
    monkeypatch.setenv("OASIS_DS_DEMARCHES", "1234, 5678")
    assert env_int_list("OASIS_DS_DEMARCHES", "") == [1234, 5678]
    monkeypatch.setenv("OASIS_DS_DEMARCHES", "")
    assert env_int_list("OASIS_DS_DEMARCHES", "") == []
    monkeypatch.setenv("OASIS_DS_DEMARCHES", "1234,douze")
    with pytest.raises(ImproperlyConfigured, match="OASIS_DS_DEMARCHES='1234,douze'"):
        env_int_list("OASIS_DS_DEMARCHES", "")
