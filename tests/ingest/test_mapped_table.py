"""mapped_table: CSV/XLSX exports read through a `columns:` mapping from the config.

Real samples: customer-support-twcs/ (Kaggle "Customer Support on Twitter": Kaggle's own
sample.csv, and the first 5,000 rows re-exported by pandas). The small tables written in
tmp_path reproduce, one at a time, the damage an Excel round trip does (documented in
bad-inputs-real/SOURCES.md; the real damaged files are tested in test_bad_inputs.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engbench.ingest import mapped_table
from engbench.ingest.records import Bad, IngestError, ParseContext
from tests.ingest.conftest import accounts_sheet

TWCS = {
    "message_id": "tweet_id",
    "author_id": "author_id",
    "author_handle": "author_id",
    "created_at": "created_at",
    "text": "text",
    "parent_id": "in_response_to_tweet_id",
}
TWCS_OPTIONS = {"columns": TWCS, "platform": "twitter"}
SHEET = """org_id,name,sector,platform,handle,account_id
sprint,Sprint,telecom,twitter,sprintcare,sprintcare
apple,Apple,tech,twitter,AppleSupport,AppleSupport
amazon,Amazon,retail,twitter,AmazonHelp,AmazonHelp
"""
SIMPLE = {"message_id": "id", "author_id": "user", "created_at": "date", "text": "text"}


def _consumers(path: Path) -> set[str]:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    return set(raw.loc[raw["author_id"].str.fullmatch(r"\d+"), "author_id"])


def _check_no_consumer(rows: pd.DataFrame, consumers: set[str]) -> None:
    assert not consumers & set(rows["author_id"])
    assert rows.loc[~rows["is_org"], "author_id"].str.fullmatch(r"u[0-9a-f]{16}").all()
    mentioned = set(re.findall(r"(?<![\w@])@(\w+)", "\n".join(rows["text"].dropna())))
    assert not consumers & mentioned  # "@115712 …" became "@user …"


def test_twcs_pandas_export(ingest, fixtures_dir):
    path = fixtures_dir / "customer-support-twcs" / "twcs_first5000_pandas-export.csv"
    rows, summary, bad = ingest(
        path, fmt="mapped_table", options=TWCS_OPTIONS, accounts=accounts_sheet(SHEET)
    )
    # Tweet 3399's text holds two bare carriage returns that pandas wrote unquoted: CSV readers
    # split it into two broken rows (6 and 3 fields), quarantined; the other 4,999 are kept.
    assert (summary.read, summary.kept, summary.quarantined) == (5001, 4999, 2)
    assert [(b["location"], b["reason"]) for b in bad] == [
        ("line 2589", "6 fields where the header has 8"),
        ("line 2591", "3 fields where the header has 8"),
    ]
    # ids are clean strings: pandas' float parent ids ("3.0") lose their ".0"
    assert rows["message_id"].str.fullmatch(r"\d+").all() and rows["message_id"].is_unique
    assert rows["parent_id"].dropna().str.fullmatch(r"\d+").all()
    assert rows.set_index("message_id").loc["1", "parent_id"] == "3"
    # 3,694 parent links; 3,688 resolve in the file (SOURCES.md), 3,687 here: one points to 3399
    parents = rows["parent_id"].dropna()
    resolved = parents.isin(set(rows["message_id"]))
    assert (len(parents), resolved.sum()) == (3694, 3687)
    assert "3399" in set(parents[~resolved])
    # brand accounts from the sheet are organisations; consumers (numbers) are pseudonymised
    assert rows["is_org"].sum() == 364
    assert set(rows.loc[rows["is_org"], "author_id"]) == {
        "sprintcare",
        "AppleSupport",
        "AmazonHelp",
    }
    first = rows.set_index("message_id").loc["2"]  # "@sprintcare and how do you propose…"
    assert (first["is_org"], first["org_id"], list(first["addressed_org_ids"])) == (
        False,
        "sprint",
        ["sprint"],
    )
    _check_no_consumer(rows, _consumers(path))
    assert rows.set_index("message_id").loc["1", "created_at"] == dt.datetime(
        2017, 10, 31, 22, 10, 47, tzinfo=dt.UTC
    )
    assert str(rows["created_at"].dt.tz) == "UTC"


def test_twcs_kaggle_sample(ingest, fixtures_dir):
    path = fixtures_dir / "customer-support-twcs" / "twcs_kaggle_sample.csv"
    rows, summary, bad = ingest(
        path, fmt="mapped_table", options=TWCS_OPTIONS, accounts=accounts_sheet(SHEET)
    )
    assert (summary.kept, bad) == (93, [])
    parents = rows["parent_id"].dropna()
    assert (len(parents), parents.isin(set(rows["message_id"])).sum()) == (68, 66)
    assert rows["is_org"].sum() == 14  # AppleSupport 13, sprintcare 1; other brands: not in sheet
    assert rows.loc[~rows["is_org"], "author_id"].str.startswith("u").all()
    _check_no_consumer(rows, _consumers(path))


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


def test_values_cleaned_and_rows_checked(ingest, tmp_path):
    path = _write(
        tmp_path / "export.csv",
        "id,user,date,text,reply_to,likes\n"
        "3.0,17.0,2024-03-01 10:00:00,first,,4.0\n"
        "4,17,2024-03-01 10:05:00,  second  ,3.0,\n"
        ",17,2024-03-01 10:06:00,no id,,\n"
        "6,17,yesterday,bad date,,\n",
    )
    options = {
        "columns": {**SIMPLE, "parent_id": "reply_to", "like_count": "likes"},
        "platform": "twitter",
    }
    rows, _, bad = ingest(
        path, fmt="mapped_table", options=options, timezone="Europe/Amsterdam", max_share=1
    )
    assert list(rows["message_id"]) == ["3", "4"]
    assert list(rows["parent_id"].fillna("-")) == ["-", "3"]
    assert list(rows["like_count"].fillna(-1)) == [4, -1]
    assert list(rows["text"]) == ["first", "second"]
    # naive times are read in the source's time zone (CET in March)
    assert rows["created_at"].iloc[0] == dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)
    assert [(b["location"], b["field"]) for b in bad] == [("line 4", "id"), ("line 5", "date")]
    assert "column 'id' (message_id) is empty" in bad[0]["reason"]
    assert bad[1]["reason"].startswith("column 'date' (created_at):")


def test_platform_column_and_date_format(ingest, tmp_path):
    path = _write(
        tmp_path / "coosto.csv",
        "bericht id;auteur;datum;tekst;medium\n"
        "a1;k1;31-01-2024 09:15;Hallo @OranjeCare;Twitter\n"
        "a2;k2;31-01-2024 09:20;Reactie;X\n"
        "a3;k3;31-01-2024 09:25;Nieuws;nieuws\n",
    )
    columns = {
        "message_id": "bericht id",
        "author_id": "auteur",
        "created_at": "datum",
        "text": "tekst",
        "platform": "medium",
    }
    sheet = accounts_sheet(
        "org_id,name,sector,platform,handle,account_id\n"
        "oranje,Oranje,airline,twitter,oranjecare,12345\n"
    )
    rows, _, bad = ingest(
        path,
        fmt="mapped_table",
        accounts=sheet,
        max_share=1,
        options={"columns": columns, "date_format": "%d-%m-%Y %H:%M"},
        timezone="Europe/Amsterdam",
    )
    assert list(rows["platform"]) == ["twitter", "twitter"]
    assert rows["created_at"].iloc[0] == dt.datetime(2024, 1, 31, 8, 15, tzinfo=dt.UTC)
    assert rows["org_id"].iloc[0] == "oranje"  # the @-mention addresses the organisation
    assert [(b["location"], b["field"], b["reason"]) for b in bad] == [
        ("line 4", "platform", "unknown platform 'nieuws'")
    ]


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("id,user,date,text\n1,u,2024-01-01,x\n", {}, "needs a `columns:` mapping"),
        (
            "id,user,date,text\n1,u,2024-01-01,x\n",
            {"columns": {"message_id": "id", "text": "text"}},
            "no column given for author_id, created_at",
        ),
        (
            "id,user,date,text\n1,u,2024-01-01,x\n",
            {"columns": SIMPLE},
            "no platform: map a `platform` column or set `platform:`",
        ),
        (
            "tweet_id,user,date,text\n1,u,2024-01-01,x\n",
            {"columns": {**SIMPLE, "lang": "language"}, "platform": "twitter"},
            "mapped column(s) 'id', 'language' not in the file; its columns are 'tweet_id', "
            "'user', 'date', 'text'",
        ),
    ],
)
def test_configuration_errors(ingest, tmp_path, text, options, message):
    path = _write(tmp_path / "export.csv", text)
    with pytest.raises(IngestError) as error:
        ingest(path, fmt="mapped_table", options=options)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def _damaged(tmp_path, rows: list[str], header="id,user,date,text") -> Path:
    return _write(tmp_path / "damaged.csv", header + "\n" + "\n".join(rows) + "\n")


def test_ids_rounded_by_excel(ingest, tmp_path):
    path = _damaged(
        tmp_path, [f"57030613367776{i % 4}000,u{i},2015-02-24 11:35:52,t" for i in range(6)]
    )
    with pytest.raises(IngestError) as error:
        ingest(path, fmt="mapped_table", options={"columns": SIMPLE, "platform": "twitter"})
    text = str(error.value)
    assert text.startswith(f"{path}: the file was damaged")
    assert "column 'id' (message_id): 6 of 6 ids of 16+ digits end in zeros" in text
    assert "(2 collisions: 4 rows share an id with another row)" in text


def test_clean_long_ids_are_not_flagged(ingest, tmp_path):
    path = _damaged(
        tmp_path, [f"1711000000000000{i:03d},u,2024-01-01 10:00:00,t" for i in range(1, 9)]
    )
    rows, _, _ = ingest(
        path, fmt="mapped_table", options={"columns": SIMPLE, "platform": "twitter"}
    )
    assert len(rows) == 8  # one id ends in 000 (…008 does not): not Excel's pattern


def test_ids_as_floats(ingest, tmp_path):
    path = _damaged(tmp_path, ["1.70306E+18,u,2024-01-01 10:00:00,t", "2,u,2024-01-01 10:00:00,t"])
    with pytest.raises(IngestError, match=r"column 'id' \(message_id\): 1 id\(s\) written as"):
        ingest(path, fmt="mapped_table", options={"columns": SIMPLE, "platform": "twitter"})
    record = {"id": "1.70306E+18", "user": "u", "date": "2024-01-01", "text": "t"}
    [bad] = mapped_table.parse(record, "line 2", ParseContext("f", {"columns": SIMPLE}))
    assert "scientific notation" in bad.reason and bad.field == "id"


def test_excel_serial_dates_refused_or_converted(ingest, tmp_path):
    path = _damaged(tmp_path, ["1,u,42059.4832407407,t", "2,u,42059.4694328704,t"])
    options = {"columns": SIMPLE, "platform": "twitter"}
    with pytest.raises(IngestError) as error:
        ingest(path, fmt="mapped_table", options=options)
    assert "column 'date' (created_at): 2 of 2 dates are Excel serial day numbers" in str(
        error.value
    )
    assert "`excel_dates: convert`" in str(error.value)
    rows, _, _ = ingest(
        path,
        fmt="mapped_table",
        timezone="America/Los_Angeles",
        options={**options, "excel_dates": "convert"},
    )
    # 42059.4832407407 = 2015-02-24 11:35:52 local time; PST is UTC-8
    assert rows["created_at"].iloc[0] == dt.datetime(2015, 2, 24, 19, 35, 52, tzinfo=dt.UTC)


def test_formula_prefixed_texts(ingest, tmp_path):
    lines = [f"{i},u,2024-01-01 10:00:00,{'=' if i < 4 else ''}@brand hello" for i in range(1, 9)]
    path = _damaged(tmp_path, lines)
    with pytest.raises(IngestError, match=r"column 'text' \(text\): 3 of 8 texts start with '='"):
        ingest(path, fmt="mapped_table", options={"columns": SIMPLE, "platform": "twitter"})
    # one text in a hundred that starts with "=" is a text, not damage
    lines = [f"{i},u,2024-01-01 10:00:00,{'=)' if i == 1 else 'ok'}" for i in range(1, 120)]
    rows, _, _ = ingest(
        _damaged(tmp_path, lines),
        fmt="mapped_table",
        options={"columns": SIMPLE, "platform": "twitter"},
    )
    assert rows["text"].iloc[0] == "=)"


def test_tsv_wrapped_by_excel(ingest, tmp_path):
    path = _write(
        tmp_path / "wrapped.csv",
        '"id\tuser\tdate\ttext";;;;\r\n"1\tu\t2024-01-01\thallo";;;;\r\n',
    )
    with pytest.raises(IngestError) as error:
        ingest(path, fmt="mapped_table", options={"columns": SIMPLE, "platform": "twitter"})
    text = str(error.value)
    assert text.startswith(f"{path}: every row is one quoted field holding tab-separated values")
    assert "1 of 1 rows have this shape" in text and "'Text (Tab delimited)'" in text


def _xlsx(path: Path, rows: list[list]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Export"
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


XLSX_ROWS = [
    ["id", "user", "date", "text", "reply_to"],
    ["1711000000000000001", "klant", dt.datetime(2024, 3, 1, 10, 0), "hallo", None],
    ["1711000000000000002", "merk", "2024-03-01T09:30:00Z", "  antwoord ", 3.0],
    [None, None, None, None, None],
]


def test_xlsx_records():
    """XLSX rows through ``records`` (openpyxl) and ``parse``."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = _xlsx(Path(folder) / "export.xlsx", XLSX_ROWS)
        context = ParseContext(
            str(path),
            {"columns": {**SIMPLE, "parent_id": "reply_to"}, "platform": "twitter"},
            "Europe/Amsterdam",
        )
        mapped_table.check_file(path, context)
        items = list(mapped_table.records(path, context))
        assert [loc for loc, _ in items] == ["sheet Export, row 2", "sheet Export, row 3"]
        parsed = [p for loc, rec in items for p in mapped_table.parse(rec, loc, context)]
        assert [p["message_id"] for p in parsed] == ["1711000000000000001", "1711000000000000002"]
        assert parsed[0]["created_at"] == dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
        assert parsed[1]["parent_id"] == "3" and parsed[1]["text"] == "antwoord"
        with pytest.raises(IngestError, match="no worksheet 'Data'"):
            mapped_table.check_file(
                path, ParseContext(str(path), {**context.options, "sheet": "Data"})
            )


