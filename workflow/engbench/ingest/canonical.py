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

from engbench.ingest.privacy import Pseudonymiser
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
COUNT_FIELDS = ("like_count", "share_count", "reply_count")
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
    ):
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
        strings = {name: _strings(columns.get(name), n) for name in STRING_FIELDS}
        created, created_ok = _timestamps(columns.get("created_at"), n, self.timezone)
        problem = np.full(n, None, dtype=object)
        for name in reversed(REQUIRED):
            if name == "created_at":
                missing = ~created_ok
            else:
                values = strings[name]
                missing = ~pc.fill_null(
                    pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(values)), 0), False
                ).to_numpy(zero_copy_only=False)
            problem[missing] = name
        platform_ok = pc.fill_null(
            pc.is_in(strings["platform"], value_set=pa.array(PLATFORMS)), False
        )
        problem[~platform_ok.to_numpy(zero_copy_only=False) & pd.isna(problem)] = "platform"
        bad = [
            self._bad(columns, i, locations[i], field, created_ok)
            for i, field in enumerate(problem)
            if field is not None
        ]
        keep = pd.isna(problem)
        if not keep.all():
            mask = pa.array(keep)
            strings = {k: v.filter(mask) for k, v in strings.items()}
            created = created.filter(mask)
            mentions = [
                m for m, k in zip(_list(columns.get("mentions"), n), keep, strict=True) if k
            ]
            counts = {
                k: [v for v, ok in zip(_list(columns.get(k), n), keep, strict=True) if ok]
                for k in COUNT_FIELDS
            }
        else:
            mentions = _list(columns.get("mentions"), n)
            counts = {k: _list(columns.get(k), n) for k in COUNT_FIELDS}
        return self._table(strings, created, mentions, counts), bad

    def _bad(self, columns, i, location, field, created_ok) -> Bad:
        if field == "platform" and columns.get("platform") and columns["platform"][i] is not None:
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
            k: columns[k][i] for k in ("platform", "message_id", "created_at") if columns.get(k)
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
            "like_count": _counts(counts["like_count"]),
            "share_count": _counts(counts["share_count"]),
            "reply_count": _counts(counts["reply_count"]),
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


def _strings(values: list | None, n: int) -> pa.Array:
    if values is None:
        return pa.nulls(n, pa.string())
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([_scalar_text(v) for v in values], pa.string())


def _scalar_text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list | tuple | set):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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


def _counts(values: list) -> pa.Array:
    try:
        return pa.array(values, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        out = []
        for v in values:
            try:
                out.append(int(float(v)) if v not in (None, "") else None)
            except (TypeError, ValueError, OverflowError):
                out.append(None)
        return pa.array(out, pa.int64())
