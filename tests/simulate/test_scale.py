"""The simulator's cost grows with the messages, not faster (docs/performance.md, "Simulator").

No timings here: the writers are checked to work one archive at a time and to build each
tweet object about once, and the id de-duplication against its definition.
"""

from __future__ import annotations

import numpy as np
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from engbench.simulate import facebook_graph, x_api_v2
from engbench.simulate.edition import _distinct_integers, _repeats, _unique


def spy(monkeypatch, owner, name: str, record):
    """Record each call of ``owner.name`` (unchanged behaviour) with ``record(args)``."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        record(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)


def test_twitter_archives_are_built_one_at_a_time(wide_edition, monkeypatch):
    """Tweets are read per archive (that archive's tweets, what they reference and those
    tweets' parents) when the archive is written, and each tweet object is built once per
    archive, or twice when a tweet is referenced before its own page."""
    edition, _ = wide_edition
    held, built = [], []
    spy(monkeypatch, x_api_v2._Tweets, "__init__", lambda a: held.append(len(a[2])))
    spy(monkeypatch, x_api_v2._Tweets, "object", lambda a: built.append(1))
    files = x_api_v2.twitter_files(
        edition.messages, edition.accounts, edition.consumers, edition.organisations
    )
    assert held == [] and built == []  # nothing read before an archive is written
    written = 0  # distinct tweets in each archive, summed
    for lines in files.values():
        before, ids = len(held), set()
        for line in lines:
            page = orjson.loads(line)
            ids |= {
                t["id"] for t in page.get("data", []) + page.get("includes", {}).get("tweets", [])
            }
        written += len(ids)
        assert len(held) - before <= 1
    n_tweets = int((edition.messages["platform"] == "twitter").sum())
    assert max(held) < 0.5 * n_tweets
    assert sum(held) < 2 * n_tweets  # not the whole edition per archive
    assert written <= len(built) <= written + 0.05 * written


def test_facebook_feeds_are_built_one_at_a_time(wide_edition, monkeypatch):
    edition, _ = wide_edition
    held = []
    spy(monkeypatch, facebook_graph._Feed, "__init__", lambda a: held.append(len(a[1])))
    files = facebook_graph.facebook_files(
        edition.messages, edition.accounts, edition.consumers, edition.organisations
    )
    assert held == []
    for lines in files.values():
        before = len(held)
        for _ in lines:
            pass
        assert len(held) - before == 1
    m = edition.messages
    assert sum(held) == int(((m["platform"] == "facebook") & m["collected"]).sum())


def repeats_by_definition(values: list[int]) -> list[int]:
    return [i for i, v in enumerate(values) if v in values[:i]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), max_size=60))
def test_repeats_are_the_values_seen_before(values):
    array = np.array(values, dtype=np.int64)
    assert _repeats(array).tolist() == repeats_by_definition(values)
    distinct = _unique(array)
    assert len(set(distinct.tolist())) == len(values)
    assert (distinct >= array).all()


def test_distinct_integers_redraws_only_the_repeats():
    values = _distinct_integers(np.random.default_rng(3), 0, 40, 30)
    assert len(set(values.tolist())) == 30
    drawn = np.random.default_rng(3).integers(0, 40, 30)
    keep = [i for i in range(30) if i not in set(repeats_by_definition(drawn.tolist()))]
    assert (values[keep] == drawn[keep]).all()
