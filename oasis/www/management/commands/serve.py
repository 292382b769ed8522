"""``oasis serve``: serve the application with a production WSGI server (waitress), and its job worker."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _stop_with_parent() -> None:
    """In the worker, before it starts: receive SIGTERM if ``oasis serve`` dies, even killed (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Command(BaseCommand):
    help = "Sert l'application OASIS (serveur WSGI waitress)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--sans-worker",
            action="store_true",
            help="ne pas lancer le worker des calculs en arrière-plan (quand « oasis worker » tourne à part)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from oasis.wsgi import application

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("La base n'est pas à jour : lancez « oasis migrate » puis « oasis data load ».")
        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"OASIS est servi sur http://{shown}:{port}/ (Ctrl+C pour arrêter)", ending="\n")
        self.stdout.flush()
        worker = None
        if not options["sans_worker"]:
            worker = subprocess.Popen(
                [sys.executable, "-m", "oasis.cli", "worker", "--verbosity", "0"], preexec_fn=_stop_with_parent
            )
            self.stdout.write(f"Les calculs en arrière-plan sont exécutés par un worker (processus {worker.pid}).")
            self.stdout.flush()
        # SIGTERM (systemd, docker stop) ends the server cleanly, and its worker with it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            serve(
                application,
                host=host,
                port=port,
                threads=options["threads"],
                ident="oasis",
                # Behind trusted proxies, OASIS reads the client's address in X-Forwarded-For itself
                # (oasis.accounts.addresses): waitress would otherwise remove the header, and every visitor would
                # count as the proxy (login lockout, job and heavy-page limits).
                clear_untrusted_proxy_headers=settings.OASIS_TRUSTED_PROXIES == 0,
            )
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
