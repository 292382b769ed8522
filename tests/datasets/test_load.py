"""Loading a bundle: idempotent, all-or-nothing, refusals name file and line."""

import gzip
import hashlib
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from oasis.datasets.load import load_bundle
from oasis.datasets.models import BundleLoad
from oasis.supply.models import SupplyCount
from oasis.territories.models import Commune, CommuneCrosswalk

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Commune.objects.count(),
        SupplyCount.objects.count(),
        CommuneCrosswalk.objects.count(),
        BundleLoad.objects.count(),
        list(Commune.objects.filter(code_insee="86194").values_list("population", flat=True)),
    )


def rewrite(bundle, name, transform):
    """Change one bundle file and update its manifest checksum, as a hand-edited bundle would be."""
    path = bundle / name
    content = transform(gzip.decompress(path.read_bytes()).decode())
    path.write_bytes(gzip.compress(content.encode()))
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["files"][name]["sha256"] = hashlib.sha256(content.encode()).hexdigest()
    (bundle / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture
def bundle_copy(sample_bundle, tmp_path):
    target = tmp_path / "bundle"
    shutil.copytree(sample_bundle, target)
    return target


def test_load_then_load_again_is_a_no_op(bundle_copy):
    first = load_bundle(bundle_copy)
    assert not first.skipped
    assert first.rows["communes"] == 712
    poitiers = Commune.objects.get(code_insee="86194")
    assert poitiers.epci_id == "200069854"
    before = snapshot()
    second = load_bundle(bundle_copy)
    assert second.skipped
    assert snapshot() == before


def test_forced_reload_gives_the_same_content(bundle_copy):
    load_bundle(bundle_copy)
    counts = snapshot()[:3]
    load_bundle(bundle_copy, force=True)
    assert snapshot()[:3] == counts


def test_tampered_file_is_refused_by_checksum_and_nothing_changes(bundle_copy):
    load_bundle(bundle_copy)
    before = snapshot()
    path = bundle_copy / "offre_bpe.csv.gz"
    content = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    path.write_bytes(gzip.compress("".join(content[: len(content) // 2]).encode()))  # truncated
    with pytest.raises(CommandError, match=r"offre_bpe.csv.gz : contenu altéré ou tronqué"):
        call_command("load_bundle", bundle=bundle_copy, force=True, verbosity=0)
    assert snapshot() == before


def test_wrongly_typed_value_is_refused_with_its_line(bundle_copy):
    load_bundle(bundle_copy)
    before = snapshot()

    def break_line_3(text):
        lines = text.splitlines(keepends=True)
        lines[2] = lines[2].rsplit(",", 1)[0] + ",trois\n"
        return "".join(lines)

    rewrite(bundle_copy, "offre_bpe.csv.gz", break_line_3)
    with pytest.raises(CommandError, match=r"offre_bpe.csv.gz, ligne 3 : colonne nombre"):
        call_command("load_bundle", bundle=bundle_copy, force=True, verbosity=0)
    assert snapshot() == before


def test_reference_to_unknown_commune_is_refused(bundle_copy):
    rewrite(bundle_copy, "offre_bpe.csv.gz", lambda text: text.replace("86194", "86999"))
    before = snapshot()
    with pytest.raises(CommandError, match=r"commune inconnue « 86999 »"):
        call_command("load_bundle", bundle=bundle_copy, verbosity=0)
    assert snapshot() == before


def test_missing_manifest_is_refused(tmp_path):
    with pytest.raises(CommandError, match="manifeste introuvable"):
        call_command("load_bundle", bundle=tmp_path, verbosity=0)


def test_dry_run_writes_nothing(bundle_copy):
    before = snapshot()
    call_command("load_bundle", bundle=bundle_copy, dry_run=True, verbosity=0)
    assert snapshot() == before
