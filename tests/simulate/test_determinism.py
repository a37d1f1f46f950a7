"""Same seed, same bytes; another seed, other data."""

from __future__ import annotations

import hashlib

from tests.conftest import ROOT, simulate_from_config


def digests(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_bytes(test_edition, test_config, tmp_path):
    _, first = test_edition
    simulate_from_config(test_config, ROOT / test_config["organisations"], tmp_path)
    a, b = digests(first), digests(tmp_path)
    assert a.keys() == b.keys()
    assert len(a) >= 8 + 1 + 6  # raw archives, panel, truth
    assert a == b


def test_other_seed_gives_other_data(test_edition, test_config, tmp_path):
    _, first = test_edition
    simulate_from_config(test_config, ROOT / test_config["organisations"], tmp_path, seed=99)
    a, b = digests(first), digests(tmp_path)
    assert a.keys() == b.keys()
    differing = [k for k in a if a[k] != b[k]]
    assert len(differing) == len(a)
