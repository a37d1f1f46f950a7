"""Real consumer messages from the public samples in ``../shared/fixtures``, by id.

Real posts cannot be redistributed, so the project commits only ids and its own
codes (``data/labels/real/``); the texts are joined from the fixtures folder at
run time. Every message has a ``source`` (which sample), a ``group`` (the unit
for grouped validation: an organisation, or a small sample as a whole) and a
``message_id`` unique within its source.

Sources:

- ``airline``: tweets to six US airlines (labelled-real, Feb 2015); group = airline.
- ``ibm``: the first consumer turn of each customer-care conversation (25 brands,
  2018–2020); group = brand.
- ``twitterdev``: tweets to @TwitterDev (premium search, 2017) and @-mentions in
  the v1.1/v2 samples; group = ``twitter_misc``.
- ``mastodon``: replies in a Mastodon thread; group = ``mastodon``.
- ``dutch``: Dutch tweets to airlines (mostly KLM, 2016 and 2019). Validation
  only, never training: the sample's terms allow evaluation use only.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

SOURCES = ("airline", "ibm", "twitterdev", "mastodon", "dutch")
VALIDATION_ONLY = frozenset({"dutch"})
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p>")


class FixturesMissing(FileNotFoundError):
    """The public samples folder is not there (a user's clone has no ../shared)."""


def fixtures_dir(root: Path | str | None = None) -> Path:
    """``ENGBENCH_FIXTURES`` or ``../shared/fixtures`` beside the checkout; raises if absent."""
    if root is None:
        env = os.environ.get("ENGBENCH_FIXTURES")
        root = (
            Path(env) if env else Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures"
        )
    root = Path(root).resolve()
    if not (root / "labelled-real").is_dir():
        raise FixturesMissing(
            f"the public samples folder is not at {root} (set ENGBENCH_FIXTURES to where "
            "'shared/fixtures' is); real texts are never committed, only their ids and codes"
        )
    return root


def real_messages(root: Path | str | None = None) -> pd.DataFrame:
    """Every real consumer message the project may code: source, group, message_id, text, lang."""
    root = fixtures_dir(root)
    frames = [_airline(root), _ibm(root), _twitterdev(root), _mastodon(root), _dutch(root)]
    out = pd.concat(frames, ignore_index=True)
    out = out[out["text"].str.strip().str.len() > 0]
    return out.drop_duplicates(["source", "message_id"]).reset_index(drop=True)


def join_texts(codes: pd.DataFrame, root: Path | str | None = None) -> pd.DataFrame:
    """Add ``text``, ``group``, ``lang`` to coded rows (``source``, ``message_id``) from fixtures.

    Raises if a coded id is not found: a silently shorter real set would change every figure.
    """
    messages = real_messages(root)
    merged = codes.astype({"source": str, "message_id": str}).merge(
        messages, on=["source", "message_id"], how="left", validate="many_to_one"
    )
    missing = merged["text"].isna()
    if missing.any():
        first = merged.loc[missing, ["source", "message_id"]].head(5).to_dict("records")
        raise KeyError(
            f"{int(missing.sum())} coded real messages not in the fixtures, e.g. {first}"
        )
    return merged


def _frame(source, group, ids, texts, lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": source,
            "group": list(group) if not isinstance(group, str) else group,
            "message_id": [str(i) for i in ids],
            "text": [html.unescape(t) for t in texts],
            "lang": lang,
        }
    )


def _airline(root: Path) -> pd.DataFrame:
    d = pd.read_csv(
        root / "labelled-real" / "us_airline_sentiment_Tweets.csv",
        dtype={"tweet_id": str},
        keep_default_na=False,
    )
    d = d.drop_duplicates("tweet_id")
    return _frame("airline", d["airline"], d["tweet_id"], d["text"], "en")


def _ibm(root: Path) -> pd.DataFrame:
    rows = []
    for name in ("dev.json", "test.json"):
        with open(root / "customer-care-ibm" / name, encoding="utf-8") as f:
            for conversation in json.load(f):
                first = next((t for t in conversation["dialogContent"] if "client" in t), None)
                if first is not None:
                    company = conversation["dialogHeader"]["company"]
                    rows.append((company, first["tweet_ID"], first["message"]))
    group, ids, texts = zip(*rows, strict=True) if rows else ((), (), ())
    return _frame("ibm", group, ids, texts, "en")


def _twitterdev(root: Path) -> pd.DataFrame:
    rows = []
    v1 = root / "twitter-v1"
    with open(v1 / "twitterruby_premium_search_to_TwitterDev_2017.json", encoding="utf-8") as f:
        statuses = json.load(f)["results"]
    with open(v1 / "pythontwitter_get_mentions.json", encoding="utf-8") as f:
        statuses += json.load(f)
    for s in statuses:
        if s.get("retweeted_status"):
            continue
        text = (s.get("extended_tweet") or {}).get("full_text") or s.get("full_text") or s["text"]
        rows.append((s["id_str"], text, s.get("lang") or "und"))
    with open(root / "twitter-v2" / "tweepy_v2_users_mentions_783214.json", encoding="utf-8") as f:
        for t in json.load(f)["data"]:
            if not t["text"].startswith("RT @"):
                rows.append((t["id"], t["text"], "und"))
    ids, texts, langs = zip(*rows, strict=True)
    return _frame("twitterdev", "twitter_misc", ids, texts, list(langs))


