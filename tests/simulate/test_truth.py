"""The ground truth shows the behaviour the simulator is meant to produce."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

WEEK = 7 * 86400


@pytest.fixture(scope="module")
def truth(wide_edition):
    edition, _ = wide_edition
    incoming = edition.incoming.merge(
        edition.organisations[["org_id", "sector"]], on="org_id", validate="many_to_one"
    )
    incoming["answered"] = incoming["responded"] & (incoming["response_seconds"] <= WEEK)
    return edition, incoming


def test_volume_is_close_to_target(wide_edition):
    edition, _ = wide_edition
    assert abs(len(edition.messages) - 34_000) / 34_000 < 0.1


def test_complaints_are_answered_more_than_compliments_in_every_sector(truth):
    edition, incoming = truth
    rates = incoming.groupby(["sector", "type"])["answered"].mean().unstack()
    assert (rates["complaint"] > rates["compliment"]).all(), rates
    assert (rates["compliment"] > rates["other"]).mean() > 0.5
    # and by construction for every organisation and platform
    b = edition.behaviour
    for platform in ("twitter", "facebook"):
        assert (b[f"p_respond_{platform}_complaint"] > b[f"p_respond_{platform}_question"]).all()
        assert (b[f"p_respond_{platform}_question"] > b[f"p_respond_{platform}_compliment"]).all()


def test_organisations_differ_and_volume_is_heavy_tailed(truth):
    edition, incoming = truth
    rates = incoming.groupby("org_id")["answered"].mean()
    assert rates.max() - rates.min() > 0.4
    volume = edition.messages["org_id"].value_counts()
    assert volume.max() / volume.median() > 5
    share = edition.messages.groupby("org_id")["role"].apply(
        lambda r: (r == "reply").sum() / r.isin(["reply", "broadcast"]).sum()
    )
    assert share.max() - share.min() > 0.3  # dialogue share varies


def test_response_times_are_skewed_and_slower_outside_office_hours(truth):
    _, incoming = truth
    answered = incoming[incoming["responded"]]
    seconds = answered["response_seconds"].astype(float)
    assert seconds.mean() > 2 * seconds.median()  # long right tail
    assert (seconds > 2 * 86400).mean() > 0.01  # some answers take days
    assert (seconds > WEEK).sum() > 0  # some come after the answer window
    local = answered["created_at"].dt.tz_convert("Europe/Amsterdam")
    office = (local.dt.day_of_week < 5) & local.dt.hour.between(10, 15)
    night_or_weekend = (local.dt.day_of_week >= 5) | (local.dt.hour < 6)
    assert seconds[night_or_weekend].median() > 2 * seconds[office].median()
    assert (~incoming["responded"]).mean() > 0.2  # many never answered


def test_types_languages_and_rhythms(truth):
    edition, incoming = truth
    m = edition.messages
    shares = incoming["type"].value_counts(normalize=True)
    assert shares.idxmax() == "complaint"
    assert set(shares.index) == {"complaint", "question", "compliment", "other"}
    en = (m.loc[m["role"] == "incoming", "lang"] == "en").mean()
    assert 0.08 < en < 0.25
    local = m.loc[m["role"] == "incoming", "created_at"].dt.tz_convert("Europe/Amsterdam")
    by_hour = local.dt.hour.value_counts()
    assert by_hour[20] > 5 * by_hour[4]
    weekday = local.dt.day_of_week.value_counts()
    assert weekday[:5].mean() > weekday[5:].mean()


def test_first_response_follows_the_definition(truth):
    edition, _ = truth
    m = edition.messages.set_index("message_id")
    inc = edition.incoming[edition.incoming["responded"]].sample(300, random_state=1)
    for row in inc.itertuples():
        reply = m.loc[row.first_response_id]
        assert reply["role"] == "reply" and reply["org_id"] == row.org_id
        assert reply["created_at"] > row.created_at
        assert reply["thread_id"] == m.loc[row.message_id, "thread_id"]


def test_raw_archives_hold_exactly_the_collected_messages(wide_edition):
    import orjson

    edition, outdir = wide_edition
    m = edition.messages
    seen = set()
    for path in (outdir / "raw" / "twitter").glob("*.jsonl"):
        for line in path.read_bytes().splitlines():
            seen |= {t["id"] for t in orjson.loads(line).get("data", [])}
    for path in (outdir / "raw" / "facebook").glob("*.jsonl"):
        for line in path.read_bytes().splitlines():
            for post in orjson.loads(line)["data"]:
                seen.add(post["id"])
                for c in post["comments"]["data"]:
                    seen.add(c["id"])
                    seen |= {r["id"] for r in c.get("comments", {}).get("data", [])}
    expected = set(m.loc[m["collected"], "message_id"])
    assert seen == expected
    assert np.all(pd.Series(list(seen)).str.len() > 5)
