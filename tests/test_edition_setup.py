"""`engbench init`: a real edition's commented config and proposed organisations sheet, and
the config layering that keeps the demo's values out of a real edition."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from engbench.config import load_schema, validate_config
from engbench.edition_setup import (
    EditionSetupError,
    check_sheet,
    config_text,
    edition_config,
    init_edition,
)
from engbench.organisations import read_organisations
from tests.conftest import ROOT

# A small export as a monitoring tool writes it: two organisations answer several consumers;
# consumer 1003 talks to another consumer, who talks back; 1009 only mentions a brand.
EXPORT = """tweet_id,user_id,screen_name,created_at,text,in_reply_to_status_id
1,1001,anna_b,2024-03-01T09:00:00+01:00,@KLM my bag is lost,
2,42,KLM,2024-03-01T09:20:00+01:00,@anna_b sorry! Please DM us,1
3,1002,piet77,2024-03-01T10:00:00+01:00,@KLM flight delayed again?,
4,42,KLM,2024-03-01T10:05:00+01:00,@piet77 we are checking,3
5,1003,joke_x,2024-03-02T08:00:00+01:00,@KLM @NS_online how do I get to Schiphol,
6,42,KLM,2024-03-02T08:10:00+01:00,@joke_x by train!,5
7,77,NS_online,2024-03-02T08:12:00+01:00,@joke_x every 10 minutes from Amsterdam,5
8,1004,kees,2024-03-02T12:00:00+01:00,@NS_online train cancelled,
9,77,NS_online,2024-03-02T12:03:00+01:00,@kees a bus replaces it,8
10,1005,mies,2024-03-03T07:00:00+01:00,@NS_online no wifi,
11,77,NS_online,2024-03-03T07:30:00+01:00,@mies we will pass it on,10
12,1003,joke_x,2024-03-03T09:00:00+01:00,@anna_b did you get your bag?,2
13,1001,anna_b,2024-03-03T09:10:00+01:00,@joke_x not yet,12
14,1009,remco,2024-03-04T09:00:00+01:00,@KLM nice plane,
15,1006,lotte,2024-03-04T10:00:00+01:00,@KLM seat booking fails,
16,42,KLM,2024-03-04T10:30:00+01:00,@lotte which browser?,15
17,1007,bram,2024-03-04T11:00:00+01:00,@NS_online ticket machine broken,
18,77,NS_online,2024-03-04T11:10:00+01:00,@bram which station?,17
"""


def write_export(folder, text=EXPORT, name="export.csv"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / "*.csv")


def init(tmp_path, patterns, **options):
    return init_edition("trial-2024", patterns, config_dir=tmp_path / "config", **options)


def schema_keys(schema: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, sub in schema.get("properties", {}).items():
        keys.append(prefix + key)
        keys += schema_keys(sub, f"{prefix}{key}.")
        keys += schema_keys(sub.get("items", {}), f"{prefix}{key}[].")
    return keys


def test_the_config_has_every_key_commented_and_validates():
    config = edition_config(
        "trial-2024",
        [{"name": "tw", "path": "data/tw/*.jsonl", "format": "x_api_v2"}],
        ("2024-01-01", "2024-07-01"),
        "config/trial-2024-organisations.csv",
    )
    text = config_text(config)
    schema = load_schema()
    for key in schema_keys(schema):
        name = key.rsplit(".", 1)[-1]
        assert re.search(rf"^\s*(# )?\s*(- )?{name}:", text, re.MULTILINE), key
    # what each key is, and the allowed values, as comments
    assert "# Language of the report and its tables. Allowed: nl | en. Default: nl." in text
    assert "  # File holding the key (outside the repository)" in text
    written = yaml.safe_load(text)
    validate_config(written, key_required=False)
    # values: the schema's defaults or what was given, never the demo's
    assert written["demo"]["enabled"] is False
    assert written["panel"] is None
    assert written["classify"]["coded_sheets"] == []
    assert written["classify"]["edition_weight"] == 3
    assert written["classify"]["folds"] == 5
    assert written["edition"] == {
        "name": "trial-2024",
        "year": 2025,
        "title": "Dutch Engagement Benchmark",
    }


def test_init_proposes_the_organisations_of_a_small_export(tmp_path):
    pattern = write_export(tmp_path / "data" / "export")
    setup = init(tmp_path, [pattern])
    sheet = setup.sheet
    # KLM and NS_online answer four different people each; consumers answer one
    assert list(sheet["handle"]) == ["KLM", "NS_online"]
    assert list(sheet["account_id"]) == ["42", "77"]
    assert list(sheet["org_id"]) == ["klm", "ns_online"]
    assert list(sheet["authors_replied"]) == [4, 4]
    assert list(sheet["addressed_by"]) == [5, 4]  # replied to or @-mentioned, by different authors
    assert (sheet["sector"] == "").all() and (sheet["platform"] == "twitter").all()
    # the source: a table no format claims, mapped by its column names
    source = setup.config["sources"][0]
    assert source["name"] == "export" and source["format"] == "mapped_table"
    assert source["columns"] == {
        "message_id": "tweet_id",
        "author_id": "user_id",
        "author_handle": "screen_name",
        "created_at": "created_at",
        "text": "text",
        "parent_id": "in_reply_to_status_id",
    }
    assert source["platform"] == "twitter"
    assert setup.config["period"] == {"start": "2024-03-01", "end": "2024-03-05"}

    # the files: the config validates; the sheet says what to fill in, then validates
    written = yaml.safe_load(setup.config_path.read_text(encoding="utf-8"))
    validate_config(written, key_required=False)
    assert written["organisations"] == (tmp_path / "config/trial-2024-organisations.csv").as_posix()
    assert check_sheet(sheet) == ["`sector` is empty in 2 of 2 rows"]
    with pytest.raises(ValueError, match=r"lines 2–3 \(2 rows\), column sector: missing value"):
        read_organisations(setup.sheet_path)
    filled = pd.read_csv(setup.sheet_path, dtype=str, keep_default_na=False)
    filled["sector"] = ["airline", "rail"]
    filled.to_csv(setup.sheet_path, index=False)
    accounts = read_organisations(setup.sheet_path)
    assert list(accounts["org_id"]) == ["klm", "ns_online"]
    # no consumer's id or handle in either file
    for path in (setup.config_path, setup.sheet_path):
        text = path.read_text(encoding="utf-8")
        for consumer in ("anna_b", "piet77", "joke_x", "kees", "lotte", "remco", "1001", "1003"):
            assert consumer not in text


def test_init_keeps_files_it_wrote_before(tmp_path):
    pattern = write_export(tmp_path / "data" / "export")
    setup = init(tmp_path, [pattern])
    setup.sheet_path.write_text("edited by hand\n")
    with pytest.raises(EditionSetupError, match="does not overwrite"):
        init(tmp_path, [pattern])
    assert setup.sheet_path.read_text() == "edited by hand\n"
    init(tmp_path, [pattern], force=True)
    assert setup.sheet_path.read_text().startswith("org_id,name,sector")


def test_init_says_what_it_cannot_do(tmp_path):
    with pytest.raises(EditionSetupError, match="matches no file"):
        init(tmp_path, [str(tmp_path / "nothing" / "*.csv")])
    pattern = write_export(tmp_path / "odd", "a,b,c\n1,2,3\n")
    with pytest.raises(EditionSetupError, match="no column found for message_id, author_id"):
        init(tmp_path, [pattern])
    with pytest.raises(EditionSetupError, match="edition name"):
        init_edition("Trial 2024", [pattern], config_dir=tmp_path)


def test_init_on_the_simulated_archives_finds_their_organisations(test_edition, tmp_path):
    """twarc2 output (X API v2) and Graph API feeds as the simulator writes them: the proposed
    accounts are all the organisations' accounts (brand accounts that leave answering to a
    webcare account too, for they are addressed), and a few of the chattiest consumers."""
    edition, outdir = test_edition
    setup = init_edition(
        "sim",
        [str(outdir / "raw" / "twitter" / "*.jsonl"), str(outdir / "raw" / "facebook" / "*.jsonl")],
        config_dir=tmp_path,
    )
    assert [s["format"] for s in setup.config["sources"]] == ["x_api_v2", "facebook_graph"]
    proposed = set(zip(setup.sheet["platform"], setup.sheet["account_id"], strict=True))
    truth = set(zip(edition.accounts["platform"], edition.accounts["account_id"], strict=True))
    assert truth <= proposed
    assert len(proposed - truth) <= len(truth)


def fixtures_twcs(fixtures_dir):
    path = fixtures_dir / "customer-support-twcs" / "twcs_first5000_pandas-export.csv"
    if not path.exists():
        pytest.skip(f"{path} absent (public sample, not in the repository)")
    return path


def test_init_on_customer_support_on_twitter(fixtures_dir, tmp_path):
    """The public sample: 76 brands (handles), consumers anonymised as numbers."""
    path = fixtures_twcs(fixtures_dir)
    (tmp_path / "twcs").mkdir()
    (tmp_path / "twcs" / path.name).symlink_to(path)
    setup = init_edition("twcs", [str(tmp_path / "twcs" / "*.csv")], config_dir=tmp_path)
    sheet = setup.sheet
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    brands = set(raw.loc[raw["inbound"] == "False", "author_id"])
    assert len(brands) == 76
    is_brand = sheet["account_id"].isin(brands)
    # most brands are found; what else is proposed are consumers who answered several people
    assert is_brand.sum() >= 50
    assert (sheet.loc[is_brand, "handle"] == sheet.loc[is_brand, "account_id"]).all()
    assert (~is_brand).sum() <= 0.3 * len(sheet)
    assert sheet.loc[~is_brand, "account_id"].str.fullmatch(r"\d+").all()
    assert list(sheet["handle"][:3]) == ["ChipotleTweets", "AmazonHelp", "AppleSupport"]
    assert setup.config["period"] == {"start": "2017-10-08", "end": "2017-12-02"}
    assert setup.config["sources"][0]["columns"]["author_handle"] == "author_id"


# --- layering: a real edition's config stands alone -------------------------------------------


def dry_run(workdir, *args, key="a-test-key-of-24-characters"):
    env = {**os.environ, "ENGBENCH_PSEUDONYM_KEY": key}
    command = [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile")]
    command += ["--directory", str(workdir), "--dry-run", "--cores", "1", *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    result.output = result.stdout + result.stderr  # Snakemake 9 logs errors to stdout
    return result


@pytest.fixture()
def workdir(tmp_path):
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "data" / "labels", tmp_path / "data" / "labels")
    return tmp_path


def jobs(result) -> set[str]:
    """The rules of the dry run's job table."""
    table = result.output.split("Job stats:")[1].strip().split("\n\n")[0]
    return {line.split()[0] for line in table.splitlines()[2:]} - {"total"}


