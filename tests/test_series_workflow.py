"""The series workflow: every edition as a module of the same workflow, then the series;
a definition that differs between editions stops it before any job (unless accepted)."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from tests.conftest import project_copy, snakemake_command


def dry_run(workdir, config="config/test/series.yaml"):
    return subprocess.run(
        snakemake_command(workdir, "-n", "--cores", "1", config=config),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=workdir,
    )


@pytest.fixture
def project(tmp_path):
    return project_copy(tmp_path)


def follow_up_with_window(project, days, accept=None):
    path = project / "config/test/config-2018.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["answer_window_days"] = days
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    if accept is not None:
        series = project / "config/test/series.yaml"
        spec = yaml.safe_load(series.read_text(encoding="utf-8"))
        spec["series"]["accept"] = accept
        series.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")


def test_the_series_builds_every_edition_then_compares_them(project):
    run = dry_run(project)
    assert run.returncode == 0, run.stderr + run.stdout
    out = run.stdout
    for job in ("test_2017_metrics", "test_2018_metrics", "test_2017_definitions"):
        assert job in out
    for job in (
        "series_changes",
        "series_report",
        "series_pdf",
        "series_demo_validation",
        "test_2018_report",
    ):
        assert job in out
    assert "results/series/test/changes.csv" in out


def test_a_changed_definition_stops_the_series_naming_it_and_both_values(project):
    follow_up_with_window(project, 3)
    run = dry_run(project)
    assert run.returncode != 0
    message = run.stderr + run.stdout
    assert "answer_window_days: 7 in test-2017, 3 in test-2018" in message
    assert "series_changes" not in run.stdout


def test_an_accepted_difference_lets_the_series_run(project):
    follow_up_with_window(project, 3, accept={"answer_window_days": "shorter window from 2018"})
    run = dry_run(project)
    assert run.returncode == 0, run.stderr + run.stdout
    assert "series_changes" in run.stdout


def test_an_invalid_series_config_names_the_key(project):
    path = project / "config/test/series.yaml"
    path.write_text("series:\n  name: test\n  editions: [config/test/config.yaml]\n")
    run = dry_run(project)
    assert run.returncode != 0
    assert "series.editions" in run.stderr + run.stdout


def test_one_edition_alone_runs_as_before(project):
    run = dry_run(project, config="config/test/config.yaml")
    assert run.returncode == 0, run.stderr + run.stdout
    assert "series_changes" not in run.stdout
    assert "\nrule metrics:" in run.stdout or "rule metrics" in run.stdout
    assert "results/test-2017/definitions.json" in run.stdout
