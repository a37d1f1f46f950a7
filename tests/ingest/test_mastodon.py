"""Mastodon REST API statuses: real samples from ../shared/fixtures/mastodon, and hand-written
fixtures (tests/ingest/fixtures/mastodon/) that follow the Mastodon API documentation at
docs.joinmastodon.org (entities "Status", "Account", "Status mention", "Context", "Quote";
methods "statuses" and "search"). The fixtures' people and organisation are fictional.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import orjson
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engbench.ingest import mastodon
from engbench.ingest.privacy import Pseudonymiser
from engbench.ingest.records import Bad, ParseContext

from .conftest import TEST_KEY, accounts_sheet

FIXTURES = Path(__file__).parent / "fixtures" / "mastodon"
HEADER = "org_id,name,sector,platform,handle,account_id\n"
CONTEXT = "rtoot_context_mastodon.social_109294719267373593.json"
PAGES = "rtoot_account_statuses_fosstodon_5pages.jsonl"
ROOT = "109294719267373593"
HTML_TAG = re.compile(r"</?(?:p|br|span|a|ul|li|blockquote)\b[^>]*>", re.IGNORECASE)
pseudonym = Pseudonymiser(TEST_KEY)


def people(document, org_accts=()) -> tuple[set[str], set[str]]:
    """(usernames and accts, display names) of every consumer account in the document."""
    names, display = set(), set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("acct"), str) and value["acct"] not in org_accts:
                names.update(v for v in (value["acct"], value.get("username")) if v)
                if value.get("display_name"):
                    display.add(value["display_name"].strip())
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return names, display - {""}


def assert_no_personal_data(rows: pd.DataFrame, document, org_accts=()):
    """No consumer acct, username or display name in any field; in texts, no @-mention of one.

    Texts may still hold a username as an ordinary word ("Welcome flow!") or inside a link
    (github.com/<name>): the author's own words, which only @-mention masking touches.
    """
    names, display = people(document, org_accts)
    fields = rows.drop(columns=["text", "source_file", "platform", "source_format"])
    columns = fields.astype(str).to_csv().lower()
    texts = "\n".join(rows["text"].dropna()).lower()
    for name in names | display:
        assert not re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", columns), name
    for name in names:
        assert not re.search(rf"(?<![\w@])@{re.escape(name.lower())}(?![\w.-])", texts), name
    for name in display:
        if " " in name:
            assert name.lower() not in texts, name


def test_context_reply_tree_without_its_root(ingest, fixtures_dir):
    path = fixtures_dir / "mastodon" / CONTEXT
    document = json.loads(path.read_text(encoding="utf-8"))
    rows, summary, bad = ingest(path)
    assert summary.source_format == "mastodon" and not bad
    assert document["ancestors"] == [] and len(document["descendants"]) == 59
    assert len(rows) == 59 and rows["message_id"].is_unique
    assert list(rows["message_id"]) == [s["id"] for s in document["descendants"]]
    assert ROOT not in set(rows["message_id"])  # the requested status is not in the response
    assert (rows["parent_id"] == ROOT).sum() == 43
    nested = rows[rows["parent_id"] != ROOT]
    assert len(nested) == 16 and nested["parent_id"].isin(rows["message_id"]).all()
    assert (rows["thread_id"] == ROOT).all()
    assert rows["in_reply_to_author_id"].notna().all()
    root_author = pseudonym("mastodon", "austinkocher@mastodon.social")
    assert (rows["in_reply_to_author_id"] == root_author).sum() == 44
    by_id = rows.set_index("message_id")
    for status in document["descendants"][:5]:
        row = by_id.loc[status["id"]]
        assert row["created_at"] == pd.Timestamp(status["created_at"])
        assert row["like_count"] == status["favourites_count"]
        assert row["share_count"] == status["reblogs_count"]
        assert row["reply_count"] == status["replies_count"]
    assert rows["lang"].value_counts().to_dict() == {"en": 51, "cs": 4, "fr": 2, "de": 2}
    assert str(rows["created_at"].dt.tz) == "UTC"
    assert_plain_text(rows, document["descendants"])
    assert_no_personal_data(rows, document)


def assert_plain_text(rows, statuses):
    by_id = rows.set_index("message_id")
    texts = rows["text"].dropna()
    assert len(texts) == len(rows) and (texts.str.len() > 0).all()
    assert not texts.str.contains(HTML_TAG).any()
    assert not texts.str.contains(r"&(?:amp|lt|gt|quot|#\d+);").any()
    links = 0
    for status in statuses:
        text = by_id.loc[status["id"], "text"]
        if status["content"].count("<p>") > 1:
            assert "\n\n" in text
        for href in re.findall(
            r'<a href="(https?://[^"]+)"[^>]*><span class="invisible">', status["content"]
        ):
            href = re.sub(r"/@[\w.-]+", "/@user", href.replace("&amp;", "&"))  # masked
            assert href in text  # hidden parts of long links kept
            links += 1
    return links


def reshaped_pages(fixtures_dir, tmp_path) -> tuple[Path, list[dict]]:
    """The five pages as one status per line (also read as it is, below)."""
    source = fixtures_dir / "mastodon" / PAGES
    statuses = [s for line in source.read_bytes().splitlines() for s in orjson.loads(line)]
    path = tmp_path / "statuses.jsonl"
    path.write_bytes(b"".join(orjson.dumps(s) + b"\n" for s in statuses))
    return path, statuses


def test_account_statuses(ingest, fixtures_dir, tmp_path):
    path, statuses = reshaped_pages(fixtures_dir, tmp_path)
    assert len(statuses) == 100
    rows, _, bad = ingest(path)
    assert not bad and rows["message_id"].is_unique
    assert len(rows) == 101  # 100 statuses, one a reblog: the reblogged status too
    by_id = rows.set_index("message_id")
    replies = by_id[by_id["parent_id"].notna()]
    assert len(replies) == 52
    assert replies["parent_id"].isin(by_id.index).sum() == 6  # the self-thread
    for status in statuses:
        row = by_id.loc[status["id"]]
        assert row["parent_id"] == (status["in_reply_to_id"] or None) or (
            pd.isna(row["parent_id"]) and status["in_reply_to_id"] is None
        )
    gone = [s for s in statuses if s["in_reply_to_id"] is None and s["in_reply_to_account_id"]]
    assert len(gone) == 8  # replies to statuses deleted since: no parent, no thread
    assert by_id.loc[[s["id"] for s in gone], "thread_id"].isna().all()
    roots = by_id[by_id.index == by_id["thread_id"]]
    assert len(roots) == 41 and roots["parent_id"].isna().all()
    assert by_id["in_reply_to_author_id"].notna().sum() == 58  # 2 name no mentioned account
    author = pseudonym("mastodon", "schochastics@fosstodon.org")
    assert (rows["author_id"] == author).sum() == 100
    assert (by_id.loc[replies.index, "in_reply_to_author_id"] == author).sum() == 5

    reblog = next(s for s in statuses if s["reblog"])
    row = by_id.loc[reblog["id"]]
    original = by_id.loc[reblog["reblog"]["id"]]
    assert row["retweeted_id"] == reblog["reblog"]["id"]
    assert row["text"] == "RT @user: " + original["text"]
    assert original["author_id"] == pseudonym(
        "mastodon", reblog["reblog"]["account"]["acct"] + "@fosstodon.org"
    )
    assert rows["lang"].isna().sum() == 1  # the reblog wrapper has no language
    assert_plain_text(
        rows.drop(index=rows.index[rows["message_id"] == reblog["id"]]),
        [s for s in statuses if not s["reblog"]],
    )
    assert_no_personal_data(rows, statuses)


def test_account_statuses_pages_file_as_it_is(ingest, fixtures_dir):
    rows, _, bad = ingest(fixtures_dir / "mastodon" / PAGES)
    assert len(rows) == 101 and not bad


def test_organisation_mentioned_in_the_reply_tree(ingest, fixtures_dir):
    """The Mastodon project's account (@Mastodon@mastodon.social) as an organisation."""
    sheet = accounts_sheet(
        HEADER + "mastodon,Mastodon,software,mastodon,Mastodon,Mastodon@mastodon.social\n"
    )
    path = fixtures_dir / "mastodon" / CONTEXT
    document = json.loads(path.read_text(encoding="utf-8"))
    rows, _, _ = ingest(path, accounts=sheet)
    assert not rows["is_org"].any()
    addressed = rows["addressed_org_ids"].map(list)
    assert (addressed == pd.Series([["mastodon"]] * len(rows))).sum() == 54
    assert (rows["org_id"] == "mastodon").sum() == 54
    assert rows["text"].str.contains("@Mastodon", regex=False).sum() == 54  # org mentions kept
    assert_no_personal_data(rows, document, org_accts={"Mastodon"})


