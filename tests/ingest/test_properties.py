"""Property tests: random and corrupted records never crash a parser, and nothing is lost."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engbench.ingest.formats import FORMATS
from engbench.ingest.records import Bad, Block, ParseContext

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
# records that look like the formats' own, with fields of the wrong type or missing
field_names = st.sampled_from(
    [
        "data",
        "includes",
        "id",
        "text",
        "author_id",
        "created_at",
        "referenced_tweets",
        "public_metrics",
        "entities",
        "comments",
        "from",
        "message",
        "created_time",
        "parent",
        "to",
        "meta",
        "errors",
        "note_tweet",
    ]
)
lookalikes = st.dictionaries(field_names, json_values, max_size=8) | st.builds(
    lambda tweets: {"data": tweets, "includes": {"tweets": tweets, "users": tweets}, "meta": {}},
    st.lists(st.dictionaries(field_names, json_values, max_size=6), max_size=4),
)


@pytest.mark.parametrize("name", sorted(FORMATS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=json_values | lookalikes)
def test_parsers_never_raise(name, record):
    module = FORMATS[name]
    context = ParseContext(
        source_file="x",
        options={"platform": "twitter", "account_id": "1", "columns": {"message_id": "id"}},
    )
    if module.READER == "csv" and not isinstance(record, dict):
        return
    if module.READER == "csv":
        record = {str(k): "" if v is None else str(v) for k, v in record.items()}
    for item in module.parse(record, "line 1", context):
        assert isinstance(item, dict | Bad | Block)


def simulated_lines(test_edition, n=30):
    _, outdir = test_edition
    return (outdir / "raw" / "twitter" / "oranje_airways.jsonl").read_text().splitlines()[:n]


def corrupt(line: str, how: int, where: float) -> str:
    cut = max(1, int(len(line) * where))
    if how == 0:
        return line[:cut]  # cut off
    if how == 1:
        return line.replace('"created_at":"2017', '"created_at":"20x7', 1)
    if how == 2:
        return line.replace('"author_id":', '"author":', 1)
    if how == 3:
        return line[:cut] + "\x00\xff" + line[cut:]
    return line


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    damage=st.lists(st.tuples(st.integers(0, 29), st.integers(0, 4), st.floats(0, 1)), max_size=8)
)
def test_every_record_ends_as_a_row_or_in_quarantine(
    test_edition, ingest, tmp_path_factory, damage
):
    lines = simulated_lines(test_edition)
    damage = [(index % len(lines), how, where) for index, how, where in damage]
    for index, how, where in damage:
        lines[index] = corrupt(lines[index], how, where)
    folder = tmp_path_factory.mktemp("damaged")
    path = folder / "damaged.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
    _, _, bad = ingest(path, fmt="x_api_v2", max_share=1.0)  # asserts read = kept + quarantined
    damaged_lines = {f"line {i + 1}" for i, how, _ in damage if how in (0, 3)}
    quarantined_lines = {b["location"].split(",")[0] for b in bad}
    assert quarantined_lines >= {loc for loc in damaged_lines if not _still_valid(lines, loc)}


def _still_valid(lines, location) -> bool:
    try:
        json.loads(lines[int(location.split()[1]) - 1])
        return True
    except ValueError:
        return False
