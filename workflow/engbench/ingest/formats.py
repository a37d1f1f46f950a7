"""The archive formats engbench reads: name → parser module.

A parser module has ``READER`` ("json" or "csv"), ``parse(record, location,
context)`` yielding raw-field dicts (see ``records``) or ``Bad`` records,
``sniff(first record)`` (JSON) or ``sniff_header(columns)`` (CSV) for
detection, and optionally ``check_file(path, context)`` for damage that only
shows across a whole file. Detection tries the formats in this order.
"""

from __future__ import annotations

from engbench.ingest import (
    bluesky,
    customer_care_json,
    facebook_graph,
    fourcat_csv,
    mapped_table,
    mastodon,
    twitter_v1,
    x_api_v2,
    x_archive,
)

FORMATS = {
    "x_api_v2": x_api_v2,
    "twitter_v1": twitter_v1,
    "x_archive": x_archive,
    "facebook_graph": facebook_graph,
    "bluesky": bluesky,
    "mastodon": mastodon,
    "customer_care_json": customer_care_json,
    "fourcat_csv": fourcat_csv,
    "mapped_table": mapped_table,
}
