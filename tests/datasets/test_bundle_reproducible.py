"""`oasis data build` on the raw open data reproduces the committed bundle exactly."""

import gzip
import json

import pytest

from oasis.datasets.build import build_bundle
from oasis.datasets.bundle import DEFAULT_BUNDLE_DIR
from tests.conftest import SHARED_RAW_DATA

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not SHARED_RAW_DATA.is_dir(), reason="raw open data not present beside the repository")
def test_build_reproduces_the_committed_bundle(tmp_path):
    manifest = build_bundle(SHARED_RAW_DATA, tmp_path / "bundle")
    committed = json.loads((DEFAULT_BUNDLE_DIR / "manifest.json").read_text())
    assert manifest["files"] == committed["files"]
    for name in manifest["files"]:  # type: ignore[union-attr]
        assert gzip.decompress((tmp_path / "bundle" / name).read_bytes()) == gzip.decompress(
            (DEFAULT_BUNDLE_DIR / name).read_bytes()
        ), name
