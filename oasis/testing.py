"""Helpers shared by the test suite and the benchmarks (no Django import at module level)."""

from __future__ import annotations

import os
import shutil

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
