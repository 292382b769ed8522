"""The production deployment as documented: systemd units systemd accepts, commands OASIS knows, settings documented,
and gunicorn from deploy/gunicorn.conf.py holding a locust load of the main mix without an error."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from oasis.cli import translate
from oasis.testing import BEHIND_A_PROXY, gunicorn_server, run_locust

ROOT = Path(__file__).resolve().parent.parent
UNITS = sorted((ROOT / "deploy" / "systemd").glob("oasis-*"))
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text()


def test_systemd_accepts_every_unit(tmp_path):
    # The units name /opt/oasis: point them at this checkout so that systemd can check the executables too.
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/oasis", str(ROOT)))
    result = subprocess.run(
        [shutil.which("systemd-analyze") or "systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert {u.name for u in UNITS} >= {"oasis-web.service", "oasis-worker.service", "oasis-sauvegarde.timer"}


def _oasis_commands():
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart=/opt/oasis/.venv/bin/oasis "):
                yield unit.name, shlex.split(line.split("/bin/oasis ", 1)[1])


@pytest.mark.parametrize(("unit", "argv"), list(_oasis_commands()))
def test_every_oasis_command_of_the_units_exists_with_these_options(unit, argv):
    name, *arguments = translate(argv)
    assert name in get_commands(), f"{unit} : commande inconnue {name}"
    parser = load_command_class(get_commands()[name], name).create_parser("oasis", name)
    parser.parse_args(arguments)  # SystemExit (test error) on an unknown option


def test_every_setting_a_deployment_sets_is_documented():
    used = set(re.findall(r"^(OASIS_[A-Z_]+)=", (ROOT / "deploy" / "oasis.env").read_text(), re.MULTILINE))
    used |= set(re.findall(r'"(OASIS_[A-Z_]+)"', (ROOT / "deploy" / "gunicorn.conf.py").read_text()))
    used |= set(re.findall(r'env_[a-z]+\("(OASIS_[A-Z_]+)"', (ROOT / "oasis" / "settings.py").read_text()))
    undocumented = sorted(name for name in used if f"`{name}`" not in CONFIGURATION)
    assert not undocumented


@pytest.fixture(scope="module")
def loaded_home(tmp_path_factory):
    """A fresh installation as a user makes one: migrate, then load the national bundle."""
    home = tmp_path_factory.mktemp("oasis-production")
    # Without oasis precalculer (CI's time): the first visitors compute, which is what this test asks to hold.
    environment = {"OASIS_HOME": str(home), "PATH": "/usr/bin:/bin", "OASIS_PRECALCULS_DIR": ""}
    oasis = [sys.executable, "-m", "oasis.cli"]
    subprocess.run([*oasis, "migrate", "--verbosity", "0"], env=environment, check=True, timeout=300)
    subprocess.run([*oasis, "data", "load"], env=environment, check=True, timeout=600, capture_output=True)
    return environment


@pytest.mark.slow
def test_gunicorn_holds_the_main_mix_without_an_error(loaded_home, tmp_path):
    # Cold start: the first visitors compute and store the APL runs concurrently (two requests, one run). How fast
    # is bench/load.py's business; here every user must get its answers, however slow the machine, and none fail:
    # each request under way when the run ends is let finish, so each of the 10 users has made one at least.
    with gunicorn_server(ROOT, loaded_home | BEHIND_A_PROXY, workers=2) as url:
        result = run_locust(url, ROOT / "bench" / "locustfile.py", users=10, seconds=20, workdir=tmp_path, stop_timeout=120)
    assert result.requests >= 10
    assert result.failures == 0, result.errors
