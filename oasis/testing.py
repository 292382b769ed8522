"""Helpers shared by the test suite and the benchmarks (no Django import at module level)."""

from __future__ import annotations

import email
import email.message
import email.policy
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
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


@dataclass
class ReceivedMail:
    """One message as the SMTP server received it: the envelope's addresses and the parsed message."""

    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]).strip()  # a folded header starts with the fold's blank

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class SmtpInbox:
    """What a test SMTP server received, in order; its handler is called by aiosmtpd in the server's thread.

    ``refused``: recipients the server refuses, with its answer (``550 …`` for good, ``450 …`` for now), as a real
    server does for an unknown or full mailbox; ``rejected``: the answer to a message containing a given text, as a
    content filter does."""

    host: str = "127.0.0.1"
    port: int = 0
    mails: list[ReceivedMail] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        for fragment, answer in self.rejected.items():
            if fragment in text:
                return answer
        self.mails.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self.mails if address in mail.recipients]


@contextmanager
def smtp_server() -> Iterator[SmtpInbox]:
    """A real SMTP server (aiosmtpd) on a free loopback port, receiving everything into an inbox."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection at INFO
    inbox = SmtpInbox(port=free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn_server(checkout: Path, environment: dict[str, str], *, workers: int | None = None) -> Iterator[str]:
    """The production server as deployed (``deploy/gunicorn.conf.py``) on a free port; yields its address."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    env = environment | {"OASIS_ECOUTE": f"127.0.0.1:{port}"} | ({"OASIS_PROCESSUS_WEB": str(workers)} if workers else {})
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--config", str(checkout / "deploy" / "gunicorn.conf.py"), "oasis.wsgi:application"]
    server = subprocess.Popen(command, env=env, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=30):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn n'a pas démarré : {server.stderr.read().decode()[-2000:]}") from None  # type: ignore[union-attr]
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)
        server.stderr.close()  # type: ignore[union-attr]


BEHIND_A_PROXY = {"OASIS_PROXIES_DE_CONFIANCE": "1"}
"""The server's environment under load tests: as behind its reverse proxy, so that each locust visitor's
``X-Forwarded-For`` (bench/locustfile.py) is its address."""


@dataclass
class LoadResult:
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    requests_per_second: float
    rows: list[dict[str, str]]
    errors: list[str]  # "GET /path: message (n×)"


def run_locust(url: str, locustfile: Path, *, users: int, seconds: int, workdir: Path, stop_timeout: int = 0) -> LoadResult:
    """Run locust headless against ``url`` and read its aggregated statistics.

    ``stop_timeout`` (s): how long each user may finish the request it is making when the run ends; 0 cuts it off.
    """
    import csv
    import subprocess
    import sys

    prefix = workdir / "locust"
    locust = Path(sys.executable).parent / "locust"
    command = [
        str(locust), "-f", str(locustfile), "--headless", "--host", url, "--users", str(users),
        "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{seconds}s", "--csv", str(prefix), "--only-summary",
        "--exit-code-on-error", "0", "--stop-timeout", str(stop_timeout),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=seconds + stop_timeout + 120)
    with open(f"{prefix}_stats.csv", newline="") as stream:
        rows = list(csv.DictReader(stream))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    with open(f"{prefix}_failures.csv", newline="") as stream:
        errors = [f"{f['Method']} {f['Name']}: {f['Error']} ({f['Occurrences']}×)" for f in csv.DictReader(stream)]
    return LoadResult(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        p50_ms=float(total["50%"]),
        p95_ms=float(total["95%"]),
        requests_per_second=float(total["Requests/s"]),
        rows=[row for row in rows if row["Name"] != "Aggregated"],
        errors=errors,
    )
