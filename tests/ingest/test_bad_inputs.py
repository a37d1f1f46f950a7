"""Damaged and odd input files: each gets a clear, documented outcome.

Real damage from bad-inputs-real/ (see its SOURCES.md): a twarc2 stream cut off mid-line, a
Dutch TSV and the Kaggle "Twitter US Airline Sentiment" CSV after Excel round trips. The other
files are written here: empty files, encodings, a JSON array cut off, formats nobody knows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engbench.ingest.detect import detect_format
from engbench.ingest.records import IngestError

FIXTURES = Path(__file__).parent / "fixtures"
AIRLINE = {
    "message_id": "tweet_id",
    "author_id": "name",
    "author_handle": "name",
    "created_at": "tweet_created",
    "text": "text",
}


def test_twarc_stream_cut_off(ingest, fixtures_dir):
    path = fixtures_dir / "bad-inputs-real" / "twarccsv_streaming_output_with_error.jsonl"
    with pytest.raises(IngestError) as error:
        ingest(path)  # default threshold: 1% of records may be quarantined
    message = str(error.value)
    assert message.startswith(f"{path}: 1 of 12 messages quarantined (8.3%")
    assert "First bad record: line 8: line cut off" in message

    rows, summary, bad = ingest(path, max_share=0.2)
    lines = path.read_text(encoding="utf-8").splitlines()
    stream = [json.loads(line)["data"]["id"] for line in lines[:7]]
    assert set(stream) <= set(rows["message_id"])  # the 7 good tweets…
    assert len(rows) == 11  # …and the 4 tweets they reference (includes.tweets)
    assert summary.quarantined == 1 and [b["location"] for b in bad] == ["line 8"]
    assert bad[0]["reason"].startswith("line cut off")


def test_dutch_tsv_wrapped_by_excel(ingest, fixtures_dir):
    """Each row one quoted field of tab-separated values plus ";;;;": refused, explained."""
    path = fixtures_dir / "bad-inputs-real" / "dutch_unseen_tweets_excel-mangled.csv"
    with pytest.raises(IngestError, match="could not recognise the format"):
        detect_format(path)
    # a researcher's mapping, with an id column the file does not have
    columns = {"message_id": "ID", "author_id": "AUTEUR", "created_at": "DATUM", "text": "CONTENT"}
    with pytest.raises(IngestError) as error:
        ingest(path, fmt="mapped_table", options={"columns": columns, "platform": "twitter"})
    message = str(error.value)
    assert message.startswith(
        f"{path}: every row is one quoted field holding tab-separated values, with empty fields "
        "after it (first line '\"AUTEUR\\tDATUM\\tPARTIJ\\tCONTENT\";;;;'; 2,456 of 2,458 rows "
        "have this shape): a tab-separated file that was opened in Excel and saved as CSV."
    )
    assert "save it from Excel as 'Text (Tab delimited)'" in message
    assert message.endswith(
        "mapped column(s) 'ID' are not among the wrapped columns 'AUTEUR', 'DATUM', 'PARTIJ', "
        "'CONTENT'."
    )


def test_airline_csv_after_excel(ingest, fixtures_dir):
    """Every kind of damage found is listed; the file is refused."""
    path = fixtures_dir / "bad-inputs-real" / "us_airline_Tweets_excel-mangled.csv"
    options = {"columns": AIRLINE, "platform": "twitter"}
    with pytest.raises(IngestError) as error:
        ingest(path, fmt="mapped_table", options=options)
    message = str(error.value)
    assert message.startswith(f"{path}: the file was damaged, most likely by a round trip")
    problems = message.split("\n  - ")[1:]
    assert len(problems) == 4
    assert problems[0] == (
        "column 'tweet_id' (message_id): 14,638 of 14,638 ids of 16+ digits end in zeros after "
        "the 15th digit — rounded to 15 significant digits by Excel; the real ids are lost "
        "(155 collisions: 310 rows share an id with another row)"
    )
    assert problems[1].startswith(
        "column 'tweet_created' (created_at): 14,638 of 14,638 dates are Excel serial day numbers "
        "(e.g. 42059.4832407407)"
    )
    # SOURCES.md counts 3,717 texts with "="; two of them are in the rows with invalid UTF-8
    assert problems[2].startswith("column 'text' (text): 3,715 of 14,638 texts start with '='")
    assert problems[3].startswith(
        "2 row(s) hold bytes that are not valid text in the file's encoding (line 8073, line 13825)"
    )
    # telling engbench how to read the serial dates does not bring the ids back
    with pytest.raises(IngestError) as error:
        ingest(
            path,
            fmt="mapped_table",
            timezone="America/Los_Angeles",
            options={**options, "excel_dates": "convert"},
        )
    assert "rounded to 15 significant digits" in str(error.value)
    assert "Excel serial" not in str(error.value)


@pytest.mark.parametrize("name", ["empty.csv", "empty.jsonl", "blank.json"])
def test_empty_file(ingest, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"" if name != "blank.json" else b"\xef\xbb\xbf \n\n")
    rows, summary, bad = ingest(path)
    assert (len(rows), summary.read, bad, summary.empty) == (0, 0, [], True)
    assert summary.notes == ["empty file: no records"]


def test_header_only_csv(ingest, tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("id,thread_id,author,body,timestamp\n", encoding="utf-8")
    rows, summary, _ = ingest(path, options={"platform": "twitter"})
    assert summary.source_format == "fourcat_csv" and summary.empty and len(rows) == 0


FOURCAT = (
    "id,thread_id,author,body,timestamp\n"
    '1,1,klant_a,"Café zegt: 5 € te veel, “gênant”",2020-01-01 10:00:00\n'
)


def test_utf8_bom_csv(ingest, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + FOURCAT.encode("utf-8"))
    assert detect_format(path) == "fourcat_csv"  # the BOM is not part of the first column
    rows, _, bad = ingest(path, options={"platform": "twitter"})
    assert bad == [] and list(rows["message_id"]) == ["1"]
    assert rows["text"].iloc[0] == "Café zegt: 5 € te veel, “gênant”"


def test_cp1252_csv(ingest, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(FOURCAT.replace(",", ";").encode("cp1252"))  # Excel on Windows, NL locale
    columns = {"message_id": "id", "author_id": "author", "created_at": "timestamp", "text": "body"}
    rows, _, bad = ingest(
        path, fmt="mapped_table", options={"columns": columns, "platform": "twitter"}
    )
    assert bad == []
    assert rows["text"].iloc[0] == "Café zegt: 5 € te veel; “gênant”"


def test_json_array_cut_off(ingest, tmp_path):
    text = (FIXTURES / "customer_care_json" / "conversations.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index('"sessionID": "cccc')], encoding="utf-8")
    rows, summary, bad = ingest(path, max_share=1)
    assert summary.source_format == "customer_care_json"
    assert summary.kept == len(rows) == 6  # the first two conversations: 4 turns + 2 replies
    assert [b["location"] for b in bad] == ["$[2]"]
    assert bad[0]["reason"].startswith("JSON array cut off or damaged after element 1")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("odd.json", '{"foo": 1, "bar": [1, 2]}', "JSON, but not a format engbench recognises"),
        ("odd.jsonl", '{"foo": 1}\n{"foo": 2}\n', "JSON, but not a format engbench recognises"),
        ("odd.csv", "a;b;c\n1;2;3\n", "set `format: mapped_table` with a `columns:` mapping"),
        ("odd.txt", "just some words\n", "could not recognise the format"),
    ],
)
def test_unknown_format(ingest, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IngestError) as error:
        ingest(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