# --- hand-written fixtures ----------------------------------------------------------------

ACME = accounts_sheet(HEADER + "acme,Acme,transport,mastodon,Acme,Acme@social.example\n")


def test_context_with_ancestors(ingest):
    rows, _, bad = ingest(FIXTURES / "context_with_ancestors.json", accounts=ACME)
    assert not bad
    assert list(rows["message_id"]) == ["100", "101", "103", "104"]
    assert (rows["thread_id"] == "100").all()  # the first ancestor
    assert list(rows["parent_id"].fillna("-")) == ["-", "100", "102", "103"]
    by_id = rows.set_index("message_id")
    assert by_id.loc["100", "text"] == (
        "Nieuwe dienstregeling & meer:\nhttps://acme.example/dienstregeling-2025"
        "\n\nVragen? Stel ze hier."
    )
    assert by_id.loc["100", "is_org"] and by_id.loc["100", "author_id"] == "Acme@social.example"
    assert by_id.loc["101", "text"] == "@Acme Waarom rijdt lijn 5 niet <meer>?"
    assert by_id.loc["101", "in_reply_to_author_id"] == "Acme@social.example"
    assert by_id.loc["101", "addressed_org_ids"].tolist() == ["acme"]
    assert by_id.loc["104", "text"] == "Verspätung\n\n@user @Acme Bei mir auch 'nicht'"
    assert by_id.loc["104", "author_id"] == pseudonym("mastodon", "fan@other.example")
    assert by_id.loc["104", "in_reply_to_author_id"] == pseudonym(
        "mastodon", "klant1@social.example"
    )
    assert by_id.loc["104", "lang"] == "de"


