"""Pseudonyms: keyed, stable across files, no consumer username or name in the store."""

from __future__ import annotations

import pandas as pd
import pytest

from engbench.ingest.privacy import DEMO_KEY, MissingKeyError, Pseudonymiser, load_key

from .conftest import TEST_KEY


def test_pseudonyms_are_stable_and_keyed():
    a, b = Pseudonymiser(TEST_KEY), Pseudonymiser(TEST_KEY)
    assert a("twitter", "123") == b("twitter", "123")
    assert a("twitter", "123") != a("facebook", "123")
    assert a("twitter", "123") != Pseudonymiser(b"another-key-of-enough-length")("twitter", "123")
    assert a("twitter", "123").startswith("u") and len(a("twitter", "123")) == 17


def test_key_sources(monkeypatch, tmp_path):
    monkeypatch.delenv("ENGBENCH_PSEUDONYM_KEY", raising=False)
    with pytest.raises(MissingKeyError, match="ENGBENCH_PSEUDONYM_KEY"):
        load_key()
    assert load_key(demo=True) == DEMO_KEY.encode()
    monkeypatch.setenv("ENGBENCH_PSEUDONYM_KEY", "from-the-environment-123")
    assert load_key() == b"from-the-environment-123"
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file-outside-the-repo\n")
    assert load_key(key_file=str(key_file)) == b"from-a-file-outside-the-repo"
    key_file.write_text("short")
    with pytest.raises(MissingKeyError, match="too short"):
        load_key(key_file=str(key_file))


def test_same_person_same_pseudonym_across_files(ingest, test_edition):
    edition, outdir = test_edition
    a, _, _ = ingest(outdir / "raw" / "twitter" / "oranje_airways.jsonl", accounts=edition.accounts)
    b, _, _ = ingest(outdir / "raw" / "twitter" / "netplus.jsonl", accounts=edition.accounts)
    truth = edition.messages.set_index("message_id")["author_id"]
    both = pd.concat([a, b])
    both = both[~both["is_org"]]
    pairs = set(zip(truth.reindex(both["message_id"]).to_numpy(), both["author_id"], strict=True))
    raw_ids = [p[0] for p in pairs]
    assert len(raw_ids) == len(set(raw_ids))  # one pseudonym per person


def test_no_consumer_handle_or_name_in_the_store(ingest, test_edition):
    edition, outdir = test_edition
    consumers = edition.consumers
    rows = pd.concat(
        [
            ingest(p, accounts=edition.accounts)[0]
            for p in sorted((outdir / "raw").glob("*/*.jsonl"))
        ]
    )
    fields = rows.drop(columns=["text"]).astype(str)
    joined = "\n".join(fields.to_csv().splitlines())
    for user_id in consumers["user_id"].sample(200, random_state=1):
        assert user_id not in joined
    texts = " ".join(rows["text"].dropna())
    handles = consumers.loc[consumers["platform"] == "twitter", "handle"]
    assert not [h for h in handles if f"@{h} " in texts or f"@{h}:" in texts]
    assert "@user" in texts


def test_the_summary_says_where_a_bad_record_is_not_what_it_holds(ingest, tmp_path):
    """Raw snippets of bad records (which may name a consumer) go to the quarantine file
    only: the summary, which is shared with the results, keeps the location, field and
    reason, and a reason never quotes a consumer's id."""
    import orjson

    consumer_id, handle = "731234567890123456", "jansen_fleur82"
    when = "2017-03-01T10:00:00.000Z"
    tweets = [
        {"id": "9001", "text": "hoi", "author_id": consumer_id + "\x01", "created_at": when},
        {"id": "9002", "text": "hoi", "author_id": consumer_id, "created_at": when},
        {"id": "9003", "text": "hoi", "author_id": consumer_id, "created_at": when},
    ]
    tweets[1]["public_metrics"] = {"like_count": -1}
    users = [{"id": consumer_id, "username": handle, "name": "Fleur Jansen"}]
    path = tmp_path / "page.jsonl"
    path.write_bytes(orjson.dumps({"data": tweets, "includes": {"users": users}}) + b"\n")
    rows, summary, bad = ingest(path, fmt="x_api_v2", max_share=1.0)
    assert len(rows) == 1 and summary.quarantined == 2
    assert {b["field"] for b in bad} == {"author_id", "like_count"}
    assert any(consumer_id in b["snippet"] for b in bad)  # the quarantine keeps what it was
    first = summary.as_dict()["first_bad"]
    assert set(first) == {"source_file", "location", "field", "reason", "messages"}
    assert first["field"] == "author_id" and first["reason"] == "author_id holds control characters"
    assert consumer_id not in orjson.dumps(summary.as_dict()).decode()
