"""Facebook Graph API page feeds: the real 2014 page response and the simulated archive."""

from __future__ import annotations

import json

from .conftest import accounts_sheet

PAGE = "107898832590939"


def test_real_page_posts_comments_and_page_reply(ingest, fixtures_dir):
    path = fixtures_dir / "facebook-graph" / "european_commission_page_posts_2014-03.json"
    raw = json.loads(path.read_text())
    names = {c["from"]["name"] for p in raw["data"] for c in p.get("comments", {}).get("data", [])}
    sheet = accounts_sheet(
        "org_id,name,sector,platform,handle,account_id\n"
        f"ec,European Commission,government,facebook,EuropeanCommission,{PAGE}\n"
    )
    rows, summary, bad = ingest(path, accounts=sheet)
    n_comments = sum(len(p.get("comments", {}).get("data", [])) for p in raw["data"])
    assert len(raw["data"]) == 10 and n_comments == 92
    assert summary.read == 10 + 92 and not bad
    posts = rows[rows["parent_id"].isna()]
    assert len(posts) == 10 and posts["is_org"].all()
    assert (posts["message_id"] == posts["thread_id"]).all()
    comments = rows[rows["parent_id"].notna()]
    assert comments["parent_id"].isin(posts["message_id"]).all()
    assert comments["is_org"].sum() == 1  # the page's own reply
    consumer = comments[~comments["is_org"]]
    assert consumer["addressed_org_ids"].apply(lambda orgs: list(orgs) == ["ec"]).all()
    assert (consumer["org_id"] == "ec").all()
    assert consumer["author_id"].str.fullmatch(r"u[0-9a-f]{16}").all()
    # no commenter's name is kept as a field (texts may still name people, as written)
    as_text = rows.drop(columns=["text"]).astype(str).to_csv()
    assert not [n for n in names if n in as_text]
    assert str(rows["created_at"].iloc[0]).endswith("+00:00")


def test_simulated_feed_nests_replies_under_comments(ingest, test_edition):
    edition, outdir = test_edition
    path = outdir / "raw" / "facebook" / "railned.jsonl"
    rows, summary, bad = ingest(path, accounts=edition.accounts)
    truth = edition.messages[
        (edition.messages["platform"] == "facebook") & (edition.messages["org_id"] == "railned")
    ]
    assert summary.read == len(truth) and not bad
    merged = rows.merge(truth, on="message_id", suffixes=("", "_truth"))
    assert (merged["parent_id"].fillna("") == merged["parent_id_truth"].fillna("")).all()
    assert (merged["thread_id"] == merged["thread_id_truth"]).all()
    assert (merged["is_org"] == merged["is_org_truth"]).all()
