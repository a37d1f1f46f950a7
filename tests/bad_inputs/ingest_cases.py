"""Bad inputs for ingest, each with its one expected outcome.

Every case is written here, by code, from small valid files in the formats real
collections arrive in (twarc2 pages of the X API v2, v1.1 statuses, 4CAT CSV): a
valid file, then the damage. A case says what the input is, the outcome expected
(``accepted``, ``quarantined``: the bad records counted and listed with the reason,
or ``refused``: an error naming the file, the place and what to do), the counts it
must give, the words the message must hold, and what happened before issue 15.
``docs/ingest.md`` lists the same cases (a test checks that none is missing there).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

START = dt.datetime(2017, 3, 1, 10, 0, tzinfo=dt.UTC)
FIRST_ID = 840_000_000_000_000_000
RAILNED = "2180484433"  # account ids of the test edition's organisations sheet


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def tweet(n: int, **changes) -> dict:
    """A v2 tweet as the API returns it with twarc2's default fields."""
    tweet_id = str(FIRST_ID + n)
    t = {
        "id": tweet_id,
        "text": f"@railned trein {n} staat weer stil bij Utrecht",
        "author_id": str(1_000_000 + n % 17),
        "conversation_id": tweet_id,
        "created_at": stamp(START + dt.timedelta(minutes=n)),
        "lang": "nl",
        "public_metrics": {
            "retweet_count": 0,
            "reply_count": 0,
            "like_count": n % 5,
            "quote_count": 0,
        },
        "edit_history_tweet_ids": [tweet_id],
        "entities": {"mentions": [{"start": 0, "end": 8, "username": "railned", "id": RAILNED}]},
    }
    t.update(changes)
    return t


def page(tweets: list[dict]) -> dict:
    users = sorted({t["author_id"] for t in tweets if "author_id" in t})
    return {
        "data": tweets,
        "includes": {
            "users": [{"id": u, "username": f"reiziger{u[-3:]}", "name": "R"} for u in users]
        },
        "meta": {
            "result_count": len(tweets),
            "newest_id": tweets[-1]["id"],
            "oldest_id": tweets[0]["id"],
        },
        "__twarc": {"url": "https://api.twitter.com/2/tweets/search/all", "version": "2.14.0"},
    }


def pages(n_pages: int, per_page: int, first: int = 0) -> list[dict]:
    return [
        page([tweet(first + p * per_page + i) for i in range(per_page)]) for p in range(n_pages)
    ]


def jsonl(records: list) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def twarc(n_pages: int = 3, per_page: int = 10, first: int = 0) -> bytes:
    return jsonl(pages(n_pages, per_page, first))


def with_tweet(n_before: int, odd: dict, raw: bytes | None = None) -> bytes:
    """A page of ``n_before`` good tweets and one odd tweet (as JSON, or as raw bytes)."""
    good = page([tweet(i) for i in range(n_before)])
    line = orjson.dumps(good)
    if raw is None:
        good["data"].append(odd)
        return jsonl([good])
    head, _, tail = line.partition(b'],"includes"')
    return head + b"," + raw + b'],"includes"' + tail + b"\n"


def v1_status(n: int) -> dict:
    return {
        "created_at": "Wed Mar 01 10:00:00 +0000 2017",
        "id": FIRST_ID + n,
        "id_str": str(FIRST_ID + n),
        "text": f"@railned vertraging {n}",
        "user": {"id": 1_000_000 + n, "id_str": str(1_000_000 + n), "screen_name": f"reiziger{n}"},
        "entities": {"user_mentions": [{"screen_name": "railned", "id_str": RAILNED}]},
        "favorite_count": 1,
        "retweet_count": 0,
        "lang": "nl",
    }


FOURCAT = "id,thread_id,author,body,timestamp,likes\n"


def fourcat(rows: list[tuple]) -> bytes:
    lines = [FOURCAT] + [",".join(str(v) for v in row) + "\n" for row in rows]
    return "".join(lines).encode("utf-8")


def fourcat_row(n: int, body: str | None = None, likes: object = 1) -> tuple:
    return (
        n,
        n,
        f"klant{n}",
        body or f"trein {n} te laat",
        f"2017-03-01 10:{n % 60:02d}:00",
        likes,
    )


