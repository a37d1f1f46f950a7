"""Opening an edition's results the way the notebooks do."""

from __future__ import annotations

import pytest

from engbench.results import open_edition, results_folder


def test_the_results_folder_is_found_from_the_notebooks_folder(tmp_path, monkeypatch):
    (tmp_path / "results/test-2017/metrics").mkdir(parents=True)
    (tmp_path / "notebooks").mkdir()
    assert results_folder(tmp_path / "notebooks") == tmp_path / "results"
    assert results_folder(tmp_path) == tmp_path / "results"
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("ENGBENCH_RESULTS", raising=False)
    monkeypatch.setenv("ENGBENCH_EDITION", "test-2017")
    assert open_edition().folder.resolve() == (tmp_path / "results/test-2017").resolve()


def test_a_missing_edition_names_the_editions_there(tmp_path, monkeypatch):
    (tmp_path / "results/test-2017/metrics").mkdir(parents=True)
    monkeypatch.setenv("ENGBENCH_RESULTS", str(tmp_path / "results"))
    monkeypatch.delenv("ENGBENCH_EDITION", raising=False)
    with pytest.raises(FileNotFoundError, match=r"demo-2017.*ENGBENCH_EDITION.*: test-2017"):
        open_edition()
    assert open_edition("test-2017").folder == tmp_path / "results/test-2017"
