import re
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from oasis.cli import translate


def test_data_subcommands_map_to_management_commands():
    assert translate(["data", "load", "--force"]) == ["load_bundle", "--force"]
    assert translate(["data", "build", "--source", "x"]) == ["build_bundle", "--source", "x"]
    assert translate(["serve", "--port", "9000"]) == ["serve", "--port", "9000"]
    assert translate([]) == ["help"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def heavy(port: int, address: str) -> int:
    """The status of a what-if (a heavy request; an unknown profession: 400 once admitted) from ``address``."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/apl/simulation?profession=inconnue&ajout=86194:1",
        headers={"X-Forwarded-For": address},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.slow
def test_serve_answers_on_the_requested_port(tmp_path):
    # Behind one trusted proxy, with one heavy request a minute for a visitor (oasis.accounts.throttling).
    env = {"OASIS_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "OASIS_PROXIES_DE_CONFIANCE": "1"}
    env["OASIS_REQUETES_LOURDES_PAR_MINUTE"] = "1"
    oasis = [sys.executable, "-m", "oasis.cli"]
    subprocess.run([*oasis, "migrate", "--verbosity", "0"], env=env, check=True, timeout=120)
    # What OASIS writes is its own account's only.
    assert stat.S_IMODE((tmp_path / "oasis.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    port = free_port()
    server = subprocess.Popen([*oasis, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert f"http://127.0.0.1:{port}/" in server.stdout.readline()
        worker = int(re.search(r"processus (\d+)", server.stdout.readline()).group(1))
        assert "worker" in Path(f"/proc/{worker}/cmdline").read_text()
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    body = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "OASIS" in body
        assert "oasis data load" in body  # no data loaded yet: the page says what to do
        # Each visitor is the address the proxy wrote (waitress keeps the header): the second request of one
        # address in the minute is refused, another address's is not.
        assert [heavy(port, address) for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2")] == [400, 429, 400]
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
    # The worker stops with the server.
    deadline = time.monotonic() + 30
    while Path(f"/proc/{worker}").exists() and "Z" not in Path(f"/proc/{worker}/stat").read_text().split()[2]:
        assert time.monotonic() < deadline, "le worker survit au serveur"
        time.sleep(0.2)


def test_serve_refuses_an_unmigrated_database(tmp_path):
    env = {"OASIS_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "oasis.cli", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "oasis migrate" in result.stderr