def cut_page(per_page: int = 100, at: float = 0.5) -> bytes:
    """Three pages; the second cut off at ``at`` of its length (the rest of the line lost)."""
    lines = twarc(3, per_page).splitlines(keepends=True)
    lines[1] = lines[1][: int(len(lines[1]) * at)] + b"\n"
    return b"".join(lines)


def split_page(per_page: int = 100, lose: int = 0) -> bytes:
    """Three pages; a line break inserted in the middle of the second (``lose`` bytes lost
    at the break)."""
    lines = twarc(3, per_page).splitlines(keepends=True)
    middle = len(lines[1]) // 2
    middle = lines[1].index(b'"text"', middle) + 12  # inside a tweet's text
    lines[1] = lines[1][:middle] + b"\n" + lines[1][middle + lose :]
    return b"".join(lines)


@dataclass
class Case:
    """One bad input and its expected outcome.

    ``files``: relative path → bytes (None: a folder; ("link", target): a symbolic link).
    ``run``: ``cli`` (``engbench ingest`` on the top-level paths) or ``sources`` (the
    workflow's expansion of ``sources`` and one ingest job per file key, then the merge).
    ``counts``: totals over summary.csv that must hold (and ``files``: its rows).
    ``says``: words the error (refused), the quarantine reasons (quarantined) or the
    summary's notes (accepted) must hold. ``messages``: messages in the input, where
    known: read must equal it. ``old``/``why``: before issue 15, and why this outcome.
    """

    name: str
    area: str
    outcome: str
    files: Callable[[], dict]
    old: str
    why: str
    counts: dict = field(default_factory=dict)
    says: tuple[str, ...] = ()
    args: tuple[str, ...] = ()
    run: str = "cli"
    pattern: str = "raw/*.jsonl"
    messages: int | None = None
    check: Callable | None = None


def _read_before_cut(store, first: int, end: int) -> bool:
    """The tweets read from a cut page are its first k (k ≥ 40 of 100): nothing skipped."""
    ids = sorted(int(i) - FIRST_ID for i in store["message_id"] if first <= int(i) - FIRST_ID < end)
    return len(ids) >= 40 and ids == list(range(first, first + len(ids)))


def _text_of(store, n):
    return store.loc[store["message_id"] == str(FIRST_ID + n), "text"].iloc[0]