def test_xlsx_ids_rounded_by_excel(tmp_path):
    rows = [["id", "user", "date", "text"]] + [
        [float(570306133677760000 + 1000 * (i % 2)), "u", "2015-02-24", "t"] for i in range(4)
    ]
    path = _xlsx(tmp_path / "export.xlsx", rows)
    with pytest.raises(IngestError, match=r"4 of 4 ids of 16\+ digits end in zeros.*2 collisions"):
        mapped_table.check_file(
            path, ParseContext(str(path), {"columns": SIMPLE, "platform": "twitter"})
        )


def test_xlsx_through_ingest(ingest, tmp_path):
    path = _xlsx(tmp_path / "export.xlsx", XLSX_ROWS)
    rows, _, bad = ingest(
        path,
        fmt="mapped_table",
        timezone="Europe/Amsterdam",
        options={"columns": SIMPLE, "platform": "twitter"},
    )
    assert bad == [] and list(rows["message_id"]) == ["1711000000000000001", "1711000000000000002"]


VALUES = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["3.0", "1.7E+18", "42059.48", "=x", "", "  ", "Twitter", "X", "1e400"]),
    st.integers().map(str),
    st.floats(),
    st.datetimes(),
    st.booleans(),
)
KEYS = st.sampled_from(["id", "user", "date", "text", "reply_to", "likes", "medium", "other"])


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(KEYS, VALUES, max_size=8) | st.none() | st.lists(st.integers()),
    st.sampled_from([None, "convert"]),
    st.sampled_from([None, "%d-%m-%Y", "%Q"]),
)
def test_parse_never_raises(record, excel_dates, date_format):
    columns = {**SIMPLE, "parent_id": "reply_to", "like_count": "likes", "platform": "medium"}
    options = {"columns": columns, "excel_dates": excel_dates, "date_format": date_format}
    for item in mapped_table.parse(record, "line 2", ParseContext("f.csv", options)):
        assert isinstance(item, dict | Bad)
