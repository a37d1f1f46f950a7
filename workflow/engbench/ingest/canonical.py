"""Parser output → canonical rows: checked, pseudonymised, attributed to organisations.

Works on batches, column by column (pyarrow and numpy), because this step
touches every message of an edition: per-row Python would cost several times
the JSON parsing itself. A row that fails a check becomes a ``Bad`` record
naming its location and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from engbench.ingest.privacy import PERSONAL_RAW_FIELDS, Pseudonymiser
from engbench.ingest.records import FILE_SCHEMA, PLATFORMS, Bad
from engbench.ingest.timestamps import parse_timestamp

REQUIRED = ("platform", "message_id", "author_id", "created_at")
STRING_FIELDS = (
    "platform",
    "message_id",
    "author_id",
    "author_handle",
    "text",
    "thread_id",
    "parent_id",
    "lang",
    "in_reply_to_author_id",
    "retweeted_id",
    "quoted_id",
    "page_id",
    "latest_version_id",
)
ID_FIELDS = (
    "message_id",
    "author_id",
    "thread_id",
    "parent_id",
    "in_reply_to_author_id",
    "retweeted_id",
    "quoted_id",
    "page_id",
    "latest_version_id",
)
COUNT_FIELDS = ("like_count", "share_count", "reply_count")
MAX_COUNT = (1 << 63) - 1
# Characters no writer should get (XLSX/XML refuses them, they garble logs and Typst):
# C0 controls but tab, line feed and carriage return; DEL and C1; the noncharacters U+FFFE/F.
# Those that separate words become a space, the rest are removed.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\x{FFFE}\x{FFFF}]"
CONTROL_SPACE = r"[\x0b\x0c\x1c-\x1f\x{85}]"
MAX_TEXT_LENGTH = 65_536  # characters: beyond every platform's limit (Facebook: 63,206)
RAW_FIELDS = (*STRING_FIELDS, *COUNT_FIELDS, "created_at", "mentions")
HAS_ZONE = r"(Z|[+-]\d\d:?\d\d)$"
# @-mentions of Twitter/Facebook/Bluesky/Mastodon handles (dots, dashes, @instance);
# not e-mail addresses
MENTION = (
    r"(^|[^\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?(?:@[A-Za-z0-9.-]*[A-Za-z0-9])?)"
)
PROTECT = "\x01"


class OrganisationIndex:
    """Which account ids and handles belong to which organisation, per platform."""

    def __init__(self, accounts: pd.DataFrame | None):
        self.by_id: dict[str, str] = {}
        self.by_handle: dict[str, str] = {}
        self.handles: list[str] = []
        if accounts is None or accounts.empty:
            return
        for a in accounts.itertuples(index=False):
            handle = str(a.handle).lower().lstrip("@")
            self.by_id[f"{a.platform}:{a.account_id}"] = a.org_id
            self.by_handle[f"{a.platform}:{handle}"] = a.org_id
            self.handles.append(handle)
        self.handles = sorted(set(self.handles), key=len, reverse=True)

    def org_of(
        self, platform: str, account_id: str | None, handle: str | None = None
    ) -> str | None:
        found = self.by_id.get(f"{platform}:{account_id}") if account_id is not None else None
        if found is None and handle:
            found = self.by_handle.get(f"{platform}:{handle.lower().lstrip('@')}")
        return found

    def lookup(self, keys: pa.Array, table: dict[str, str]) -> np.ndarray:
        """Organisation (object array, None where unknown) of each ``platform:key``."""
        if not table:
            return np.full(len(keys), None, dtype=object)
        names = list(table)
        position = pc.index_in(keys, value_set=pa.array(names, pa.string())).to_numpy(
            zero_copy_only=False
        )
        values = np.array([table[n] for n in names] + [None], dtype=object)
        position = np.where(pd.isna(position), len(names), position).astype(np.int64)
        return values[position]


class Finaliser:
    """Turns batches of raw fields into canonical rows (an Arrow table) and ``Bad`` records."""

    def __init__(
        self,
        organisations: OrganisationIndex,
        pseudonymise: Pseudonymiser,
        source_format: str,
        source_file: str,
        default_org_id: str | None = None,
        timezone: str = "UTC",
        max_text_length: int = MAX_TEXT_LENGTH,
        period: tuple[dt.datetime, dt.datetime] | None = None,
    ):
        """``period``: (start, end) as aware datetimes, end exclusive; messages outside it
        are left out and counted (``out_of_period``, ``earliest``/``latest`` of them)."""
        self.max_text_length = max_text_length
        self.period = period
        self.out_of_period = 0
        self.out_of_period_range: list = []  # earliest and latest such timestamp
        self.texts_cleaned = 0
        self.texts_cut = 0
        self.first_cleaned: str | None = None
        self.first_cut: str | None = None
        self.orgs = organisations
        self.pseudonymise = pseudonymise
        self.source_format = source_format
        self.source_file = source_file
        self.default_org_id = default_org_id
        self.timezone = timezone
        self._protect = (
            re.compile("(?i)@(" + "|".join(map(re.escape, organisations.handles)) + r")\b").pattern
            if organisations.handles
            else None
        )

    def __call__(
        self, columns: dict[str, list], locations: Sequence[str]
    ) -> tuple[pa.Table, list[Bad]]:
        n = len(locations)
        problem = np.full(n, None, dtype=object)  # the field that makes a row unusable
        reason = np.full(n, None, dtype=object)  # and why, where the checks below say
        strings = {}
        for name in STRING_FIELDS:
            strings[name], found = _strings(
                columns.get(name), n, name in ID_FIELDS, quote=name not in PERSONAL_RAW_FIELDS
            )
            for i, why in found.items():
                if problem[i] is None:
                    problem[i], reason[i] = name, why
        for name in ID_FIELDS:
            if name in strings and strings[name].null_count < n:
                control = pc.fill_null(
                    pc.match_substring_regex(strings[name], CONTROL), False
                ).to_numpy(zero_copy_only=False)
                for i in np.flatnonzero(control & pd.isna(problem)):
                    problem[i] = name
                    value = strings[name][i].as_py()
                    shown = "" if name in PERSONAL_RAW_FIELDS else f" {value!r}"
                    reason[i] = f"{name}{shown} holds control characters"
        counts = {}
        for name in COUNT_FIELDS:
            counts[name], found = _counts(_list(columns.get(name), n), name)
            for i, why in found.items():
                if problem[i] is None:
                    problem[i], reason[i] = name, why
        created, created_ok = _timestamps(columns.get("created_at"), n, self.timezone)
        for name in REQUIRED:
            if name == "created_at":
                missing = ~created_ok
            else:
                values = strings[name]
                missing = ~pc.fill_null(
                    pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(values)), 0), False
                ).to_numpy(zero_copy_only=False)
            problem[missing & pd.isna(problem)] = name
        platform_ok = pc.fill_null(
            pc.is_in(strings["platform"], value_set=pa.array(PLATFORMS)), False
        )
        problem[~platform_ok.to_numpy(zero_copy_only=False) & pd.isna(problem)] = "platform"
        bad = [
            self._bad(columns, i, locations[i], field, created_ok, reason[i])
            for i, field in enumerate(problem)
            if field is not None
        ]
        keep = pd.isna(problem)
        if self.period is not None:
            start, end = self.period
            stamps = pc.fill_null(pc.cast(created, pa.int64()), 0).to_numpy(zero_copy_only=False)
            inside = (stamps >= _micros(start)) & (stamps < _micros(end))
            outside = keep & ~inside
            if outside.any():
                self.out_of_period += int(outside.sum())
                moments = [
                    dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(x))
                    for x in (stamps[outside].min(), stamps[outside].max())
                ]
                self.out_of_period_range = [
                    min([*self.out_of_period_range[:1], moments[0]]),
                    max([*self.out_of_period_range[1:], moments[1]]),
                ]
            keep = keep & inside
        mentions = _list(columns.get("mentions"), n)
        if not keep.all():
            mask = pa.array(keep)
            strings = {k: v.filter(mask) for k, v in strings.items()}
            created = created.filter(mask)
            mentions = [m for m, k in zip(mentions, keep, strict=True) if k]
            counts = {k: v.filter(mask) for k, v in counts.items()}
            locations = [loc for loc, k in zip(locations, keep, strict=True) if k]
        strings["text"] = self._clean_text(strings["text"], locations)
        strings["lang"] = pc.replace_substring_regex(strings["lang"], CONTROL, "")
        return self._table(strings, created, mentions, counts), bad

    def _clean_text(self, text: pa.Array, locations: Sequence[str]) -> pa.Array:
        """Control characters out (counted); texts beyond ``max_text_length`` cut (counted)."""
        control = pc.fill_null(pc.match_substring_regex(text, CONTROL), False).to_numpy(
            zero_copy_only=False
        )
        if control.any():
            self.texts_cleaned += int(control.sum())
            self.first_cleaned = self.first_cleaned or locations[int(np.argmax(control))]
            text = pc.replace_substring_regex(text, CONTROL_SPACE, " ")
            text = pc.replace_substring_regex(text, CONTROL, "")
        long = pc.fill_null(pc.greater(pc.utf8_length(text), self.max_text_length), False)
        over = long.to_numpy(zero_copy_only=False)
        if over.any():
            self.texts_cut += int(over.sum())
            self.first_cut = self.first_cut or locations[int(np.argmax(over))]
            text = pc.if_else(long, pc.utf8_slice_codeunits(text, 0, self.max_text_length), text)
        return text

    def _bad(self, columns, i, location, field, created_ok, reason=None) -> Bad:
        if reason is not None:
            pass
        elif field == "platform" and columns.get("platform") and columns["platform"][i] is not None:
            reason = f"unknown platform {columns['platform'][i]!r}"
        elif (
            field == "created_at"
            and columns.get("created_at")
            and columns["created_at"][i] is not None
        ):
            reason = f"created_at {columns['created_at'][i]!r} is not a timestamp with a known zone"
        else:
            reason = f"required field {field} is missing"
        snippet = {
            k: columns[k][i]
            for k in ("platform", "message_id", "created_at", field)
            if columns.get(k) and k in RAW_FIELDS
        }
        return Bad(location, reason, field, repr(snippet)[:300])

    def _table(
        self, s: dict[str, pa.Array], created: pa.Array, mentions: list, counts: dict
    ) -> pa.Table:
        n = len(created)
        platform = s["platform"]
        author_key = pc.binary_join_element_wise(platform, s["author_id"], ":")
        author_org = self.orgs.lookup(author_key, self.orgs.by_id)
        handle_key = pc.binary_join_element_wise(platform, pc.utf8_lower(s["author_handle"]), ":")
        by_handle = self.orgs.lookup(handle_key, self.orgs.by_handle)
        author_org = np.where(pd.isna(author_org), by_handle, author_org)
        is_org = ~pd.isna(author_org)

        reply_key = pc.binary_join_element_wise(platform, s["in_reply_to_author_id"], ":")
        reply_org = self.orgs.lookup(reply_key, self.orgs.by_id)
        page_org = self.orgs.lookup(
            pc.binary_join_element_wise(platform, s["page_id"], ":"), self.orgs.by_id
        )
        addressed, first_addressed = self._addressed(
            platform, mentions, reply_org, page_org, author_org
        )
        org_id = np.where(
            is_org,
            author_org,
            np.where(pd.isna(first_addressed), self.default_org_id, first_addressed),
        )

        author = self._pseudonymised(platform, s["author_id"], is_org)
        reply_to = self._pseudonymised(platform, s["in_reply_to_author_id"], ~pd.isna(reply_org))
        arrays = {
            "platform": platform,
            "message_id": s["message_id"],
            "thread_id": s["thread_id"],
            "parent_id": s["parent_id"],
            "author_id": author,
            "org_id": pa.array(org_id, pa.string()),
            "is_org": pa.array(is_org),
            "created_at": created,
            "text": self._masked(s["text"]),
            "lang": s["lang"],
            "like_count": counts["like_count"],
            "share_count": counts["share_count"],
            "reply_count": counts["reply_count"],
            "in_reply_to_author_id": reply_to,
            "retweeted_id": s["retweeted_id"],
            "quoted_id": s["quoted_id"],
            "addressed_org_ids": addressed,
            "source_format": pa.array(np.full(n, self.source_format, dtype=object), pa.string()),
            "source_file": pa.array(np.full(n, self.source_file, dtype=object), pa.string()),
            "latest_version_id": s["latest_version_id"],
        }
        return pa.table(arrays, schema=FILE_SCHEMA)

    def _addressed(
        self, platform, mentions, reply_org, page_org, author_org
    ) -> tuple[pa.Array, np.ndarray]:
        """Organisations a message addresses, in order: mentioned handles, replied-to account,
        page; never the author's own organisation, each once."""
        n = len(platform)
        rows, orders, orgs = [], [], []
        names = _mention_lists(mentions)
        flat = pc.list_flatten(names)
        if self.orgs.by_handle and len(flat):
            parent = pc.list_parent_indices(names).to_numpy(zero_copy_only=False)
            keys = pc.binary_join_element_wise(
                pc.take(platform, pa.array(parent)), pc.utf8_lower(flat), ":"
            )
            found = self.orgs.lookup(keys, self.orgs.by_handle)
            rows.append(parent)
            orders.append(np.arange(len(parent)))
            orgs.append(found)
        for k, extra in enumerate((reply_org, page_org)):
            rows.append(np.arange(n))
            orders.append(np.full(n, 1 << 40) + k)
            orgs.append(extra)
        row = np.concatenate(rows)
        org = np.concatenate(orgs)
        order = np.concatenate(orders)
        keep = ~pd.isna(org)
        keep[keep] = org[keep] != author_org[row[keep]]
        found = pd.DataFrame({"row": row[keep], "order": order[keep], "org": org[keep]})
        found = found.drop_duplicates(["row", "org"]).sort_values(["row", "order"], kind="stable")
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(found["row"].to_numpy(), minlength=n), out=offsets[1:])
        values = found["org"].to_numpy(dtype=object)
        first = np.full(n, None, dtype=object)
        has = offsets[1:] > offsets[:-1]
        first[has] = values[offsets[:-1][has]]
        return pa.ListArray.from_arrays(pa.array(offsets), pa.array(values, pa.string())), first

    def _pseudonymised(self, platform: pa.Array, ids: pa.Array, keep: np.ndarray) -> pa.Array:
        """Pseudonyms for the ids of non-organisation accounts; organisation ids as they are."""
        keys = pc.binary_join_element_wise(platform, ids, ":")
        unique = pc.unique(keys).drop_null()
        mapped = pa.array(
            [self.pseudonymise(*k.split(":", 1)) for k in unique.to_pylist()], pa.string()
        )
        pseudonyms = pc.take(mapped, pc.index_in(keys, value_set=unique))
        return pc.if_else(pa.array(keep), ids, pseudonyms)

    def _masked(self, text: pa.Array) -> pa.Array:
        """@-mentions of anyone but organisation accounts become ``@user``."""
        if self._protect:
            text = pc.replace_substring_regex(
                text, pattern=self._protect, replacement=PROTECT + r"\1"
            )
        text = pc.replace_substring_regex(text, pattern=MENTION, replacement=r"\1@user")
        return pc.replace_substring(text, pattern=PROTECT, replacement="@")


