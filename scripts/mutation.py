"""Mutation testing by scope: `python scripts/mutation.py [SCOPE ...]` (`make mutation`, `make mutation SCOPES=...`).

Each scope is a set of modules that carry rules users rely on and the test folders that guard them. It runs in its
own folder, var/mutation/SCOPE/, with its own mutmut configuration (mutmut reads pyproject.toml from the current
folder), so that one scope's results never invalidate another's. Django-side scopes keep their test database in a
file reused by every mutant (`--reuse-db`, OASIS_SQLITE_TEST_PATH): a mutant then pays a connection, not the national
data's load. They run one mutant at a time, since two would lock the same SQLite file.

Each run starts afresh (the tests may have changed since); `--reprendre` goes on with an interrupted one, and
`--survivants` runs the last run's survivors again (after tests were written for them), `--seulement MOTIF…` the
mutants whose names match (a function's first: `oasis.verdicts.services.x__from_drees*`).
To look at a survivor: `cd var/mutation/SCOPE && ../../../.venv/bin/mutmut show NAME`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"


@dataclass(frozen=True)
class Scope:
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    django: bool = True
    timeout_multiplier: float = 5.0


SCOPES = {
    # The pure core's suite runs in about two seconds: a mutant still running after six is stuck (a solver, a loop).
    "core": Scope(("oasis/core/*",), ("tests/core",), django=False, timeout_multiplier=3.0),
    "financement": Scope(("oasis/projects/funding.py", "oasis/projects/conformity.py"), ("tests/projects",)),
    "etapes": Scope(("oasis/projects/stages.py",), ("tests/projects",)),
    # Team, comments, partners, actions, guests, and the creation of a project, which every project test goes through.
    "accompagnement": Scope(("oasis/projects/services.py",), ("tests/projects",)),
    "droits": Scope(("oasis/projects/perms.py", "oasis/recruitment/perms.py"), ("tests/projects", "tests/recruitment")),
    "recrutement": Scope(
        (
            "oasis/recruitment/common.py",
            "oasis/recruitment/candidates.py",
            "oasis/recruitment/agreements.py",
            "oasis/recruitment/schemes.py",
            "oasis/recruitment/vacancies.py",
            "oasis/recruitment/placements.py",
            "oasis/recruitment/campaigns.py",
            "oasis/recruitment/matching.py",
        ),
        ("tests/recruitment",),
    ),
    "diagnostic": Scope(("oasis/diagnostics/services.py",), ("tests/diagnostics",)),
    "implantation": Scope(("oasis/planning/services.py",), ("tests/planning",)),
    "simulation": Scope(("oasis/accessibility/whatif.py",), ("tests/accessibility",)),
    "references": Scope(("oasis/references/importers/*", "oasis/references/agreement.py"), ("tests/references",)),
    # The verdict « sous-dense » that aids and pages follow: ARS order, official APL with the national rule, estimate.
    # The scopes below run against the few test files that exercise their module, so that each stays within minutes.
    "verdicts": Scope(("oasis/verdicts/services.py", "oasis/core/zoning.py"), ("tests/verdicts", "tests/core/test_zoning.py")),
    # The zoning orders' import and their history: a newer order replaces its région's and profession's rows.
    "zonage": Scope(
        ("oasis/references/importers/zonage.py",),
        ("tests/references/test_import_zonage.py", "tests/references/test_zoning_history.py"),
    ),
    # The DREES APL vintages: the workbook's import, and the services that choose the newest vintage.
    "millesimes": Scope(
        ("oasis/references/importers/drees_apl.py", "oasis/references/services.py"),
        (
            "tests/references/test_import_drees_apl.py",
            "tests/references/test_drees_apl_reading.py",
            "tests/references/test_official_display.py",
            "tests/references/test_drees_vintages.py",
        ),
    ),
    # The public portal: its signed links (confirmation, unsubscription) and its limits (per address, per e-mail, expiry).
    "portail": Scope(
        ("oasis/recruitment/portal.py",),
        ("tests/recruitment/test_portal.py", "tests/recruitment/test_portal_links_and_limits.py"),
    ),
    "sauvegardes": Scope(("oasis/backups/services.py",), ("tests/backups",)),
}

MUTMUT_SECTION = re.compile(r"^\[tool\.mutmut\]\n(?:(?!^\[).*\n)*", re.MULTILINE)


def configuration(scope: Scope) -> str:
    """The checkout's pyproject.toml with this scope's [tool.mutmut] section."""
    # Transactional tests are left out: each flushes the national data, which the next mutant would reload (30 s).
    # They check the job queue and the live server, not the rules of these modules.
    pytest_args = ["-p", "no:cacheprovider", "-m", "not browser and not slow and not transactional", "-q"]
    if scope.django:
        pytest_args.append("--reuse-db")
    section = "\n".join(
        [
            "[tool.mutmut]",
            'source_paths = ["oasis"]',
            f"only_mutate = {json.dumps(list(scope.modules))}",
            f"pytest_add_cli_args = {json.dumps(pytest_args)}",
            f"pytest_add_cli_args_test_selection = {json.dumps(list(scope.tests))}",
            f"timeout_multiplier = {scope.timeout_multiplier}",
            # Tests read the documented templates (docs/zonage_modele.csv); mutmut copies only what it is told.
            'also_copy = ["docs"]',
            "",
        ]
    )
    text = MUTMUT_SECTION.sub("", (ROOT / "pyproject.toml").read_text())
    return text.rstrip("\n") + "\n\n" + section


def prepare(name: str, scope: Scope) -> Path:
    """The scope's folder: its configuration, and the code and tests of the checkout (linked, not copied)."""
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(configuration(scope))
    for linked in ("oasis", "tests", "docs"):
        link = folder / linked
        if not link.is_symlink():
            link.symlink_to(ROOT / linked, target_is_directory=True)
    return folder


