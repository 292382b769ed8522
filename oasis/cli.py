"""The ``oasis`` command: a thin front over Django management commands.

``oasis data build|load|import|update …``, ``oasis aides synchroniser``, ``oasis demarches synchroniser``,
``oasis apl …`` and ``oasis serve …`` map to the management commands ``build_bundle``, ``load_bundle``,
``import_reference``, ``update_references``, ``sync_aides``, ``sync_demarches``, ``compute_apl`` and
``serve``; any other word is a
Django management command (``oasis migrate``, ``oasis createsuperuser``…).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    ("data", "build"): "build_bundle",
    ("data", "load"): "load_bundle",
    ("data", "import"): "import_reference",
    ("data", "update"): "update_references",
    ("aides", "synchroniser"): "sync_aides",
    ("demarches", "synchroniser"): "sync_demarches",
}
# Commands after which ``oasis precalculer`` runs (unless OASIS_PRECALCULS_DIR is empty).
PRECOMPUTE_AFTER = ("load_bundle", "import_reference", "update_references", "import_practitioners")
SINGLE_ALIASES = {"apl": "compute_apl", "scenario": "simulate_apl"}  # oasis diagnostic is its own name


def translate(argv: list[str]) -> list[str]:
    """Turn ``oasis`` arguments into Django management arguments."""
    if len(argv) >= 2 and (argv[0], argv[1]) in ALIASES:
        return [ALIASES[(argv[0], argv[1])], *argv[2:]]
    if argv and argv[0] in SINGLE_ALIASES:
        return [SINGLE_ALIASES[argv[0]], *argv[1:]]
    if argv[:1] == ["data"]:
        return ["help", "load_bundle"] if len(argv) == 1 else ["__inconnu__data_" + argv[1]]
    return argv or ["help"]


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oasis.settings")
    # The database, the documents, the backups and the secret key are readable by OASIS's own account only.
    os.umask(0o077)
    from django.core.management import execute_from_command_line

    arguments = translate(list(sys.argv[1:] if argv is None else argv))
    execute_from_command_line(["oasis", *arguments])
    if arguments[:1] and arguments[0] in PRECOMPUTE_AFTER and "--dry-run" not in arguments:
        # New data: what pages and API show is computed now, not by their first visitors (oasis precalculer).
        from django.conf import settings

        if settings.OASIS_PRECALCULS_DIR is not None:
            quiet = [argument for argument in arguments if argument in ("-v0", "--verbosity=0")]
            if "--verbosity" in arguments and arguments[arguments.index("--verbosity") + 1 :][:1] == ["0"]:
                quiet = ["--verbosity", "0"]
            execute_from_command_line(["oasis", "precalculer", *quiet])


if __name__ == "__main__":
    main()
