"""What jobs ask of a scheduler: memory and run time grow with the inputs and the attempt."""

from __future__ import annotations

import pytest

from engbench.resources import (
    NEEDS,
    input_megabytes,
    memory_mb,
    rule_needs,
    runtime_minutes,
    simulate_need,
)


def test_a_directory_counts_the_files_below_it_and_a_missing_path_nothing(tmp_path):
    store = tmp_path / "messages" / "org=a"
    store.mkdir(parents=True)
    (store / "part-0.parquet").write_bytes(b"x" * 2_000_000)
    (tmp_path / "sheet.csv").write_bytes(b"y" * 500_000)
    paths = [tmp_path / "messages", tmp_path / "sheet.csv", tmp_path / "not-yet"]
    assert input_megabytes(paths) == pytest.approx(2.5)


def test_memory_grows_with_the_store_and_with_each_retry(tmp_path):
    small, large = tmp_path / "small.parquet", tmp_path / "large.parquet"
    small.write_bytes(b"x" * 1_000_000)
    large.write_bytes(b"x" * 40_000_000)
    need = NEEDS["thread_index"]
    assert memory_mb("thread_index", [small]) >= need.base_mb + need.mb_per_mb * 1
    assert memory_mb("thread_index", [large]) > memory_mb("thread_index", [small])
    assert (
        memory_mb("thread_index", [large], attempt=2)
        >= 2 * memory_mb("thread_index", [large]) - 100
    )
    assert runtime_minutes("metrics", [large], attempt=3) > runtime_minutes("metrics", [large])


def test_figures_are_whole_megabytes_and_minutes():
    assert memory_mb("small") % 100 == 0 and runtime_minutes("small") % 5 == 0


def test_the_simulator_asks_by_its_size_and_covers_the_measured_peaks():
    # measured peaks (docs/performance.md): 622 MB at 347,903 messages, 4,263 MB at 3,488,258
    assert simulate_need(347_903)[0] >= 622
    assert simulate_need(3_488_258)[0] >= 4_263
    assert simulate_need(3_488_258, attempt=2)[0] > simulate_need(3_488_258)[0]


def test_an_unknown_stage_fails_when_the_workflow_is_read():
    with pytest.raises(KeyError):
        rule_needs("thread")
    assert set(rule_needs("threads")) == {"mem_mb", "runtime"}
    assert (
        rule_needs("simulate", n_simulated=1_000_000)["mem_mb"](None, 1)
        == simulate_need(1_000_000)[0]
    )


def test_a_part_of_a_stage_asks_for_its_share_of_the_inputs(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "shard-0.parquet").write_bytes(b"x" * 200_000_000)
    whole = memory_mb("threads_shard", [index])
    quarter = memory_mb("threads_shard", [index], share=0.25)
    need = NEEDS["threads_shard"]
    assert whole >= need.base_mb + need.mb_per_mb * 200
    assert need.base_mb + need.mb_per_mb * 50 <= quarter < whole
    needs = rule_needs("threads_shard", share=lambda wildcards: 0.25)
    assert needs["mem_mb"]({}, [index], 1) == quarter
    assert needs["runtime"]({}, [index], 2) == runtime_minutes("threads_shard", [index], 2, 0.25)
