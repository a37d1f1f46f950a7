"""Set up a real edition from its raw files: what ``engbench init`` writes.

Two files, both for the researcher to check before the first run:

- ``config/<edition>.yaml``: every key of the config schema, each with its description
  and allowed values as a comment; values are the schema's defaults, or what was found
  in the raw files (sources and their formats, a ``columns:`` mapping for tables, the
  period the messages cover). Nothing comes from the demo edition.
- ``config/<edition>-organisations.csv``: the accounts that look like organisations,
  proposed from the raw files read through the ingest parsers. An organisation's
  webcare replies to many different people and is addressed by many; a consumer
  replies to one or two accounts. An account is proposed when it replied to at least
  ``MIN_AUTHORS_REPLIED`` different authors, or was addressed (replied to or
  @-mentioned) by at least ``MIN_ADDRESSED_BY`` different authors (docs/edition.md: what
  it finds on the simulated and on real data). Beside the sheet's
  columns, the counts that got it proposed (``messages``, ``replies``,
  ``authors_replied``, ``addressed_by``); ``sector`` is left empty, so that the
  workflow stops until someone has looked at every row.

The raw files are read in memory and nothing is written but the two files: the
proposed accounts' ids and handles are the only raw values that leave this module.
"""

from __future__ import annotations

import datetime as dt
import glob
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import yaml

from engbench.config import CONFIG_SCHEMA, ConfigError, load_schema, validate_config
from engbench.ingest.detect import detect_format
from engbench.ingest.files import open_raw_file
from engbench.ingest.formats import FORMATS
from engbench.ingest.mapped_table import REQUIRED as TABLE_REQUIRED
from engbench.ingest.mapped_table import propose_columns
from engbench.ingest.mapped_table import records as table_records
from engbench.ingest.reading import file_problem, head
from engbench.ingest.records import PLATFORMS, Bad, IngestError, ParseContext
from engbench.ingest.timestamps import parse_timestamp
from engbench.organisations import COLUMNS as SHEET_COLUMNS
from engbench.organisations import validate_organisations
from engbench.sources import raw_files

MIN_AUTHORS_REPLIED = 4
MIN_ADDRESSED_BY = 5
PERIOD_SHARE = 0.99
EVIDENCE = ["messages", "replies", "authors_replied", "addressed_by"]
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
WIDTH = 92


class EditionSetupError(ValueError):
    """The edition cannot be set up as asked; the message says what to change."""


@dataclass
class Setup:
    """What ``init_edition`` found and wrote."""

    config_path: Path
    sheet_path: Path
    config: dict[str, Any]
    sheet: pd.DataFrame
    authors: int  # distinct authors read
    messages: int
    notes: list[str] = field(default_factory=list)


# --- sources ---------------------------------------------------------------------------------


