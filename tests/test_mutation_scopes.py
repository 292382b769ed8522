"""`make mutation` (scripts/mutation.py): every scope names modules and tests that exist, and the configuration it
writes for mutmut keeps the checkout's pytest settings with the scope's own [tool.mutmut]."""

import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("mutation", ROOT / "scripts" / "mutation.py")
assert spec is not None and spec.loader is not None
mutation = importlib.util.module_from_spec(spec)
sys.modules["mutation"] = mutation  # dataclasses look their module up by name
spec.loader.exec_module(mutation)


@pytest.mark.parametrize("name", list(mutation.SCOPES))
def test_each_scope_names_what_exists(name):
    scope = mutation.SCOPES[name]
    for pattern in scope.modules:
        assert list(ROOT.glob(pattern)), f"{name} : aucun module ne répond à {pattern}"
    for tests in scope.tests:  # a folder, or the few test files that exercise the module
        assert (ROOT / tests).is_dir() or (ROOT / tests).is_file(), f"{name} : tests {tests} absents"
        assert tests.startswith("tests/")


@pytest.mark.parametrize(("name", "reuses_the_database"), [("core", False), ("financement", True)])
def test_the_configuration_written_for_a_scope(name, reuses_the_database):
    scope = mutation.SCOPES[name]
    written = tomllib.loads(mutation.configuration(scope))
    checkout = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert written["tool"]["pytest"] == checkout["tool"]["pytest"]
    assert written["project"] == checkout["project"]
    section = written["tool"]["mutmut"]
    assert section["only_mutate"] == list(scope.modules)
    assert section["pytest_add_cli_args_test_selection"] == list(scope.tests)
    assert ("--reuse-db" in section["pytest_add_cli_args"]) is reuses_the_database
    assert "mutmut" not in checkout["tool"]  # one source for the scopes: the script


def test_an_unknown_scope_is_refused_by_name(capsys):
    with pytest.raises(SystemExit) as raised:
        mutation.main(["financement", "astrologie"])
    assert raised.value.code == 2
    assert "portée inconnue : astrologie" in capsys.readouterr().err