def _mastodon(root: Path) -> pd.DataFrame:
    with open(
        root / "mastodon" / "rtoot_context_mastodon.social_109294719267373593.json",
        encoding="utf-8",
    ) as f:
        context = json.load(f)
    rows = [(s["id"], _TAG.sub("", _BREAK.sub("\n", s["content"]))) for s in context["descendants"]]
    ids, texts = zip(*rows, strict=True)
    return _frame("mastodon", "mastodon", ids, [" ".join(t.split()) for t in texts], "und")


def _dutch(root: Path) -> pd.DataFrame:
    d = pd.read_csv(
        root / "dutch-airline-tweets" / "dbl_nl_tweets_to_airlines.csv",
        dtype={"msg_id": str},
        keep_default_na=False,
    )
    group = d["addressed_to"].str.split(";").str[0]
    return _frame("dutch", group, d["msg_id"], d["text"], "nl")


def draw_coding_pool(
    messages: pd.DataFrame, n_airline: int = 1500, seed: int = 2026
) -> pd.DataFrame:
    """The real messages to code: every message of the small sources, a stratified airline sample.

    The airline sample is drawn evenly over the crowd's three sentiment labels (so
    compliments and questions are not swamped by complaints) and, within each, in
    proportion to the airlines; texts that repeat an earlier one are skipped.
    """
    airline = messages[messages["source"] == "airline"]
    sentiment = pd.read_csv(
        fixtures_dir() / "labelled-real" / "us_airline_sentiment_Tweets.csv",
        dtype={"tweet_id": str},
        usecols=["tweet_id", "airline_sentiment"],
    ).drop_duplicates("tweet_id")
    airline = airline.merge(sentiment, left_on="message_id", right_on="tweet_id")
    airline = airline[~airline["text"].str.startswith("RT @")].drop_duplicates("text")
    per = n_airline // 3
    parts = [
        g.sample(n=min(per, len(g)), random_state=seed)
        for _, g in airline.groupby("airline_sentiment", sort=True)
    ]
    sample = pd.concat(parts)[messages.columns]
    rest = messages[messages["source"] != "airline"]
    pool = pd.concat([sample, rest], ignore_index=True)
    return pool.sort_values(["source", "message_id"]).reset_index(drop=True)


REAL_CODES = Path(__file__).resolve().parents[3] / "data" / "labels" / "real" / "real_codes.csv"


def coded_real(root: Path | str | None = None, codes: Path | str = REAL_CODES) -> pd.DataFrame:
    """The project's coded real messages with texts: source, group, message_id, text, lang, label.

    Messages written by the organisation itself (codebook R19, ``out_of_unit``)
    are left out. Raises ``FixturesMissing`` where the public samples are absent.
    """
    table = pd.read_csv(codes, dtype=str, keep_default_na=False)
    table = table[table["out_of_unit"] != "1"]
    joined = join_texts(table[["source", "message_id", "label"]], root)
    return joined[["source", "group", "message_id", "text", "lang", "label"]]


def score(model, frame: pd.DataFrame) -> dict:
    """Macro-F1, accuracy and per-type scores of ``model`` on coded messages (text, label)."""
    from engbench.classify.model import predict
    from engbench.classify.validation import report

    predicted = predict(model, frame["text"])["type"].to_numpy()
    return report(frame["label"].to_numpy(), predicted)


def learning_curve(
    base: pd.DataFrame,
    domain: pd.DataFrame,
    sizes=(0, 100, 200, 400, 800),
    repeats: int = 3,
    test_size: int = 200,
    weight: float | str = "balanced",
    seed: int = 2026,
    fit=None,
) -> pd.DataFrame:
    """Macro-F1 on held-out messages of one domain against the number of its coded messages used.

    For each repeat, ``test_size`` messages of ``domain`` are held out; the model
    is trained on ``base`` plus the first n of the remaining (in a random order),
    with the source weight ``weight``, and scored on the held-out ones. ``fit``
    maps a training table (text, label, weight) to a fitted model (default: the
    shipped pipeline with its default hyperparameters). Returns size, repeat,
    macro_f1, accuracy, n_test.
    """
    from engbench.classify.model import combine_sources

    fit = fit or _default_fit
    rows = []
    rng = np.random.default_rng(seed)
    for r in range(repeats):
        order = rng.permutation(len(domain))
        test = domain.iloc[order[:test_size]]
        pool = domain.iloc[order[test_size:]]
        for n in sizes:
            if n > len(pool):
                continue
            sources = [("base", base[["text", "label"]], 1.0)]
            if n:
                sources.append(("domain", pool.iloc[:n][["text", "label"]], weight))
            model = fit(combine_sources(sources))
            result = score(model, test)
            rows.append(
                {
                    "size": n,
                    "repeat": r,
                    "macro_f1": result["macro_f1"],
                    "accuracy": result["accuracy"],
                    "n_test": len(test),
                }
            )
    return pd.DataFrame(rows)


def _default_fit(labels: pd.DataFrame):
    from engbench.classify.model import build_pipeline

    return build_pipeline().fit(
        labels["text"].tolist(),
        labels["label"].to_numpy(),
        calibrated__sample_weight=labels["weight"].to_numpy(float),
    )