def source_settings(pattern: str, fmt: str = "auto", platform: str | None = None) -> dict:
    """The config entry of one raw source: name (its folder), path, format and, for a
    table (CSV/XLSX) no format claims, ``mapped_table`` with a ``columns:`` mapping
    proposed from its header."""
    files = sorted(p for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
    if not files:
        raise EditionSetupError(f"--source {pattern!r} matches no file")
    if fmt != "auto" and fmt not in FORMATS:
        raise EditionSetupError(f"unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    source: dict[str, Any] = {"name": _source_name(pattern), "path": pattern, "format": fmt}
    first = Path(files[0])
    if fmt == "auto":
        try:
            found = detect_format(first)
        except IngestError:
            if head(first, 64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
                raise
            found = "mapped_table"  # a table no format claims: map its columns
        source["format"] = found  # what was found, written out for the researcher to see
    if source["format"] == "mapped_table":
        source.update(_table_settings(first, platform))
    elif platform is not None:
        source["platform"] = platform
    return source


def _source_name(pattern: str) -> str:
    parts = [p for p in Path(pattern).parts if not glob.has_magic(p)]
    folder = Path(*parts) if parts else Path("raw")
    if folder.suffix and not glob.has_magic(pattern):  # a single file: its folder
        folder = folder.parent
    name = re.sub(r"[^A-Za-z0-9_-]", "_", folder.name or "raw").strip("_")
    return name or "raw"


def _table_settings(path: Path, platform: str | None) -> dict:
    problem = file_problem(path)
    if problem:
        raise EditionSetupError(f"{path}: {problem}")
    header: list[str] = []
    for item in table_records(path, ParseContext(source_file=str(path))):
        if not isinstance(item, Bad):
            header = list(item[1])
            break
    columns = propose_columns(header)
    missing = [name for name in TABLE_REQUIRED if name not in columns]
    if missing:
        raise EditionSetupError(
            f"{path}: a table whose columns engbench cannot map by name ({', '.join(header)}); "
            f"no column found for {', '.join(missing)}. Write the source's `columns:` mapping "
            "by hand (docs/ingest.md, mapped_table)."
        )
    if "author_handle" not in columns and _values_look_like_handles(path, columns["author_id"]):
        # usernames in the author column (e.g. Customer Support on Twitter): they are the
        # handles too, so @-mentions of organisation accounts are recognised
        columns["author_handle"] = columns["author_id"]
    settings: dict[str, Any] = {"columns": columns}
    if "platform" not in columns:
        if platform is None:
            if not any("tweet" in h.lower() for h in header):
                raise EditionSetupError(
                    f"{path}: the table has no platform column; give --platform "
                    f"({', '.join(PLATFORMS)})"
                )
            platform = "twitter"
        settings["platform"] = platform
    return settings


def _values_look_like_handles(path: Path, column: str, rows: int = 2000) -> bool:
    """Some values of ``column`` hold letters: usernames, not numeric ids."""
    seen = 0
    for item in table_records(path, ParseContext(source_file=str(path))):
        if isinstance(item, Bad):
            continue
        value = str(item[1].get(column) or "")
        if re.search(r"[A-Za-z]", value) and re.fullmatch(r"@?[A-Za-z0-9_.]+", value):
            return True
        seen += 1
        if seen >= rows:
            break
    return False


# --- reading the raw files -------------------------------------------------------------------

FIELDS = (
    "platform",
    "message_id",
    "author_id",
    "author_handle",
    "parent_id",
    "in_reply_to_author_id",
    "page_id",
    "created_at",
    "mentions",
)


def read_messages(sources: list[dict], timezone: str) -> pd.DataFrame:
    """Who wrote what to whom in the raw files: one row per record the parsers read (the
    fields of ``FIELDS``), read through the ingest parsers; bad records are skipped."""
    rows: dict[str, list] = {name: [] for name in FIELDS}
    for (_, _), raw in raw_files(sources, timezone).items():
        for record in _raw_fields(
            Path(raw["path"]), raw["format"], raw["options"], raw["timezone"]
        ):
            for name in FIELDS:
                rows[name].append(record.get(name))
    frame = pd.DataFrame(rows)
    for name in ("platform", "message_id", "author_id", "author_handle", "parent_id"):
        frame[name] = frame[name].astype("string")
    return frame


def _raw_fields(path: Path, fmt: str, options: dict, timezone: str) -> Iterator[dict]:
    try:
        raw = open_raw_file(path, fmt, options, timezone)
    except IngestError as error:
        raise EditionSetupError(str(error)) from None
    yield from raw.rows(FIELDS)


def account_activity(messages: pd.DataFrame) -> pd.DataFrame:
    """Per account (platform, author_id): its usual handle, messages, replies to others,
    different authors it replied to, and different authors that addressed it (replied to
    it or @-mentioned its handle)."""
    if messages.empty:
        return pd.DataFrame(columns=["platform", "account_id", "handle", *EVIDENCE])
    frame = messages.dropna(subset=["platform", "author_id"]).drop_duplicates(
        ["platform", "message_id"]
    )
    authors = frame.set_index(["platform", "message_id"])["author_id"]
    parent_author = pd.Series(
        authors.reindex(pd.MultiIndex.from_arrays([frame["platform"], frame["parent_id"]])).array,
        index=frame.index,
    )
    parent_author = parent_author.fillna(frame["in_reply_to_author_id"].astype("string"))
    # handles: each account's most used one; a handle → the account that uses it most
    named = frame.dropna(subset=["author_handle"]).assign(
        handle_key=lambda f: f["author_handle"].str.lower().str.lstrip("@")
    )
    usual = (
        named.groupby(["platform", "author_id"])["author_handle"]
        .agg(lambda s: Counter(s).most_common(1)[0][0])
        .rename("handle")
    )
    owner = (
        named.groupby(["platform", "handle_key"])["author_id"]
        .agg(lambda s: Counter(s).most_common(1)[0][0])
        .to_dict()
    )
    # who addressed whom: replies (the parent's author) and @-mentions of known handles
    pairs = [
        pd.DataFrame(
            {"platform": frame["platform"], "from": frame["author_id"], "to": parent_author}
        )
    ]
    mentioned = frame[["platform", "author_id", "mentions"]].explode("mentions").dropna()
    if not mentioned.empty:
        keys = zip(mentioned["platform"], mentioned["mentions"].str.lower(), strict=True)
        mentioned = mentioned.assign(to=[owner.get(k) for k in keys]).dropna(subset=["to"])
        pairs.append(mentioned.rename(columns={"author_id": "from"})[["platform", "from", "to"]])
    addressed = pd.concat(pairs, ignore_index=True).dropna()
    addressed = addressed[addressed["from"] != addressed["to"]].drop_duplicates()
    replies = frame.assign(to=parent_author).dropna(subset=["to"])
    replies = replies[replies["to"] != replies["author_id"]]
    keys = ["platform", "author_id"]
    out = (
        frame.groupby(keys)
        .size()
        .rename("messages")
        .to_frame()
        .join(replies.groupby(keys).size().rename("replies"))
        .join(replies.groupby(keys)["to"].nunique().rename("authors_replied"))
        .join(
            addressed.groupby(["platform", "to"])["from"]
            .nunique()
            .rename("addressed_by")
            .rename_axis(keys)
        )
        .join(usual)
    )
    for column in EVIDENCE:
        out[column] = out[column].fillna(0).astype(int)
    return out.reset_index().rename(columns={"author_id": "account_id"})[
        ["platform", "account_id", "handle", *EVIDENCE]
    ]


def propose_organisations(
    activity: pd.DataFrame,
    min_authors_replied: int = MIN_AUTHORS_REPLIED,
    min_addressed_by: int = MIN_ADDRESSED_BY,
) -> pd.DataFrame:
    """The organisations sheet proposed from ``account_activity``: the accounts that
    replied to at least ``min_authors_replied`` different authors or were addressed by at
    least ``min_addressed_by`` (a brand account whose webcare answers from another account is
    addressed, not answering), the most of both together first.
    ``org_id`` and ``name`` come from the handle (the account id when there is none);
    ``sector`` is left empty."""
    chosen = activity[
        (activity["authors_replied"] >= min_authors_replied)
        | (activity["addressed_by"] >= min_addressed_by)
    ]
    evidence = chosen["authors_replied"] + chosen["addressed_by"]
    chosen = chosen.assign(evidence=evidence).sort_values(
        ["evidence", "account_id"], ascending=[False, True]
    )
    sheet = pd.DataFrame(
        {
            "org_id": [
                _org_id(h if isinstance(h, str) else a)
                for h, a in zip(chosen["handle"], chosen["account_id"], strict=True)
            ],
            "name": [
                h.lstrip("@") if isinstance(h, str) else a
                for h, a in zip(chosen["handle"], chosen["account_id"], strict=True)
            ],
            "sector": "",
            "platform": chosen["platform"].astype(str).to_numpy(),
            "handle": chosen["handle"].fillna("").astype(str).str.lstrip("@").to_numpy(),
            "account_id": chosen["account_id"].astype(str).to_numpy(),
            "followers": "",
            "role": "brand",
            "panel_code": "",
            **{column: chosen[column].to_numpy() for column in EVIDENCE},
        }
    )
    # one name per organisation: accounts on several platforms with the same org_id share it
    sheet["name"] = sheet.groupby("org_id")["name"].transform("first")
    return sheet.reset_index(drop=True)


def _org_id(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_]+", "_", text.lower().lstrip("@")).strip("_")
    return slug or "org"


# --- the config ------------------------------------------------------------------------------


def period_of(
    messages: pd.DataFrame, timezone: str, share: float = PERIOD_SHARE
) -> tuple[str, str]:
    """The local dates the bulk of the messages cover: from the day of the first to the day
    after the last of the central ``share`` of them (stray old or late messages — a reply
    to a years-old tweet — would otherwise stretch the period; ingest counts what falls
    outside it)."""
    zone = ZoneInfo(timezone)
    moments = []
    for value in messages["created_at"].dropna():
        try:
            moments.append(parse_timestamp(value, timezone))
        except (ValueError, TypeError, OverflowError):
            continue
    if not moments:
        raise EditionSetupError("no message with a readable date: give --period START END")
    times = pd.Series(pd.to_datetime(moments, utc=True)).sort_values()
    tail = (1 - share) / 2
    first = times.quantile(tail, interpolation="lower").tz_convert(zone)
    last = times.quantile(1 - tail, interpolation="higher").tz_convert(zone)
    return first.date().isoformat(), (last.date() + dt.timedelta(days=1)).isoformat()


def edition_config(
    name: str,
    sources: list[dict],
    period: tuple[str, str],
    organisations: str,
    language: str | None = None,
    timezone: str | None = None,
) -> dict[str, Any]:
    """The edition's config: the given values, every other key the schema's default."""
    start, end = period
    config: dict[str, Any] = {
        "edition": {
            "name": name,
            # the publication year: the year after the last day covered
            "year": (dt.date.fromisoformat(end) - dt.timedelta(days=1)).year + 1,
        },
        "period": {"start": start, "end": end},
        "organisations": organisations,
        "sources": sources,
    }
    if language:
        config["language"] = language
    if timezone:
        config["timezone"] = timezone
    config["demo"] = {"enabled": False}  # a real edition: written out, not left to a default
    try:
        return validate_config(config, source="engbench init", key_required=False)
    except ConfigError as error:
        raise EditionSetupError(str(error)) from None


def config_text(config: dict[str, Any], header: str = "") -> str:
    """The config as YAML with every key of the schema, each preceded by its description
    and allowed values as comments; optional keys without a value are written commented
    out, so that every key is there to be found."""
    schema = load_schema(CONFIG_SCHEMA)
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += _object_lines(schema, config, 0)
    text = "\n".join(lines) + "\n"
    if yaml.safe_load(text) != _comparable(config):
        raise RuntimeError("config_text: the written YAML does not read back as the config")
    return text


def _comparable(config: dict) -> dict:
    return yaml.safe_load(yaml.safe_dump(config))


def _object_lines(schema: dict, values: dict, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, sub in schema.get("properties", {}).items():
        sub = _resolved(sub)
        value = values.get(key)
        lines += [""] if indent == 0 else []
        lines += _comment(sub, pad)
        if key not in values:
            lines += _commented_out(key, sub, pad)
        elif value is None and "properties" in sub:
            lines.append(f"{pad}{key}: null")
            lines.append(f"{pad}# e.g.")
            lines += _commented_out(key, sub, pad)
        elif isinstance(value, dict) and "properties" in sub:
            lines.append(f"{pad}{key}:")
            lines += _object_lines(sub, value, indent + 2)
        elif isinstance(value, dict) and value:  # a free mapping (a table's `columns:`)
            lines.append(f"{pad}{key}:")
            lines += [f"{pad}  {_scalar(k)}: {_scalar(v)}" for k, v in value.items()]
        elif isinstance(value, list) and value and "properties" in sub.get("items", {}):
            lines.append(f"{pad}{key}:")
            for item in value:
                item_lines = _object_lines(sub["items"], item, indent + 4)
                first = next(i for i, line in enumerate(item_lines) if not _is_comment(line))
                item_lines[first] = f"{pad}  - {item_lines[first].lstrip()}"
                lines += item_lines
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return lines


def _commented_out(key: str, schema: dict, pad: str) -> list[str]:
    """A key without a value, as comments: its name and, for an object, its keys (each with
    its default, if any, and what it is)."""
    lines: list[str] = []

    def walk(name: str, sub: dict, level: int) -> None:
        sub = _resolved(sub)
        default = sub.get("default")
        shown = "" if default in (None, {}) or "properties" in sub else f" {_scalar(default)}"
        line = f"{pad}# {'  ' * level}{name}:{shown}"
        about = _first_sentence(sub.get("description", ""))
        if level and about and "properties" not in sub:
            line += f"   # {about}"
        lines.append(line)
        for sub_name, nested in sub.get("properties", {}).items():
            walk(sub_name, nested, level + 1)

    walk(key, schema, 0)
    return lines


def _comment(schema: dict, pad: str) -> list[str]:
    text = " ".join(schema.get("description", "").split())
    if text and not text.endswith((".", ")")):
        text += "."
    allowed = schema.get("enum") or schema.get("items", {}).get("enum")
    if allowed:
        text += " Allowed: " + " | ".join(map(str, allowed)) + "."
    if "default" in schema and schema["default"] not in ({}, None):
        text += f" Default: {_scalar(schema['default'])}."
    return _wrapped(text, pad) if text else []


def _wrapped(text: str, pad: str) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(pad) + 2 + len(line) + 1 + len(word) > WIDTH:
            lines.append(f"{pad}# {line}")
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(f"{pad}# {line}")
    return lines


def _first_sentence(text: str, width: int = 64) -> str:
    sentence = " ".join(text.split()).split(". ")[0].rstrip(".")
    if len(sentence) <= width:
        return sentence
    return sentence[:width].rsplit(" ", 1)[0].rstrip(",;:(") + " …"


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#") or not line.strip()


def _resolved(schema: dict) -> dict:
    ref = schema.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        base = load_schema(CONFIG_SCHEMA)["$defs"][ref.split("/")[-1]]
        return {**base, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _scalar(value: Any) -> str:
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
        .strip("\n")
        .removesuffix("\n...")
    )


# --- writing ---------------------------------------------------------------------------------


def init_edition(
    name: str,
    patterns: list[str],
    *,
    fmt: str = "auto",
    platform: str | None = None,
    period: tuple[str, str] | None = None,
    language: str | None = None,
    timezone: str | None = None,
    config_dir: str | Path = "config",
    force: bool = False,
) -> Setup:
    """Read the raw files matched by ``patterns`` and write ``<config_dir>/<name>.yaml`` and
    ``<config_dir>/<name>-organisations.csv``. Existing files are kept (EditionSetupError)
    unless ``force``."""
    if not NAME.match(name):
        raise EditionSetupError(
            f"edition name {name!r}: expected lower case letters, digits, - and _ "
            "(it becomes the folder under results/)"
        )
    config_dir = Path(config_dir)
    config_path = config_dir / f"{name}.yaml"
    sheet_path = config_dir / f"{name}-organisations.csv"
    existing = [str(p) for p in (config_path, sheet_path) if p.exists()]
    if existing and not force:
        raise EditionSetupError(
            f"{' and '.join(existing)} already exist(s); engbench init does not overwrite "
            "them (--force to write them again, losing your edits)"
        )
    sources = [source_settings(p, fmt, platform) for p in patterns]
    names = Counter(s["name"] for s in sources)
    for source in sources:  # two folders of the same name: number them
        if names[source["name"]] > 1:
            source["name"] = f"{source['name']}_{sources.index(source) + 1}"
    zone = timezone or _schema_default("timezone")
    messages = read_messages(sources, zone)
    notes = []
    if period is None:
        period = period_of(messages, zone)
        notes.append(
            f"period: the dates {PERIOD_SHARE:.0%} of the messages fall in (--period to set it)"
        )
    sheet_ref = sheet_path.as_posix()
    config = edition_config(name, sources, period, sheet_ref, language, timezone)
    sheet = propose_organisations(account_activity(messages))
    header = (
        f"engbench — edition {name}, written by `engbench init` on {dt.date.today()}.\n"
        "Every key of workflow/engbench/schemas/config.schema.yaml is here, with what it is and\n"
        "its allowed values; the values are the schema's defaults or what init found in the\n"
        "raw files (sources, formats, columns, period). Check them, then run\n"
        f"  snakemake --cores 8 --configfile {config_path.as_posix()}"
    )
    text = config_text(config, header)
    validate_config(yaml.safe_load(text), source=str(config_path), key_required=False)
    config_dir.mkdir(parents=True, exist_ok=True)
    config_path.write_text(text, encoding="utf-8")
    sheet.to_csv(sheet_path, index=False)
    return Setup(
        config_path=config_path,
        sheet_path=sheet_path,
        config=config,
        sheet=sheet,
        authors=messages[["platform", "author_id"]].drop_duplicates().shape[0],
        messages=len(messages),
        notes=notes,
    )


def _schema_default(key: str) -> Any:
    return load_schema(CONFIG_SCHEMA)["properties"][key]["default"]


def check_sheet(sheet: pd.DataFrame) -> list[str]:
    """What the researcher must still fill in before the sheet validates (empty if none)."""
    todo = []
    for column in ("sector", "handle", "name"):
        empty = (sheet[column].astype(str).str.strip() == "").sum()
        if empty:
            todo.append(f"`{column}` is empty in {empty:,} of {len(sheet):,} rows")
    if not todo:
        validate_organisations(sheet[SHEET_COLUMNS])
    return todo