CASES = [
    # -- raw files: sources → one ingest job per file --------------------------------------
    Case(
        "file names differing only in a space",
        "raw files",
        "accepted",
        lambda: {"raw/rail ned.jsonl": twarc(1, 5), "raw/rail_ned.jsonl": twarc(1, 5, first=100)},
        old="one file key for both: one file never ingested, missing from summary.csv",
        why="keys are unique (a changed name gets a hash of the name): two jobs, two rows",
        counts={"files": 2, "kept": 10},
        run="sources",
    ),
    Case(
        "file names differing only in a diacritic",
        "raw files",
        "accepted",
        lambda: {"raw/coöp.jsonl": twarc(1, 5), "raw/coäp.jsonl": twarc(1, 5, first=100)},
        old="one file key (`co_p.jsonl`): one file silently lost",
        why="as above",
        counts={"files": 2, "kept": 10},
        run="sources",
    ),
    Case(
        "file names differing only in case",
        "raw files",
        "accepted",
        lambda: {"raw/Railned.jsonl": twarc(1, 5), "raw/railned.jsonl": twarc(1, 5, first=100)},
        old="two keys that are one file on macOS/Windows file systems",
        why="keys that clash without case get a hash: distinct on any file system",
        counts={"files": 2, "kept": 10},
        run="sources",
    ),
    Case(
        "a file name of 250 characters",
        "raw files",
        "accepted",
        lambda: {f"raw/{'x' * 244}.jsonl": twarc(1, 5)},
        old="the key is the whole name: `<key>.summary.json` is past the 255-byte limit (OSError)",
        why="long keys are shortened and given a hash",
        counts={"files": 1, "kept": 5},
        run="sources",
    ),
    Case(
        "a source path that is a folder",
        "raw files",
        "refused",
        lambda: {"raw/": None, "raw/a.jsonl": twarc(1, 5)},
        old="'matches no file' (misleading)",
        why="a folder is not a file: the message says so and gives a pattern",
        says=("is a folder, not a file", "raw/*.jsonl"),
        run="sources",
        pattern="raw",
    ),
    Case(
        "a folder matched by a file pattern",
        "raw files",
        "refused",
        lambda: {"raw/old.jsonl/": None, "raw/a.jsonl": twarc(1, 5)},
        old="skipped without a word",
        why="what the pattern names as a file must be one",
        says=("old.jsonl' is a folder, not a file",),
        run="sources",
    ),
    Case(
        "a link to a file that does not exist",
        "raw files",
        "refused",
        lambda: {"raw/a.jsonl": twarc(1, 5), "raw/b.jsonl": ("link", "gone.jsonl")},
        old="skipped without a word (a file of the edition missing)",
        why="a configured file that cannot be read must not vanish",
        says=("b.jsonl' is a link to a file that does not exist",),
        run="sources",
    ),
    Case(
        "one file matched by two sources",
        "raw files",
        "refused",
        lambda: {"raw/a.jsonl": twarc(1, 5)},
        old="ingested twice, every message counted as a duplicate",
        why="each file is read once; the message names both sources",
        says=("is matched by both source 'twitter' and source 'twitter_again'",),
        run="sources",
        pattern="raw/*.jsonl|raw/a.jsonl",
    ),
    Case(
        "a source pattern that matches nothing",
        "raw files",
        "refused",
        lambda: {"raw/a.jsonl": twarc(1, 5)},
        old="refused (kept)",
        why="a configured source without files is a mistake in the config",
        says=("path 'raw/*.json' matches no file",),
        run="sources",
        pattern="raw/*.json",
    ),
    # -- whole files given to `engbench ingest` ----------------------------------------------
    Case(
        "a folder given as a raw file",
        "files",
        "refused",
        lambda: {"raw/": None, "raw/a.jsonl": twarc(1, 5)},
        old="IsADirectoryError traceback",
        why="the message names the folder and how to give its files",
        says=("raw: a folder, not a file", "raw/*.jsonl"),
    ),
    Case(
        "a file that does not exist",
        "files",
        "refused",
        lambda: {"a.jsonl": twarc(1, 5), "missing.jsonl": ("absent", None)},
        old="refused (kept)",
        why="named, nothing else to do",
        says=("missing.jsonl: file not found",),
    ),
    Case(
        "a link to nothing given as a raw file",
        "files",
        "refused",
        lambda: {"a.jsonl": ("link", "gone.jsonl")},
        old="'file not found' (the link not mentioned)",
        why="names the link and its missing target",
        says=("a.jsonl: a link to 'gone.jsonl', which does not exist",),
    ),
    Case(
        "a zero-byte file as the only input",
        "files",
        "accepted",
        lambda: {"zero.jsonl": b""},
        old="[Errno 2] No such file or directory: 'out/messages.partial'",
        why="an empty file is not an error (flagged in the summary); the store is empty",
        counts={"files": 1, "read": 0, "kept": 0},
        says=("empty file: no records",),
        messages=0,
    ),
    Case(
        "a zero-byte file beside a good one",
        "files",
        "accepted",
        lambda: {"a.jsonl": twarc(1, 5), "zero.jsonl": b""},
        old="accepted (kept)",
        why="as above",
        counts={"files": 2, "read": 5, "kept": 5},
        says=("empty file: no records",),
        messages=5,
    ),
    Case(
        "JSONL in UTF-16 with a byte-order mark",
        "files",
        "refused",
        lambda: {"utf16.jsonl": twarc(1, 3).decode().encode("utf-16")},
        old="'could not recognise the format (columns [...])': a CSV message, no word on encoding",
        why="JSON is UTF-8 (RFC 8259); the message names the encoding and how to convert",
        says=("encoding: the file is UTF-16", "iconv -f UTF-16 -t UTF-8"),
    ),
    Case(
        "JSONL in UTF-16 without a byte-order mark",
        "files",
        "refused",
        lambda: {"utf16.jsonl": twarc(1, 3).decode().encode("utf-16-le")},
        old="'could not recognise the format'",
        why="as above",
        says=("encoding: the file is UTF-16 (no byte-order mark)",),
    ),
    Case(
        "JSONL in UTF-32",
        "files",
        "refused",
        lambda: {"utf32.jsonl": twarc(1, 3).decode().encode("utf-32")},
        old="'could not recognise the format'",
        why="as above",
        says=("encoding: the file is UTF-32",),
    ),
    Case(
        "JSONL in Latin-1",
        "files",
        "refused",
        lambda: {
            "latin1.jsonl": jsonl(
                [
                    page([tweet(i, text=f"Café {i}: één trein, geen koffie") for i in r])
                    for r in (range(5), range(5, 10))
                ]
            )
            .decode()
            .encode("latin-1")
        },
        old="'JSON, but not a format engbench recognises': no word on encoding",
        why="the whole file is in another encoding, not one damaged line: refused, named",
        says=("encoding: the file is not UTF-8 (byte 0xE9 on line 1", "Latin-1", "iconv"),
    ),
    Case(
        "a file of NUL bytes",
        "files",
        "refused",
        lambda: {"nul.jsonl": b"\x00" * 8192},
        old="'not a format engbench recognises'",
        why="the data was never written: the message says so",
        says=("holds only NUL bytes (8,192 bytes)", "copy or collect it again"),
    ),
    Case(
        "a gzip-compressed JSONL file",
        "files",
        "refused",
        lambda: {"a.jsonl.gz": gzip.compress(twarc(1, 3), mtime=0)},
        old="'could not recognise the format (columns ['\\x1f…'])'",
        why="named for what it is, with the command to unpack it",
        says=("gzip-compressed", "gunzip"),
    ),
    Case(
        "a ZIP archive",
        "files",
        "refused",
        lambda: {"a.zip": _zip({"a.jsonl": twarc(1, 3)})},
        old="'could not recognise the format'",
        why="as above",
        says=("a ZIP archive: unpack it",),
    ),
    Case(
        "UTF-8 BOM and CRLF line ends",
        "files",
        "accepted",
        lambda: {"a.jsonl": b"\xef\xbb\xbf" + twarc(2, 5).replace(b"\n", b"\r\n")},
        old="accepted (kept)",
        why="both are common and harmless",
        counts={"kept": 10, "quarantined": 0},
        messages=10,
    ),
    Case(
        "blank lines between pages",
        "files",
        "accepted",
        lambda: {"a.jsonl": twarc(2, 5).replace(b"\n", b"\n\n  \n")},
        old="accepted (kept)",
        why="blank lines hold nothing",
        counts={"kept": 10, "quarantined": 0},
        messages=10,
    ),
    Case(
        "a pretty-printed v2 response",
        "files",
        "accepted",
        lambda: {"a.json": json.dumps(page([tweet(i) for i in range(5)]), indent=2).encode()},
        old="accepted (kept)",
        why="one JSON document, read whole",
        counts={"kept": 5},
        messages=5,
    ),
    Case(
        "the same file given twice",
        "files",
        "accepted",
        lambda: {"a.jsonl": twarc(1, 5), "b.jsonl": twarc(1, 5)},
        old="accepted (kept)",
        why="the merge keeps one copy; the others are counted as duplicates",
        counts={"read": 10, "kept": 5, "duplicates": 5},
        messages=10,
    ),
    Case(
        "unknown JSON",
        "files",
        "refused",
        lambda: {"a.jsonl": jsonl([{"foo": 1}, {"foo": 2}])},
        old="refused (kept)",
        why="no format fits: the message lists the formats to choose from",
        says=("JSON, but not a format engbench recognises", "x_api_v2"),
    ),
    Case(
        "a 4CAT CSV in UTF-16 with a byte-order mark",
        "files",
        "accepted",
        lambda: {
            "a.csv": fourcat([fourcat_row(n, body=f"café {n}") for n in range(1, 6)])
            .decode()
            .encode("utf-16")
        },
        old="accepted (kept)",
        why="Excel's 'Unicode text': a CSV encoding with a byte-order mark is read",
        counts={"kept": 5, "quarantined": 0},
        args=("--option", "platform=twitter"),
        messages=5,
    ),
    Case(
        "a 4CAT CSV in cp1252",
        "files",
        "accepted",
        lambda: {
            "a.csv": fourcat([fourcat_row(n, body=f"café {n} €") for n in range(1, 6)])
            .decode()
            .encode("cp1252")
        },
        old="accepted (kept)",
        why="Excel on Windows writes cp1252: CSV is read in it when the bytes say so",
        counts={"kept": 5, "quarantined": 0},
        args=("--option", "platform=twitter"),
        check=lambda store, summary: "café 1 €" in set(store["text"]),
        messages=5,
    ),
    Case(
        "a JSON file holding one number",
        "files",
        "refused",
        lambda: {"a.json": b"12345\n"},
        old="refused (kept): 'could not recognise the format (columns ['12345'])'",
        why="not an archive of any format",
        says=("could not recognise the format",),
    ),
    # -- damaged lines and pages -------------------------------------------------------------
    Case(
        "a page holding only errors (deleted tweets)",
        "records",
        "accepted",
        lambda: {
            "a.jsonl": twarc(1, 5)
            + jsonl(
                [
                    {
                        "errors": [{"resource_id": "1", "title": "Not Found Error"}],
                        "meta": {"result_count": 0},
                    }
                ]
            )
        },
        old="accepted (kept)",
        why="an error entry describes a tweet the API could not return: not a record",
        counts={"read": 5, "kept": 5, "quarantined": 0},
        messages=5,
    ),
    Case(
        "a JSON list of v1.1 statuses cut off",
        "records",
        "quarantined",
        lambda: {"a.json": json.dumps([v1_status(i) for i in range(200)]).encode()[:-300]},
        old="quarantined (kept)",
        why="the complete statuses are read; the cut one is quarantined",
        counts={"kept": 199, "quarantined": 1},
        says=("JSON array cut off or damaged after element 198",),
    ),
    Case(
        "a twarc2 page cut off (the rest of the line lost)",
        "records",
        "quarantined",
        lambda: {"cut.jsonl": cut_page(100, 0.5)},
        old="the whole page of 100 tweets lost, within the 1% limit (1 record of many)",
        why="the tweets before the cut are read; the cut tweet is quarantined; what followed "
        "on the line is gone and the entry says so",
        counts={"quarantined": 1},
        says=("line cut off at character", "complete tweets read from it", "rest of the page"),
        check=lambda store, summary: _read_before_cut(store, 100, 200),
    ),
    Case(
        "a twarc2 page broken over two lines",
        "records",
        "quarantined",
        lambda: {"split.jsonl": split_page(100)},
        old="the page of 100 tweets lost (two bad records), within the 1% limit",
        why="99 tweets of the page are read from its two halves; the one at the break is "
        "quarantined (counted once): halves that parse when joined may still have lost bytes "
        "inside a text, so they are not joined",
        counts={"kept": 299, "quarantined": 1},
        says=("line cut off", "continues the tweet cut at the end of the line before"),
        messages=300,
    ),
    Case(
        "a twarc2 page broken over two lines, bytes lost at the break",
        "records",
        "quarantined",
        lambda: {"split.jsonl": split_page(100, lose=40)},
        old="the page of 100 tweets lost, within the 1% limit",
        why="99 tweets of the page are read from its two halves; the one at the break is "
        "quarantined (counted once)",
        counts={"kept": 299, "quarantined": 1},
        says=("line cut off", "continues the tweet cut at the end of the line before"),
        messages=300,
    ),
    Case(
        "a twarc2 first line cut off",
        "records",
        "quarantined",
        lambda: {
            "cut.jsonl": cut_page(100, 0.5).splitlines(keepends=True)[1] + twarc(2, 100, 1000)
        },
        old="the whole page of 100 tweets lost (1 record, within the 1% limit)",
        why="as for any cut page; a damaged first line does not make a JSONL file a document",
        counts={"quarantined": 1},
        says=("line cut off",),
        check=lambda store, summary: _read_before_cut(store, 100, 200),
    ),
    Case(
        "bytes that are not UTF-8 in one tweet",
        "records",
        "quarantined",
        lambda: {
            "a.jsonl": with_tweet(
                99, {}, raw=orjson.dumps(tweet(99)).replace(b"trein", b"tr\xe9in")
            )
            + twarc(1, 100, 1000)
        },
        old="the whole page of 100 tweets lost",
        why="the page is read; only the tweet with the bad bytes is quarantined",
        counts={"kept": 199, "quarantined": 1},
        says=("not valid text: bytes that are not UTF-8",),
        messages=200,
    ),
    Case(
        "a lone surrogate escape in a text",
        "records",
        "quarantined",
        lambda: {
            "a.jsonl": with_tweet(
                99, {}, raw=orjson.dumps(tweet(99)).replace(b"trein", b"tr\\ud83dein")
            )
            + twarc(1, 100, 1000)
        },
        old="the whole page of 100 tweets lost",
        why="as above: the one tweet is quarantined",
        counts={"kept": 199, "quarantined": 1},
        says=("lone surrogate",),
        messages=200,
    ),
    Case(
        "NUL bytes at the end of a file (interrupted write)",
        "records",
        "quarantined",
        lambda: {"a.jsonl": twarc(2, 100) + b"\x00" * 4096},
        old="'not valid JSON' (one bad record, no hint)",
        why="the lost data is counted and the cause named",
        counts={"kept": 200, "quarantined": 1},
        says=("holds only NUL bytes",),
    ),
    Case(
        "a v1.1 status inside an X API v2 file",
        "records",
        "quarantined",
        lambda: {"a.jsonl": twarc(2, 100) + jsonl([v1_status(5000)])},
        old="'required field author_id is missing'",
        why="the entry says what the line is and what to do",
        counts={"kept": 200, "quarantined": 1},
        says=("is a Twitter API v1.1 status", "in an X API v2 file", "format: twitter_v1"),
        messages=201,
    ),
    Case(
        "a v1.1 file configured as x_api_v2",
        "records",
        "refused",
        lambda: {"a.jsonl": jsonl([v1_status(i) for i in range(5)])},
        old="'required field author_id is missing' for every record",
        why="every line is a v1.1 status: refused with that reason",
        says=("5 of 5 messages quarantined", "is a Twitter API v1.1 status"),
        args=("--format", "x_api_v2"),
    ),
    Case(
        "X API v2 pages configured as twitter_v1",
        "records",
        "refused",
        lambda: {"a.jsonl": twarc(2, 5)},
        old="refused: 'not a v1.1 status or search response (keys: __twarc, data, …)'",
        why="the reason names the format of the lines",
        says=("is an X API v2 response or tweet", "format: x_api_v2"),
        args=("--format", "twitter_v1"),
    ),
    Case(
        "a Facebook line inside an X API v2 file",
        "records",
        "quarantined",
        lambda: {
            "a.jsonl": twarc(2, 100)
            + jsonl([{"id": "1_2", "message": "hoi", "created_time": "2017-03-01T10:00:00+0000"}])
        },
        old="'no `data` in the response'",
        why="the reason lists the keys found",
        counts={"kept": 200, "quarantined": 1},
        says=("no `data` in the response (keys: created_time, id, message)",),
        messages=201,
    ),
    # -- fields ------------------------------------------------------------------------------
    Case(
        "a negative like count",
        "fields",
        "quarantined",
        lambda: {"a.jsonl": with_tweet(199, tweet(199, public_metrics={"like_count": -3}))},
        old="kept: entered the engagement medians",
        why="a count below 0 is damage: the record is not trusted; the entry names the field",
        counts={"kept": 199, "quarantined": 1},
        says=("like_count -3 is negative",),
        messages=200,
    ),
    Case(
        "a like count that is not a number",
        "fields",
        "quarantined",
        lambda: {"a.jsonl": with_tweet(199, tweet(199, public_metrics={"like_count": "veel"}))},
        old="became null without a word",
        why="as above",
        counts={"kept": 199, "quarantined": 1},
        says=("like_count 'veel' is not a number",),
        messages=200,
    ),
    Case(
        "a like count beyond 64 bits",
        "fields",
        "quarantined",
        lambda: {
            "a.jsonl": with_tweet(
                199,
                {},
                raw=orjson.dumps(tweet(199)).replace(
                    b'"like_count":4', b'"like_count":' + b"9" * 25
                ),
            )
        },
        old="OverflowError in canonical._counts: the whole file failed, no record named",
        why="the record is named and quarantined; the rest of the page is kept",
        counts={"kept": 199, "quarantined": 1},
        says=("like_count", "beyond 64 bits"),
        messages=200,
    ),
    Case(
        "a fractional share count",
        "fields",
        "quarantined",
        lambda: {
            "a.jsonl": with_tweet(
                199, tweet(199, public_metrics={"retweet_count": 2.5, "quote_count": 0})
            )
        },
        old="cut to 2 without a word",
        why="a count is a whole number",
        counts={"kept": 199, "quarantined": 1},
        says=("share_count 2.5 is not a whole number",),
        messages=200,
    ),
    Case(
        "counts written as strings",
        "fields",
        "accepted",
        lambda: {"a.jsonl": with_tweet(4, tweet(4, public_metrics={"like_count": "12"}))},
        old="accepted (kept)",
        why="archives write counts as strings: '12' is 12",
        counts={"kept": 5, "quarantined": 0},
        check=lambda store, summary: 12 in set(store["like_count"]),
        messages=5,
    ),
    Case(
        "a message id as a floating-point number",
        "fields",
        "quarantined",
        lambda: {
            "a.jsonl": with_tweet(
                199,
                {},
                raw=orjson.dumps(tweet(199)).replace(
                    f'"id":"{FIRST_ID + 199}"'.encode(), b'"id":8.40000000000000199e17', 1
                ),
            )
        },
        old="kept under a rounded id (digits lost, another tweet's id possible)",
        why="an id whose digits are lost cannot be threaded or deduplicated",
        counts={"kept": 199, "quarantined": 1},
        says=("is a floating-point number: its digits are lost",),
        messages=200,
    ),
    Case(
        "a control character in a message id",
        "fields",
        "quarantined",
        lambda: {"a.jsonl": with_tweet(199, tweet(199, id="84\x0700"))},
        old="kept",
        why="an id with control characters is damage",
        counts={"kept": 199, "quarantined": 1},
        says=("message_id '84\\x0700' holds control characters",),
        messages=200,
    ),
    Case(
        "a created_at that is not a date",
        "fields",
        "quarantined",
        lambda: {"a.jsonl": with_tweet(199, tweet(199, created_at="gisteren"))},
        old="quarantined (kept)",
        why="no time, no place in the edition",
        counts={"kept": 199, "quarantined": 1},
        says=("created_at 'gisteren' is not a timestamp",),
        messages=200,
    ),
    Case(
        "a tweet without an author",
        "fields",
        "quarantined",
        lambda: {
            "a.jsonl": with_tweet(199, {k: v for k, v in tweet(199).items() if k != "author_id"})
        },
        old="quarantined (kept)",
        why="required field",
        counts={"kept": 199, "quarantined": 1},
        says=("required field author_id is missing",),
        messages=200,
    ),
    Case(
        "the same tweet twice in one file",
        "fields",
        "accepted",
        lambda: {
            "a.jsonl": jsonl([page([tweet(i) for i in range(5)]), page([tweet(4), tweet(5)])])
        },
        old="accepted (kept)",
        why="one copy kept, the other counted as a duplicate",
        counts={"read": 7, "kept": 6, "duplicates": 1},
        messages=7,
    ),
    # -- texts -------------------------------------------------------------------------------
    Case(
        "a NUL character in a text",
        "texts",
        "accepted",
        lambda: {"a.jsonl": with_tweet(4, tweet(4, text="vertraging\x00 bij Utrecht"))},
        old="stored; rule coding_sample then failed with openpyxl's IllegalCharacterError",
        why="removed before any writer, counted per file (texts_cleaned)",
        counts={"kept": 5, "texts_cleaned": 1},
        says=("control characters removed from 1 texts",),
        check=lambda store, summary: _text_of(store, 4) == "vertraging bij Utrecht",
        messages=5,
    ),
    Case(
        "other control characters in a text",
        "texts",
        "accepted",
        lambda: {
            "a.jsonl": with_tweet(
                4, tweet(4, text="bel\x07 \x1b[31mrood\x1b[0m\x0bregel\x85 \ufffe")
            )
        },
        old="stored; broke the XLSX writer, coloured the log",
        why="removed (vertical tab, NEL: a space); tab and line breaks stay",
        counts={"kept": 5, "texts_cleaned": 1},
        check=lambda store, summary: _text_of(store, 4) == "bel [31mrood[0m regel  ",
        messages=5,
    ),
    Case(
        "tabs and line breaks in a text",
        "texts",
        "accepted",
        lambda: {"a.jsonl": with_tweet(4, tweet(4, text="regel 1\r\nregel 2\tklaar"))},
        old="accepted (kept)",
        why="these are text, not control damage",
        counts={"kept": 5, "texts_cleaned": 0},
        check=lambda store, summary: _text_of(store, 4) == "regel 1\r\nregel 2\tklaar",
        messages=5,
    ),
    Case(
        "a text of 200,000 characters",
        "texts",
        "accepted",
        lambda: {"a.jsonl": with_tweet(4, tweet(4, text="lang " * 40_000))},
        old="stored whole",
        why="cut to ingest.max_text_length (65,536), counted (texts_cut)",
        counts={"kept": 5, "texts_cut": 1},
        says=("1 texts longer than 65,536 characters cut",),
        check=lambda store, summary: len(_text_of(store, 4)) == 65_536,
        messages=5,
    ),
    Case(
        "a text beyond a configured max_text_length",
        "texts",
        "accepted",
        lambda: {"a.jsonl": with_tweet(4, tweet(4, text="é" * 400))},
        old="(no such setting)",
        why="the setting is followed",
        counts={"kept": 5, "texts_cut": 1},
        args=("--max-text-length", "300"),
        check=lambda store, summary: _text_of(store, 4) == "é" * 300,
        messages=5,
    ),
    Case(
        "a NUL character in a 4CAT CSV text",
        "texts",
        "accepted",
        lambda: {"a.csv": fourcat([fourcat_row(1), fourcat_row(2, body="kapot\x00 scherm")])},
        old="stored as is",
        why="as for JSON",
        counts={"kept": 2, "texts_cleaned": 1},
        args=("--option", "platform=twitter"),
        messages=2,
    ),
    Case(
        "a negative count in a 4CAT CSV",
        "fields",
        "quarantined",
        lambda: {
            "a.csv": fourcat([fourcat_row(n) for n in range(1, 200)] + [fourcat_row(200, likes=-1)])
        },
        old="became null without a word",
        why="as for JSON",
        counts={"kept": 199, "quarantined": 1},
        args=("--option", "platform=twitter"),
        says=("like_count '-1' is negative",),
        messages=200,
    ),
    # -- the edition's period ----------------------------------------------------------------
    Case(
        "a message dated 1970-01-01",
        "period",
        "accepted",
        lambda: {"a.jsonl": with_tweet(4, tweet(4, created_at="1970-01-01T00:00:00.000Z"))},
        old="stored: indicators and the monthly chart got a 1970-01 period",
        why="outside the period: left out of the edition, counted (out_of_period), noted",
        counts={"read": 5, "kept": 4, "out_of_period": 1},
        says=("1 messages outside the period 2017-01-01 – 2017-11-01", "1970-01-01 01:00"),
        messages=5,
    ),
    Case(
        "a message dated 2099-12-31",
        "period",
        "accepted",
        lambda: {"a.jsonl": with_tweet(4, tweet(4, created_at="2099-12-31T12:00:00.000Z"))},
        old="stored: a 2099-12 period in the indicators",
        why="as above",
        counts={"read": 5, "kept": 4, "out_of_period": 1},
        messages=5,
    ),
    Case(
        "messages at the period's boundaries",
        "period",
        "accepted",
        lambda: {
            "a.jsonl": jsonl(
                [
                    page(
                        [
                            tweet(1, created_at="2016-12-31T22:59:59.000Z"),  # 23:59:59 local
                            tweet(2, created_at="2016-12-31T23:00:00.000Z"),  # 1 Jan 00:00 CET
                            tweet(3, created_at="2017-10-31T22:59:59.000Z"),  # 31 Oct 23:59:59
                            tweet(4, created_at="2017-10-31T23:00:00.000Z"),  # 1 Nov 00:00 CET
                        ]
                    )
                ]
            )
        },
        old="all kept (no period check)",
        why="the period's dates are local dates in the edition's time zone (Europe/Amsterdam)",
        counts={"read": 4, "kept": 2, "out_of_period": 2},
        check=lambda store, summary: (
            set(store["message_id"]) == {str(FIRST_ID + 2), str(FIRST_ID + 3)}
        ),
        messages=4,
    ),
    Case(
        "a file entirely outside the period",
        "period",
        "accepted",
        lambda: {
            "a.jsonl": twarc(1, 5),
            "2016.jsonl": jsonl(
                [page([tweet(i, created_at="2016-06-01T10:00:00.000Z") for i in range(100, 105)])]
            ),
        },
        old="stored: a 2016-06 period in the indicators",
        why="another year's archive matched by the pattern: left out, counted, the dates noted",
        counts={"files": 2, "read": 10, "kept": 5, "out_of_period": 5},
        says=("5 messages outside the period", "2016-06-01 12:00 to 2016-06-01 12:00"),
        messages=10,
    ),
    Case(
        "a timestamp without a zone outside the period",
        "period",
        "accepted",
        lambda: {"a.jsonl": with_tweet(4, tweet(4, created_at="2016-12-31T23:30:00"))},
        old="kept",
        why="read in the source's zone (UTC here): 1 Jan 00:30 local, inside",
        counts={"read": 5, "kept": 5, "out_of_period": 0},
        messages=5,
    ),
]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2017, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()
