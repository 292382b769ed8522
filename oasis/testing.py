"""Helpers shared by the test suite and the benchmarks (no Django import at module level)."""

from __future__ import annotations

import os
import shutil
from typing import Any

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless Chromium on a closed network: no background connections, no sandbox (root in CI)."""


def chromium_path() -> str:
    """Debian's Chromium (``OASIS_CHROMIUM`` overrides)."""
    return os.environ.get("OASIS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def job_worker(*, batch: bool, interval: float = 0.2) -> Any:
    """The database queue's own worker (what ``oasis worker`` runs), without its signal handlers.

    ``batch=True``: ``.run()`` executes every queued job then returns. ``batch=False``: ``.run()`` keeps polling until
    ``.running`` is set to False (run it in a thread beside a live server).
    """
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"tests-{'batch' if batch else 'thread'}",
        excluded_queue_names=[],
    )


def run_queued_jobs() -> None:
    """Execute every job waiting in the queue, as ``oasis worker --lot`` does."""
    job_worker(batch=True).run()