def test_instance_option_prefixes_ids(ingest):
    rows, _, _ = ingest(
        FIXTURES / "context_with_ancestors.json", options={"instance": "social.example"}
    )
    assert list(rows["message_id"]) == [f"social.example:{i}" for i in ("100", "101", "103", "104")]
    assert (rows["thread_id"] == "social.example:100").all()
    assert rows["parent_id"].iloc[2] == "social.example:102"


def test_reblogs_quotes_deleted_parents_and_bad_statuses(ingest):
    rows, _, bad = ingest(FIXTURES / "statuses_edge_cases.json", accounts=ACME, max_share=1)
    assert sorted((b["location"], b["field"]) for b in bad) == [
        ("$[3]", "account"),
        ("$[4]", "created_at"),
    ]
    by_id = rows.set_index("message_id")
    assert list(rows["message_id"]) == ["301", "300", "302", "304", "303", "307", "308"]
    assert by_id.loc["301", "text"] == "RT @Acme: Storing opgelost."  # the org's handle kept
    assert by_id.loc["301", "retweeted_id"] == "300" and pd.isna(by_id.loc["301", "org_id"])
    assert by_id.loc["300", "is_org"] and by_id.loc["300", "like_count"] == 2
    deleted = by_id.loc["302"]
    assert pd.isna(deleted["parent_id"]) and pd.isna(deleted["thread_id"])
    assert pd.isna(deleted["in_reply_to_author_id"])  # account 999 is not among the mentions
    assert (
        by_id.loc["304", "quoted_id"] == "303"
        and by_id.loc["304", "text"] == "Kijk dit\nen dit\n\nRE: x"
    )
    assert by_id.loc["307", "text"] == "plain source text"
    assert by_id.loc["308", "text"] == "Liste:\n\neins\nzwei & drei\n\nzitat"