def _mention_lists(mentions: list) -> pa.ListArray:
    """Mentioned usernames per message as a list array (anything malformed → empty)."""
    try:
        return pa.array(mentions, pa.list_(pa.string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        clean = [
            [m for m in v if isinstance(m, str)] if isinstance(v, list) else None for v in mentions
        ]
        return pa.array(clean, pa.list_(pa.string()))


def _list(values: list | None, n: int) -> list:
    return values if values is not None else [None] * n


def _strings(
    values: list | None, n: int, is_id: bool = False, quote: bool = True
) -> tuple[pa.Array, dict]:
    """A string column, and {row: why} for values that cannot be one: text that is not valid
    Unicode (bytes that were not UTF-8, a lone surrogate escape), an id that came as a
    floating-point number too large to hold its digits. The reason quotes the value only
    if ``quote`` (never for a field that may name a consumer: reasons reach the summary)."""
    if values is None:
        return pa.nulls(n, pa.string()), {}
    try:
        return pa.array(values, pa.string()), {}
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        pass
    out, problems = [], {}
    for i, value in enumerate(values):
        if is_id and isinstance(value, float) and not (value.is_integer() and abs(value) < 2**53):
            shown = f" {value!r}" if quote else ""
            problems[i] = (
                f"id{shown} is a floating-point number: its digits are lost; export ids as text"
            )
            out.append(None)
            continue
        text = _scalar_text(value)
        if text is not None and not _valid_unicode(text):
            shown = text.encode("utf-8", "backslashreplace")[:80].decode("ascii", "replace")
            problems[i] = "not valid text: bytes that are not UTF-8, or a lone surrogate escape" + (
                f" ({shown!r})" if quote else ""
            )
            text = None
        out.append(text)
    return pa.array(out, pa.string()), problems


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _scalar_text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list | tuple | set):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _micros(moment: dt.datetime) -> int:
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


def _timestamps(values: list | None, n: int, timezone: str) -> tuple[pa.Array, np.ndarray]:
    """UTC timestamps, and which were valid (aware datetimes or strings with a zone/format)."""
    if values is None:
        return pa.nulls(n, pa.timestamp("us", tz="UTC")), np.zeros(n, dtype=bool)
    try:
        strings = pa.array(values, pa.string())
        if pc.all(pc.match_substring_regex(strings, HAS_ZONE)).as_py():
            parsed = pc.cast(strings, pa.timestamp("us", tz="UTC"))
            return parsed, parsed.is_valid().to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    micros = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    for i, value in enumerate(values):
        try:
            moment = parse_timestamp(value, timezone)
        except (ValueError, TypeError, OverflowError):
            continue
        micros[i] = (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(
            microseconds=1
        )
        ok[i] = True
    return pa.array(micros, pa.timestamp("us", tz="UTC"), mask=~ok), ok


def _counts(values: list, name: str) -> tuple[pa.Array, dict]:
    """A count column (int64), and {row: why} for values that are not a count: negative, not
    a whole number, not a number, or beyond 64 bits. Missing (None, "") is null."""
    if all(v is None or type(v) is int for v in values):  # pyarrow would truncate 2.5 to 2
        try:
            array = pa.array(values, pa.int64())
            smallest = pc.min(array).as_py()
            if smallest is None or smallest >= 0:
                return array, {}
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            pass
    out, problems = [], {}
    for i, value in enumerate(values):
        count, why = check_count(value)
        out.append(count)
        if why:
            problems[i] = (
                f"{name} {_shown(value)} {why}; a count is a whole number from 0 to 2^63-1"
            )
    return pa.array(out, pa.int64()), problems


def check_count(value: Any) -> tuple[int | None, str | None]:
    """(the count, None), or (None, why the value is not a count); (None, None) if missing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, "is true/false, not a number"
    number = value
    if isinstance(value, str):
        text = value.strip()
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None, "is not a number"
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            return None, "is not a number"
        if not number.is_integer():
            return None, "is not a whole number"
        if abs(number) >= 2**63:
            return None, "is beyond 64 bits (a number this large is damage)"
        number = int(number)
    if not isinstance(number, int):
        return None, "is not a number"
    if number < 0:
        return None, "is negative"
    if number > MAX_COUNT:
        return None, "is beyond 64 bits (a number this large is damage)"
    return number, None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"
