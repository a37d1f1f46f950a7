"""The `engbench` command: the workflow's ingest, outside Snakemake."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engbench.ingest.store import read_store


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "engbench.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ingest_prints_the_summary_and_writes_a_store(test_edition, tmp_path):
    edition, outdir = test_edition
    sheet = tmp_path / "orgs.csv"
    edition.accounts.to_csv(sheet, index=False)
    files = sorted((outdir / "raw" / "twitter").glob("*.jsonl"))
    result = run(
        "ingest", *files, "--out", tmp_path / "out", "--organisations", sheet, "--demo-key"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0].split()[-4:] == [
        "read",
        "kept",
        "duplicates",
        "quarantined",
    ]
    store = read_store(tmp_path / "out" / "messages")
    truth = edition.messages
    assert len(store) == ((truth["platform"] == "twitter") & truth["collected"]).sum()
    assert (tmp_path / "out" / "summary.csv").exists()


def test_a_bad_file_gives_a_clear_message_and_exit_code(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"data": [{"id": "1", "text": "hi"}], "meta": {"result_count": 1}}\n')
    result = run("ingest", bad, "--out", tmp_path / "out", "--demo-key")
    assert result.returncode == 2
    assert "bad.jsonl: 1 of 1 messages quarantined" in result.stderr
    assert "Traceback" not in result.stderr
    # the raw record goes beside the output folder, not into it, and the message says where
    quarantine = tmp_path / "out-private" / "quarantine" / "0000-bad.jsonl.jsonl"
    assert f"listed in {quarantine}" in result.stderr
    entries = quarantine.read_text().splitlines()
    assert len(entries) == 1 and '"snippet"' in entries[0]
    assert not list((tmp_path / "out").rglob("*.jsonl"))


def test_a_missing_key_is_explained(tmp_path, monkeypatch):
    monkeypatch.delenv("ENGBENCH_PSEUDONYM_KEY", raising=False)
    bad = tmp_path / "x.jsonl"
    bad.write_text("")
    result = run("ingest", bad, "--out", tmp_path / "out")
    assert result.returncode == 2 and "ENGBENCH_PSEUDONYM_KEY" in result.stderr


def test_train_and_classify_commands(tmp_path):
    import pandas as pd

    from tests.conftest import ROOT

    labels = pd.read_csv(ROOT / "data/labels/coded_messages.csv").groupby("label").head(60)
    labels[["text", "label"]].to_csv(tmp_path / "labels.csv", index=False)
    result = run(
        "train", "--labels", tmp_path / "labels.csv", "--out", tmp_path / "model", "--folds", "3"
    )
    assert result.returncode == 0, result.stderr
    assert "macro-F1" in result.stdout and (tmp_path / "model" / "metadata.json").exists()
    messages = pd.DataFrame(
        {"id": [1, 2], "text": ["Waar blijft mijn pakket? Al 3 weken!", "Top, dank!"]}
    )
    messages.to_csv(tmp_path / "in.csv", index=False)
    result = run(
        "classify",
        "--model",
        tmp_path / "model",
        "--input",
        tmp_path / "in.csv",
        "--output",
        tmp_path / "out.csv",
    )
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns) == [
        "id",
        "text",
        "type",
        "p_complaint",
        "p_question",
        "p_compliment",
        "p_other",
    ]
    assert out["type"].isin(["complaint", "question", "compliment", "other"]).all()
    assert (
        "shares corrected for the classifier's errors "
        "(cross-validation on the coded training messages): complaint" in result.stdout
    )
    bad = run(
        "classify",
        "--model",
        tmp_path / "nope",
        "--input",
        tmp_path / "in.csv",
        "--output",
        tmp_path / "x.csv",
    )
    assert bad.returncode == 2 and "engbench train" in bad.stderr


def test_train_accepts_several_weighted_label_sources(tmp_path):
    import hashlib
    import json

    import pandas as pd

    from engbench.classify.model import data_hash
    from tests.conftest import ROOT

    written = pd.read_csv(ROOT / "data/labels/coded_messages.csv")
    first = written.groupby("label").head(40)[["text", "label"]]
    second = written.groupby("label").tail(15)[["text", "label"]].assign(weight=2.0)
    first.to_csv(tmp_path / "first.csv", index=False)
    second.to_csv(tmp_path / "second.csv", index=False)
    result = run(
        "train",
        "--labels",
        tmp_path / "first.csv",
        "--labels",
        tmp_path / "second.csv",
        "--weight",
        "1",
        "--weight",
        "0.5",
        "--out",
        tmp_path / "model",
        "--folds",
        "3",
    )
    assert result.returncode == 0, result.stderr
    metadata = json.loads((tmp_path / "model" / "metadata.json").read_text())
    assert metadata["training_messages"] == len(first) + len(second)
    sources = {s["source"]: s for s in metadata["sources"]}
    a, b = sources[str(tmp_path / "first.csv")], sources[str(tmp_path / "second.csv")]
    assert (a["messages"], a["total_weight"]) == (len(first), len(first))
    # the file's own weight column (2) times the source weight (0.5)
    assert (b["messages"], b["total_weight"]) == (len(second), len(second) * 2 * 0.5)
    assert a["sha256"] == data_hash(first.reset_index(drop=True))
    assert b["sha256"] != a["sha256"] and len(hashlib.sha256().hexdigest()) == len(b["sha256"])
    inside = metadata["validation_in_domain"]
    assert inside["source"] == str(tmp_path / "second.csv") and inside["messages"] == len(second)
    assert "on " + str(tmp_path / "second.csv") in result.stdout

    # 'balanced': as much total weight as the first; the default for a second source: 3
    result = run(
        "train",
        "--labels",
        tmp_path / "first.csv",
        "--labels",
        tmp_path / "second.csv",
        "--weight",
        "1",
        "--weight",
        "balanced",
        "--out",
        tmp_path / "balanced",
        "--folds",
        "3",
    )
    assert result.returncode == 0, result.stderr
    metadata = json.loads((tmp_path / "balanced" / "metadata.json").read_text())
    weights = [s["total_weight"] for s in metadata["sources"]]
    assert weights[0] == pytest.approx(weights[1]) and weights[0] == len(first)
    from engbench.classify.adapt import label_sources

    assert label_sources(["a.csv", "b.csv", {"path": "c.csv", "weight": "balanced"}]) == [
        ("a.csv", 1.0),
        ("b.csv", 3.0),
        ("c.csv", "balanced"),
    ]


def test_train_refuses_bad_weights(tmp_path):
    import pandas as pd

    from tests.conftest import ROOT

    written = pd.read_csv(ROOT / "data/labels/coded_messages.csv").groupby("label").head(12)
    written[["text", "label"]].assign(weight=["x"] + [1] * (len(written) - 1)).to_csv(
        tmp_path / "bad.csv", index=False
    )
    result = run("train", "--labels", tmp_path / "bad.csv", "--out", tmp_path / "m")
    assert result.returncode == 2
    assert "bad.csv: column weight must hold numbers >= 0 (lines 2" in result.stderr
    written[["text", "label"]].to_csv(tmp_path / "ok.csv", index=False)
    result = run(
        "train", "--labels", tmp_path / "ok.csv", "--weight", "heavy", "--out", tmp_path / "m"
    )
    assert result.returncode == 2 and "--weight: expected a number or 'balanced'" in result.stderr


def test_help_answers_without_importing_the_stages():
    """`engbench --help` imports neither pandas nor scikit-learn nor any stage (it answers in
    about 0.1 s; with them it took seconds)."""
    probe = (
        "import sys\n"
        "from engbench.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('pandas', 'numpy', 'sklearn', 'scipy', 'pyarrow', 'yaml', 'engbench.ingest',\n"
        "         'engbench.classify', 'engbench.config', 'engbench.organisations')\n"
        "print(sorted(m for m in sys.modules if any(m == h or m.startswith(h + '.')\n"
        "                                              for h in heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "usage: engbench" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_format_names_in_the_help_are_the_formats():
    from engbench.cli import FORMAT_NAMES
    from engbench.ingest.formats import FORMATS

    assert sorted(FORMAT_NAMES) == sorted(FORMATS) and list(FORMAT_NAMES) == sorted(FORMAT_NAMES)


def test_simulate_with_an_invalid_config_names_the_key(tmp_path):
    import yaml

    from tests.conftest import TEST_CONFIG

    config = yaml.safe_load(TEST_CONFIG.read_text())
    config["language"] = "de"
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(config))
    result = run("simulate", "--config", tmp_path / "bad.yaml", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "key `language`: found 'de'; expected one of nl, en" in result.stderr
    assert "Traceback" not in result.stderr


def test_simulate_writes_the_edition_the_tests_and_the_workflow_simulate(test_edition, tmp_path):
    """One config, one simulation: `engbench simulate` writes the same files (raw, panel,
    truth), byte for byte, as the test fixture (both through engbench.simulate)."""
    from tests.conftest import TEST_CONFIG

    _, fixture = test_edition
    result = run("simulate", "--config", TEST_CONFIG, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(fixture) for p in fixture.rglob("*") if p.is_file())
    assert len(files) >= 8 + 1 + 6  # raw archives, panel, truth
    assert files == sorted(
        p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*") if p.is_file()
    )
    for path in files:
        assert (tmp_path / "out" / path).read_bytes() == (fixture / path).read_bytes(), path


def test_init_writes_the_edition_and_says_what_to_check(tmp_path):
    from tests.test_edition_setup import write_export

    pattern = write_export(tmp_path / "data" / "export")
    config_dir = tmp_path / "config"
    args = ("init", "trial-2024", "--source", pattern, "--config-dir", config_dir)
    result = run(*args, "--language", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"wrote {config_dir / 'trial-2024.yaml'}: edition trial-2024, period 2024-03-01" in out
    assert "format mapped_table, columns message_id=tweet_id" in out
    assert "2 accounts proposed as organisations" in out
    assert "(`sector` is empty in 2 of 2 rows)" in out
    assert out.rstrip().endswith(
        f"Then run:\n  snakemake --cores 8 --configfile {config_dir / 'trial-2024.yaml'}"
    )
    assert "language: en" in (config_dir / "trial-2024.yaml").read_text()
    again = run(*args)
    assert again.returncode == 2
    assert "does not overwrite them (--force" in again.stderr and "Traceback" not in again.stderr
    assert run(*args, "--force").returncode == 0


def test_scan_personal_data_command(test_edition, tmp_path):
    """`engbench scan-personal-data` collects the edition's consumer ids and handles from its
    raw files and finds one planted in an output, masked; a clean folder passes."""
    import yaml

    from tests.conftest import TEST_CONFIG

    edition, outdir = test_edition
    sheet = tmp_path / "orgs.csv"
    edition.accounts.to_csv(sheet, index=False)
    config = yaml.safe_load(TEST_CONFIG.read_text())
    for source in config["sources"]:
        source["path"] = str(outdir / "raw" / source["name"] / "*.jsonl")
    config["organisations"] = str(sheet)
    config["demo"]["enabled"] = False
    (tmp_path / "key").write_text("a-key-of-enough-length-for-a-real-edition\n")
    config["privacy"]["key_file"] = str(tmp_path / "key")
    (tmp_path / "edition.yaml").write_text(yaml.safe_dump(config))
    outputs = tmp_path / "results"
    outputs.mkdir()
    (outputs / "league.csv").write_text("org_id,index,n\nrailned,0.31,123456789012\n")
    result = run("scan-personal-data", outputs, "--config", tmp_path / "edition.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 found" in result.stdout

    raw = "".join(p.read_text() for p in (outdir / "raw" / "twitter").glob("*.jsonl"))
    twitter = edition.consumers[edition.consumers["platform"] == "twitter"]
    handle = next(h for h in twitter["handle"] if len(h) >= 6 and f'"{h}"' in raw)
    (outputs / "notes.txt").write_text(f"asked by @{handle}\n")
    result = run("scan-personal-data", outputs, "--config", tmp_path / "edition.yaml")
    assert result.returncode == 1
    assert "notes.txt: line 1: handle" in result.stdout
    assert handle not in result.stdout