def test_search_response(ingest):
    rows, summary, bad = ingest(FIXTURES / "search_v2.json", accounts=ACME)
    assert summary.source_format == "mastodon" and not bad
    assert list(rows["message_id"]) == ["400"] and rows["addressed_org_ids"].iloc[0].tolist() == [
        "acme"
    ]


def test_html_to_text():
    assert mastodon.html_to_text("<p>a<br>b</p><p>c &amp; d</p>") == "a\nb\n\nc & d"
    assert mastodon.html_to_text("plain") == "plain"
    assert mastodon.html_to_text("<p>x</p><![broken").startswith("x")  # broken markup: no error
    assert "<" not in mastodon.html_to_text('<p><a href="u"><span>@</span>user</a> hi</p>')


def test_sniff_claims_mastodon_shapes_only():
    status = json.loads((FIXTURES / "search_v2.json").read_text())["statuses"][0]
    assert mastodon.sniff(status) and mastodon.sniff([status])
    assert mastodon.sniff({"ancestors": [], "descendants": []})
    for other in (
        {"data": [{"id": "1", "text": "x"}], "meta": {}},
        {"id": "1", "created_at": "x", "user": {}, "text": "x"},
        {"feed": []},
        {"data": [{"created_time": "x", "id": "1"}]},
        [],
        "x",
        None,
    ):
        assert not mastodon.sniff(other)


# --- random and corrupted records ---------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
BASES = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.iterdir())]
NAMES = [
    "id",
    "account",
    "acct",
    "url",
    "username",
    "content",
    "created_at",
    "in_reply_to_id",
    "in_reply_to_account_id",
    "reblog",
    "quote",
    "quoted_status",
    "mentions",
    "language",
    "spoiler_text",
    "favourites_count",
    "ancestors",
    "descendants",
    "statuses",
    "text",
]
PIECES = [
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    "&amp;",
    "&#x1F600;",
    "<a href=x>",
    "<![",
    "<!--",
    "</",
    "<span class=invisible>",
    "<script>",
    "x",
    " ",
    "&",
    "<",
]
HTML = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


def corrupt(value, path: list[int], replacement, depth=0):
    """Replace one nested value (chosen by ``path``) or drop a key."""
    if depth >= len(path) or not isinstance(value, dict | list) or not value:
        return replacement
    if isinstance(value, list):
        i = path[depth] % len(value)
        return [*value[:i], corrupt(value[i], path, replacement, depth + 1), *value[i + 1 :]]
    keys = list(value)
    key = keys[path[depth] % len(keys)]
    out = dict(value)
    if replacement == "<drop>" and depth == len(path) - 1:
        del out[key]
    else:
        out[key] = corrupt(value[key], path, replacement, depth + 1)
    return out


def check(record, options=None):
    context = ParseContext("x", options or {}, "Europe/Amsterdam")
    for item in mastodon.parse(record, "line 1", context):
        assert isinstance(item, dict | Bad)
        if isinstance(item, dict):
            assert isinstance(item["message_id"], str) and isinstance(item["author_id"], str)
            assert item["created_at"] is None or item["created_at"].tzinfo is not None
            assert item["text"] is None or isinstance(item["text"], str)
            assert all(isinstance(m, str) for m in item["mentions"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES),
    path=st.lists(st.integers(0, 60), min_size=1, max_size=6),
    replacement=json_values | HTML | st.just("<drop>") | st.sampled_from(NAMES),
    instance=st.sampled_from([None, "social.example", "https://social.example/", 3]),
)
def test_corrupted_records_never_raise(base, path, replacement, instance):
    check(corrupt(base, path, replacement), {"instance": instance})


@settings(max_examples=100, deadline=None)
@given(record=json_values | st.dictionaries(st.sampled_from(NAMES), json_values | HTML, max_size=6))
def test_random_records_never_raise(record):
    assert mastodon.sniff(record) in (True, False)
    check(record)