def survivors(folder: Path, environment: dict[str, str], mutmut: str) -> list[str]:
    """The mutants of the scope's last run that survived (``mutmut results``)."""
    listing = subprocess.run([mutmut, "results"], cwd=folder, env=environment, capture_output=True, text=True, check=True)
    return [line.split(":")[0].strip() for line in listing.stdout.splitlines() if line.strip().endswith(": survived")]


def run(name: str, scope: Scope, *, resume: bool = False, survived: bool = False, only: tuple[str, ...] = ()) -> None:
    folder = prepare(name, scope)
    if not (resume or survived or only):
        shutil.rmtree(folder / "mutants", ignore_errors=True)
    environment = dict(os.environ, OASIS_HOME=str(folder / "home"))
    if scope.django:
        environment["OASIS_SQLITE_TEST_PATH"] = str(folder / "test.sqlite3")
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    names = survivors(folder, environment, mutmut) if survived else list(only)
    if survived and not names:
        print(f"== {name} : aucun survivant à reprendre", flush=True)
        return
    command = [mutmut, "run", *(["--max-children", "1"] if scope.django else []), *names]
    print(f"== {name} : {', '.join(scope.modules)} ← {', '.join(scope.tests)}", flush=True)
    subprocess.run(command, cwd=folder, env=environment, check=False)
    report = ROOT / "scripts" / "mutation_report.py"
    subprocess.run([sys.executable, str(report)], cwd=folder, env=environment, check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scopes", nargs="*", metavar="SCOPE", help=f"among {', '.join(SCOPES)}; all when none is given")
    parser.add_argument("--reprendre", action="store_true", help="keep the results of the last run; test what is left")
    parser.add_argument(
        "--survivants", action="store_true", help="keep the results of the last run; test its survivors again (new tests)"
    )
    parser.add_argument(
        "--seulement",
        nargs="+",
        default=(),
        metavar="MOTIF",
        help="keep the results of the last run; test only the mutants matching these patterns "
        "(oasis.verdicts.services.x__from_drees*)",
    )
    arguments = parser.parse_args(argv)
    unknown = sorted(set(arguments.scopes) - set(SCOPES))
    if unknown:
        parser.error(f"portée inconnue : {', '.join(unknown)} (portées : {', '.join(SCOPES)})")
    for name in arguments.scopes or SCOPES:
        run(name, SCOPES[name], resume=arguments.reprendre, survived=arguments.survivants, only=tuple(arguments.seulement))


if __name__ == "__main__":
    main()