def test_a_real_editions_config_does_not_inherit_the_demos(workdir, test_edition):
    _, outdir = test_edition
    real = {
        "edition": {"name": "real-2017", "year": 2018},
        "period": {"start": "2017-01-01", "end": "2017-11-01"},
        "organisations": "config/test/organisations.csv",
        "sources": [{"name": "twitter", "path": f"{outdir}/raw/twitter/*.jsonl"}],
    }
    (workdir / "config" / "real.yaml").write_text(yaml.safe_dump(real))
    result = dry_run(workdir, "--configfile", workdir / "config/real.yaml")
    assert result.returncode == 0, result.output[-3000:]
    # no simulation (demo.enabled), no coded sheets (coding_reliability), no panel
    assert jobs(result) == {
        "all",
        "classify",
        "coding_sample",
        "definitions",
        "ingest_file",
        "merge_messages",
        "metrics",
        "metrics_part",
        "report",
        "response_by_type",
        "robustness",
        "thread_index",
        "threads",
        "threads_shard",
        "train_classifier",
    }
    # without a key: the demo's fixed key is not inherited either
    assert (
        "no pseudonymisation key"
        in dry_run(workdir, "--configfile", workdir / "config/real.yaml", key="").output
    )
    # the demo config is still what runs without --configfile
    demo = dry_run(workdir)
    assert demo.returncode == 0, demo.output[-3000:]
    assert {"simulate", "panel", "coding_reliability"} <= jobs(demo)


def test_demo_enabled_says_why_a_real_file_matches_nothing(workdir, tmp_path):
    pattern = write_export(tmp_path / "data" / "export")
    config = yaml.safe_load((workdir / "config" / "test" / "config.yaml").read_text())
    config["sources"] = [{"name": "export", "path": pattern, "format": "mapped_table"}]
    (workdir / "config" / "mixed.yaml").write_text(yaml.safe_dump(config))
    result = dry_run(workdir, "--configfile", workdir / "config/mixed.yaml")
    assert result.returncode != 0
    message = " ".join(result.output.split())
    assert "matches none of the files the simulator writes — demo.enabled is true" in message
    assert "(on disk it matches 1 file(s))" in message
