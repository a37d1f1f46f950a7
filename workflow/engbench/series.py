"""A series of editions: what each edition was computed with, and what changed between two.

Every edition records its **definitions** (:func:`definitions`, written to
``results/<edition>/definitions.json``): the answer window, the response rule, webcare
hours, timezone, index weights, codebook version, the hash of the classifier's training
data, and the panel's loyalty items and scales. Before two editions are compared their
definitions are compared (:func:`compare_definitions`); a change in an indicator whose
definition differs is refused (:class:`SeriesError`, naming the definition and both
values) unless the series config accepts that difference, and then every affected change
is marked ``comparable = False`` and the report says so.

**Changes** (:func:`changes`): for every organisation (and ``all``) × platform × indicator
estimated in both editions, both estimates, the change (to − from) and a 95% percentile
interval of the change. Each edition's indicators were bootstrapped on their own (threads
resampled within the edition, metrics.py), so the two editions' resamples are independent;
resample i of one edition is paired with resample i of the other and the interval is the
2.5 and 97.5 percentiles of the paired differences (the bootstrap of a difference of two
independent estimates).

**Rank change** (:func:`league_changes`): every edition's engagement index and ranks are
recomputed in each resample (the same components and standardisation as
metrics.engagement_index, among that edition's organisations); the rank change of an
organisation in both editions has the interval of the paired rank differences.

**Edition-wide change** (:func:`edition_wide`): the mean over organisations (each counts
once) of an indicator, in each resample too, on the **like-for-like** set (organisations
with an estimate in both editions) and on each **full** edition; :func:`entrants_leavers`
names the organisations (and organisation × platform cells) present in one edition only.

**The panel** (:func:`follower_effect_changes`): each loyalty model's follower effect per
wave and its change, the waves taken as separate samples; :func:`linked_respondents` finds
respondents in both waves by their panel id (and checks that gender and age fit the same
person), and when there are some the change of the weighted least squares models'
follower effect gets the interval of a bootstrap that resamples respondents jointly
across the waves (:func:`follower_effect_changes_linked`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from engbench import metrics

CHANGE_COLUMNS = [
    "org_id",
    "platform",
    "indicator",
    "edition_from",
    "edition_to",
    "estimate_from",
    "estimate_to",
    "change",
    "lower",
    "upper",
    "n_from",
    "n_to",
    "comparable",
]
# The response rule of the threads stage (threads.py): the first organisation message in the
# incoming message's thread that replies to its author, after it, within the answer window.
RESPONSE_DEFINITION = "thread"
# The codebook whose version every edition records.
CODEBOOK = "data/labels/CODEBOOK.md"
# Indicators where a lower value is better (the rest: higher is better); rank 1 is the best.
LOWER_IS_BETTER = ("response_time", "rank")


class SeriesError(Exception):
    """Two editions cannot be compared as configured (a definition differs, not accepted),
    or the series config is not valid."""


# ---------------------------------------------------------------------------------------
# The series config


def read_series(config: Mapping, source: str = "series config") -> dict:
    """The validated series config with every edition's validated config:
    {"name", "title", "accept", "editions": {edition name: {"path", "config"}}} (oldest
    first). Raises SeriesError listing the problems, or ConfigError for an edition config."""
    import jsonschema
    import yaml

    from engbench.config import SCHEMA_DIR, _problem, _with_defaults, load_schema, validate_config

    config = json.loads(json.dumps(config))  # a plain copy the defaults are filled into
    validator = _with_defaults(jsonschema.Draft202012Validator)(
        load_schema(SCHEMA_DIR / "series.schema.yaml")
    )
    errors = sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = "\n".join(f"  - {_problem(e)}" for e in errors)
        raise SeriesError(f"{source} is not a valid engbench series configuration:\n{lines}")
    spec = config["series"]
    editions = {}
    for path in spec["editions"]:
        if not Path(path).is_file():
            raise SeriesError(f"{source}: key `series.editions`: {path} not found")
        with open(path, encoding="utf-8") as f:
            edition = validate_config(yaml.safe_load(f), source=str(path))
        name = edition["edition"]["name"]
        if name in editions:
            raise SeriesError(
                f"{source}: key `series.editions`: {editions[name]['path']} and {path} are "
                f"both edition {name!r}; expected one config per edition"
            )
        editions[name] = {"path": str(path), "config": edition}
    return {
        "name": spec["name"],
        "title": spec["title"],
        "accept": dict(spec["accept"]),
        "editions": editions,
    }


# ---------------------------------------------------------------------------------------
# Definitions


def definitions(
    config: Mapping,
    codebook_text: str,
    label_files: Iterable[tuple[str | Path, float]],
    panel_wording: Mapping[str, str] | None = None,
) -> dict:
    """What the edition's indicators were computed with, as plain JSON values.

    ``config``: the validated edition config; ``codebook_text``: the codebook
    (data/labels/CODEBOOK.md) whose version is recorded; ``label_files``: the classifier's
    training sources as (path, weight) — their bytes and weights are hashed; ``panel_wording``:
    the panel's item wording (variable labels), if the file carries them.
    """
    panel = config.get("panel")
    return {
        "edition": config["edition"]["name"],
        "definitions": {
            "answer_window_days": config["answer_window_days"],
            "response_definition": RESPONSE_DEFINITION,
            "webcare_hours": dict(config["webcare_hours"]),
            "timezone": config["timezone"],
            "index_weights": dict(config["metrics"]["index_weights"]),
            "codebook_version": codebook_version(codebook_text),
            "classifier_training_data": training_data_hash(label_files),
            "panel_items": _panel_items(panel, panel_wording) if panel else None,
        },
        # not definitions: how the intervals were drawn (stated, never compared)
        "bootstrap": {
            "resamples": config["metrics"]["bootstrap_resamples"],
            "seed": config["metrics"]["seed"],
        },
        "period": dict(config["period"]),
    }


def edition_paths(editions: Iterable[str], relative: str) -> list[str]:
    """The same result of every edition, in order: results/<edition>/<relative>."""
    return [f"results/{name}/{relative}" for name in editions]


def check_series(series_config: Mapping, codebook: str | Path = CODEBOOK) -> None:
    """Check, before any job runs, that consecutive editions of a series (:func:`read_series`)
    share their definitions as far as their configs and training files tell (the panel's
    item wording is checked once the panel files exist, by the series stage); raises
    SeriesError naming each difference not accepted."""
    from engbench.classify.adapt import label_sources

    text = Path(codebook).read_text(encoding="utf-8")
    found = [
        definitions(e["config"], text, label_sources(e["config"]["classify"]["labels"]))
        for e in series_config["editions"].values()
    ]
    for a, b in pairwise(found):
        check_comparable(a, b, series_config["accept"])


def panel_wording(
    variables: Mapping, column_labels: Mapping[str, str], panel_code: str, name: str
) -> dict[str, str]:
    """The wording of the loyalty items and the recommendation question, from the panel
    file's variable labels (wide layout: the columns of one organisation, its code and name
    replaced by ``{org}``); empty where the file has no labels (CSV, XLSX)."""
    items = [*variables["loyalty_items"], variables["recommend"]]
    wording = {}
    for item in items:
        label = column_labels.get(item.replace("{org}", panel_code)) or column_labels.get(item)
        if label:
            wording[item] = label.replace(name, "{org}").replace(panel_code, "{org}")
    return wording


def codebook_version(text: str) -> str:
    """The version in the codebook's heading (``versie / version **1.1**``)."""
    found = re.search(r"version\s*\*\*([0-9][0-9.]*)\*\*", text, flags=re.IGNORECASE)
    if not found:
        raise SeriesError("the codebook states no version (expected 'version **x.y**')")
    return found.group(1)


def training_data_hash(label_files: Iterable[tuple[str | Path, float]]) -> str:
    """sha256 over the training sources' bytes and weights, in order."""
    digest = hashlib.sha256()
    for path, weight in label_files:
        digest.update(Path(path).read_bytes())
        digest.update(f"|weight={float(weight)!r}|".encode())
    return "sha256:" + digest.hexdigest()


def _panel_items(panel: Mapping, wording: Mapping[str, str] | None) -> dict:
    from engbench.panel import CODES

    variables = panel["variables"]
    return {
        "loyalty_items": list(variables["loyalty_items"]),
        "loyalty_scale": CODES["loyalty"][1],
        "recommend": variables["recommend"],
        "recommend_scale": CODES["recommend"][1].split(" ")[0],
        "wording": dict(sorted((wording or {}).items())),
    }


# Which indicators each definition moves. An indicator not named here for a definition
# keeps its meaning when that definition changes.
def affects(definition: str, indicator: str) -> bool:
    """True when a change of ``definition`` changes what ``indicator`` measures."""
    responses = indicator.startswith(("response_rate", "response_time", "answered_within"))
    league = indicator in ("engagement_index", "rank")
    typed = indicator.startswith("response_rate_")
    return {
        "answer_window_days": responses or league,
        "response_definition": responses or league,
        "webcare_hours": indicator.startswith("response_time_webcare") or league,
        "timezone": True,  # months and webcare hours are local
        "index_weights": league,
        "codebook_version": typed,
        "classifier_training_data": typed,
        "panel_items": indicator.startswith("follower_effect"),
    }.get(definition, True)


def compare_definitions(
    from_definitions: Mapping, to_definitions: Mapping
) -> list[tuple[str, object, object]]:
    """(definition, value in the first edition, value in the second) for every difference."""
    a, b = from_definitions["definitions"], to_definitions["definitions"]
    return [(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def check_comparable(
    from_definitions: Mapping, to_definitions: Mapping, accepted: Mapping[str, str]
) -> dict[str, str]:
    """The accepted differences between two editions' definitions, {definition: note}.

    ``accepted``: definition → the reason the series config gives for accepting a difference.
    Raises SeriesError naming every definition that differs and is not accepted, with both
    values. The note of an accepted difference states both values and the reason.
    """
    ed_from, ed_to = from_definitions["edition"], to_definitions["edition"]
    differences = compare_definitions(from_definitions, to_definitions)
    refused = [d for d in differences if d[0] not in accepted]
    if refused:
        lines = "\n".join(
            f"  - {name}: {_show(a)} in {ed_from}, {_show(b)} in {ed_to}" for name, a, b in refused
        )
        raise SeriesError(
            f"editions {ed_from} and {ed_to} were computed with different definitions:\n{lines}\n"
            "Their changes would not measure a change in the organisations. Compute both "
            "editions with the same definitions, or accept the difference in the series "
            "config (series.accept: {definition: reason}); the affected changes are then "
            "marked not comparable."
        )
    return {
        name: f"{name}: {_show(a)} in {ed_from}, {_show(b)} in {ed_to} (accepted: {accepted[name]})"
        for name, a, b in differences
    }


def _show(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def is_comparable(indicator: str, accepted_differences: Iterable[str]) -> bool:
    """False when an accepted difference in definitions moves ``indicator``."""
    return not any(affects(d, indicator) for d in accepted_differences)


# ---------------------------------------------------------------------------------------
# Changes


def edition_cells(indicators: pd.DataFrame) -> pd.DataFrame:
    """The edition-period rows of an indicator table: org_id, platform, indicator, estimate,
    lower, upper, n."""
    edition = indicators[indicators["period"] == metrics.EDITION]
    return edition[["org_id", "platform", "indicator", "estimate", "lower", "upper", "n"]]


def _paired(resamples_from: pd.DataFrame, resamples_to: pd.DataFrame, keys: list[str]):
    """Resample i of one edition beside resample i of the other (resamples both have)."""
    return resamples_from.merge(
        resamples_to, on=[*keys, "resample"], suffixes=("_from", "_to"), how="inner"
    )


def _percentile_interval(frame: pd.DataFrame, keys: list[str], column: str) -> pd.DataFrame:
    """2.5 and 97.5 percentiles of ``column`` per ``keys`` group, finite values only; NaN
    where fewer than 10 are finite (as metrics._interval)."""
    finite = frame[np.isfinite(frame[column])]
    grouped = finite.groupby(keys, sort=False)[column]
    out = grouped.quantile([0.025, 0.975]).unstack()
    out.columns = ["lower", "upper"]
    count = grouped.size()
    out.loc[count[count < 10].index, ["lower", "upper"]] = np.nan
    return out.reset_index()


def changes(
    indicators_from: pd.DataFrame,
    indicators_to: pd.DataFrame,
    resamples_from: pd.DataFrame,
    resamples_to: pd.DataFrame,
    edition_from: str,
    edition_to: str,
    accepted_differences: Iterable[str] = (),
) -> pd.DataFrame:
    """The change of every organisation (and ``all``) × platform × indicator with resamples
    in both editions: CHANGE_COLUMNS, sorted.

    ``indicators_*``: metrics.indicators tables; ``resamples_*``: metrics.resamples_table
    tables; ``accepted_differences``: definitions that differ between the editions (accepted
    by the series config) — the indicators they move get ``comparable`` False.
    Indicators without resamples (the counts n_*) have no interval and are left out.
    """
    keys = ["org_id", "platform", "indicator"]
    a = edition_cells(indicators_from)
    b = edition_cells(indicators_to)
    both = a.merge(b, on=keys, suffixes=("_from", "_to"), how="inner")
    pairs = _paired(resamples_from, resamples_to, keys)
    pairs["difference"] = pairs["value_to"] - pairs["value_from"]
    interval = _percentile_interval(pairs, keys, "difference")
    with_draws = pairs[keys].drop_duplicates()
    both = both.merge(with_draws, on=keys, how="inner").merge(interval, on=keys, how="left")
    accepted = list(accepted_differences)
    out = pd.DataFrame(
        {
            "org_id": both["org_id"],
            "platform": both["platform"],
            "indicator": both["indicator"],
            "edition_from": edition_from,
            "edition_to": edition_to,
            "estimate_from": both["estimate_from"].astype(float),
            "estimate_to": both["estimate_to"].astype(float),
            "change": (both["estimate_to"] - both["estimate_from"]).astype(float),
            "lower": both["lower"].astype(float),
            "upper": both["upper"].astype(float),
            "n_from": both["n_from"].astype("int64"),
            "n_to": both["n_to"].astype("int64"),
            "comparable": [is_comparable(i, accepted) for i in both["indicator"]],
        }
    )
    return out.sort_values(keys).reset_index(drop=True)[CHANGE_COLUMNS]


def verdict(frame: pd.DataFrame) -> pd.Series:
    """improved | worsened | no clear change, per change row: improved when the interval
    excludes zero on the better side (lower is better for response times and ranks)."""
    lower_better = frame["indicator"].str.startswith(LOWER_IS_BETTER)
    up = frame["lower"] > 0
    down = frame["upper"] < 0
    better = np.where(lower_better, down, up)
    worse = np.where(lower_better, up, down)
    return pd.Series(
        np.select([better, worse], ["improved", "worsened"], "no clear change"), index=frame.index
    )


# ---------------------------------------------------------------------------------------
# The league: engagement index and rank, in every resample


def league_draws(
    indicators: pd.DataFrame, resamples: pd.DataFrame, weights: Mapping[str, float]
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """An edition's engagement index and ranks (all platforms), as metrics.engagement_index
    computes them, with their resamples: (league with org_id, index, rank; index draws and
    rank draws, resamples × organisations in the league's order of org_id)."""
    names = (
        "response_rate",
        "response_time_webcare_median",
        "dialogue_share",
        "engagement_per_1000_followers",
    )
    cells = edition_cells(indicators)
    cells = cells[(cells["platform"] == metrics.ALL) & (cells["org_id"] != metrics.ALL)]
    orgs = sorted(set(cells["org_id"]))
    estimate = cells.pivot_table(index="org_id", columns="indicator", values="estimate")
    estimate = estimate.reindex(index=orgs, columns=list(names))
    draws = resamples[
        (resamples["platform"] == metrics.ALL)
        & resamples["org_id"].isin(orgs)
        & resamples["indicator"].isin(names)
    ]
    wide = draws.pivot_table(
        index="resample", columns=["indicator", "org_id"], values="value", dropna=False
    )
    point = metrics._components({c: estimate[c].to_numpy(float) for c in names})
    replicate = metrics._components(
        {c: wide[c].reindex(columns=orgs).to_numpy(float) for c in names}
    )
    total = sum(weights.values())
    index = sum(weights[c] * metrics._z(point[c]) for c in metrics.INDEX_COMPONENTS) / total
    index_draws = (
        sum(weights[c] * metrics._z(replicate[c]) for c in metrics.INDEX_COMPONENTS) / total
    )
    rank = metrics._ranks(index[None, :])[0]
    league = pd.DataFrame({"org_id": orgs, "index": index, "rank": rank})
    return league, index_draws, metrics._ranks(index_draws)


def league_changes(
    indicators_from: pd.DataFrame,
    resamples_from: pd.DataFrame,
    weights_from: Mapping[str, float],
    indicators_to: pd.DataFrame,
    resamples_to: pd.DataFrame,
    weights_to: Mapping[str, float],
    edition_from: str,
    edition_to: str,
    accepted_differences: Iterable[str] = (),
) -> pd.DataFrame:
    """Change of every organisation's engagement index and rank (each within its own
    edition's league) between two editions, in CHANGE_COLUMNS (platform ``all``, indicator
    ``engagement_index`` or ``rank``; n is the number of organisations in the league)."""
    league_a, index_a, rank_a = league_draws(indicators_from, resamples_from, weights_from)
    league_b, index_b, rank_b = league_draws(indicators_to, resamples_to, weights_to)
    common = sorted(set(league_a["org_id"]) & set(league_b["org_id"]))
    b_resamples = min(len(index_a), len(index_b))
    accepted = list(accepted_differences)
    rows = []
    for name, point_a, point_b, draws_a, draws_b in (
        ("engagement_index", league_a["index"], league_b["index"], index_a, index_b),
        ("rank", league_a["rank"], league_b["rank"], rank_a, rank_b),
    ):
        for org in common:
            i = league_a.index[league_a["org_id"] == org][0]
            j = league_b.index[league_b["org_id"] == org][0]
            difference = draws_b[:b_resamples, j].astype(float) - draws_a[:b_resamples, i].astype(
                float
            )
            lower, upper = (
                np.percentile(difference, [2.5, 97.5]) if b_resamples >= 10 else (np.nan, np.nan)
            )
            rows.append(
                {
                    "org_id": org,
                    "platform": metrics.ALL,
                    "indicator": name,
                    "edition_from": edition_from,
                    "edition_to": edition_to,
                    "estimate_from": float(point_a[i]),
                    "estimate_to": float(point_b[j]),
                    "change": float(point_b[j] - point_a[i]),
                    "lower": float(lower),
                    "upper": float(upper),
                    "n_from": len(league_a),
                    "n_to": len(league_b),
                    "comparable": is_comparable(name, accepted),
                }
            )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


# ---------------------------------------------------------------------------------------
# Edition-wide: like-for-like and full editions; entrants and leavers


def edition_wide(
    indicators_from: pd.DataFrame,
    indicators_to: pd.DataFrame,
    resamples_from: pd.DataFrame,
    resamples_to: pd.DataFrame,
    edition_from: str,
    edition_to: str,
    accepted_differences: Iterable[str] = (),
) -> pd.DataFrame:
    """The mean over organisations of every indicator with resamples, per platform (and
    ``all``), on the like-for-like set and on the full editions, with the change and its
    interval (paired resamples, the mean taken in every resample over the organisations
    with a value in it).

    Columns: set (like_for_like | full), platform, indicator, edition_from, edition_to,
    estimate_from, estimate_to, change, lower, upper, orgs_from, orgs_to, comparable.
    """
    keys = ["platform", "indicator"]
    a = edition_cells(indicators_from)
    b = edition_cells(indicators_to)
    a = a[(a["org_id"] != metrics.ALL) & np.isfinite(a["estimate"])]
    b = b[(b["org_id"] != metrics.ALL) & np.isfinite(b["estimate"])]
    with_draws = set(resamples_from["indicator"]) & set(resamples_to["indicator"])
    a = a[a["indicator"].isin(with_draws)]
    b = b[b["indicator"].isin(with_draws)]
    cell = ["org_id", *keys]
    common = a[cell].merge(b[cell], on=cell)
    accepted = list(accepted_differences)
    out = []
    for name, set_a, set_b in (
        ("like_for_like", a.merge(common, on=cell), b.merge(common, on=cell)),
        ("full", a, b),
    ):
        mean_a = set_a.groupby(keys)["estimate"].agg(["mean", "size"])
        mean_b = set_b.groupby(keys)["estimate"].agg(["mean", "size"])
        draws_a = _mean_draws(resamples_from, set_a[cell])
        draws_b = _mean_draws(resamples_to, set_b[cell])
        pairs = draws_a.merge(draws_b, on=[*keys, "resample"], suffixes=("_from", "_to"))
        pairs["difference"] = pairs["value_to"] - pairs["value_from"]
        interval = _percentile_interval(pairs, keys, "difference").set_index(keys)
        table = mean_a.merge(mean_b, on=keys, suffixes=("_from", "_to")).join(interval)
        table = table.reset_index()
        out.append(
            pd.DataFrame(
                {
                    "set": name,
                    "platform": table["platform"],
                    "indicator": table["indicator"],
                    "edition_from": edition_from,
                    "edition_to": edition_to,
                    "estimate_from": table["mean_from"],
                    "estimate_to": table["mean_to"],
                    "change": table["mean_to"] - table["mean_from"],
                    "lower": table["lower"],
                    "upper": table["upper"],
                    "orgs_from": table["size_from"].astype("int64"),
                    "orgs_to": table["size_to"].astype("int64"),
                    "comparable": [is_comparable(i, accepted) for i in table["indicator"]],
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def _mean_draws(resamples: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """Per platform × indicator × resample: the mean of the organisations' values in
    ``cells`` (NaN values left out)."""
    chosen = resamples.merge(cells, on=["org_id", "platform", "indicator"])
    return (
        chosen.groupby(["platform", "indicator", "resample"])["value"]
        .mean()
        .rename("value")
        .reset_index()
    )


def entrants_leavers(indicators_from: pd.DataFrame, indicators_to: pd.DataFrame) -> pd.DataFrame:
    """Organisations (platform ``all``) and organisation × platform cells with incoming or
    organisation messages in one edition only: org_id, platform, status (entrant | leaver)."""
    rows = []
    present = []
    for table in (indicators_from, indicators_to):
        cells = edition_cells(table)
        counts = cells[
            cells["indicator"].isin(["n_broadcasts", "n_replies", "n_incoming"])
            & (cells["estimate"] > 0)
            & (cells["org_id"] != metrics.ALL)
        ]
        present.append(set(zip(counts["org_id"], counts["platform"], strict=True)))
    a, b = present
    for status, cells in (("leaver", a - b), ("entrant", b - a)):
        orgs_other = {o for o, _ in (b if status == "leaver" else a)}
        for org, platform in sorted(cells):
            # a platform cell of an organisation that entered or left as a whole is not listed
            if platform != metrics.ALL and org not in orgs_other:
                continue
            rows.append((org, platform, status))
    return pd.DataFrame(rows, columns=["org_id", "platform", "status"])


def trends(
    editions: Mapping[str, pd.DataFrame], coefficients: Mapping[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Every edition's edition-period estimates stacked: edition, org_id, platform,
    indicator, estimate, lower, upper, n (editions in the given order), and the follower
    effects of the editions with a panel (``coefficients``: models/coefficients.csv)."""
    parts = [edition_cells(table).assign(edition=name) for name, table in editions.items()]
    for name, table in (coefficients or {}).items():
        effects = follower_effects(table).drop(columns="std_error")
        parts.append(effects.assign(edition=name, org_id=metrics.ALL, platform=metrics.ALL))
    out = pd.concat(parts, ignore_index=True)
    return out[["edition", "org_id", "platform", "indicator", "estimate", "lower", "upper", "n"]]


# ---------------------------------------------------------------------------------------
# The panel: the follower effect per wave and its change

FOLLOWS = "follows"


def follower_effects(coefficients: pd.DataFrame) -> pd.DataFrame:
    """The follower effect of every loyalty model of an edition (models/coefficients.csv,
    term ``follows``): indicator ``follower_effect_<model>``, estimate, lower, upper,
    std_error, n (respondents)."""
    rows = coefficients[coefficients["term"] == FOLLOWS]
    return pd.DataFrame(
        {
            "indicator": "follower_effect_" + rows["model"].astype(str),
            "estimate": rows["estimate"].astype(float),
            "lower": rows["ci_low"].astype(float),
            "upper": rows["ci_high"].astype(float),
            "std_error": rows["std_error"].astype(float),
            "n": rows["n_respondents"].astype("int64"),
        }
    ).reset_index(drop=True)


def follower_effect_changes(
    coefficients_from: pd.DataFrame,
    coefficients_to: pd.DataFrame,
    edition_from: str,
    edition_to: str,
    accepted_differences: Iterable[str] = (),
) -> pd.DataFrame:
    """The change of each model's follower effect between two waves of the panel, in
    CHANGE_COLUMNS (org_id and platform ``all``). The waves are separate samples of
    respondents, so the change's standard error is the root of the sum of the two squared
    standard errors and its 95% interval is change ± 1.96 of them (normal); no interval
    (NaN) where an edition's standard error is degenerate (≈ 0, as under separation)."""
    a = follower_effects(coefficients_from).set_index("indicator")
    b = follower_effects(coefficients_to).set_index("indicator")
    both = a.merge(b, left_index=True, right_index=True, suffixes=("_from", "_to"))
    if both.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    change = both["estimate_to"] - both["estimate_from"]
    se = np.sqrt(both["std_error_from"] ** 2 + both["std_error_to"] ** 2)
    # a model whose standard error is degenerate (separation in a logit: SE ≈ 0) gives no
    # usable interval for the change
    degenerate = ~(
        (both["std_error_from"] > 1e-6 * both["estimate_from"].abs().clip(lower=1))
        & (both["std_error_to"] > 1e-6 * both["estimate_to"].abs().clip(lower=1))
    )
    se = se.where(~degenerate, np.nan)
    accepted = list(accepted_differences)
    return pd.DataFrame(
        {
            "org_id": metrics.ALL,
            "platform": metrics.ALL,
            "indicator": both.index,
            "edition_from": edition_from,
            "edition_to": edition_to,
            "estimate_from": both["estimate_from"],
            "estimate_to": both["estimate_to"],
            "change": change,
            "lower": change - 1.959964 * se,
            "upper": change + 1.959964 * se,
            "n_from": both["n_from"],
            "n_to": both["n_to"],
            "comparable": [is_comparable(i, accepted) for i in both.index],
        }
    ).reset_index(drop=True)[CHANGE_COLUMNS]


# ---------------------------------------------------------------------------------------
# The panel: respondents in both waves

# The loyalty models whose follower effect a paired bootstrap refits (weighted least squares,
# models.ols_formula with these terms); the other models keep the separate-samples interval.
PAIRED_MODELS = {
    "ols_fe": "follows",
    "cross_level": "follows + follows:dialogue_c + follows:response_c",
}
# Respondent ids that match between waves are taken as the same people only when gender and
# age (advanced by the years between the waves, ± 1) agree for at least this share of them;
# below it the panel numbers its respondents per wave (the same number, another person).
SAME_PERSON_SHARE = 0.9


def _respondents(analysis: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent of an analysis table: id (text), age, gender (when there)."""
    columns = [c for c in ("age", "gender") if c in analysis]
    people = analysis[["respondent_id", *columns]].copy()
    people["respondent_id"] = people["respondent_id"].astype(str)
    if "gender" in people:
        people["gender"] = people["gender"].astype(object)
    return people.drop_duplicates("respondent_id").set_index("respondent_id")


def linked_respondents(
    analysis_from: pd.DataFrame, analysis_to: pd.DataFrame, years: int
) -> tuple[dict, set[str]]:
    """The respondents of two waves of the panel (panel/analysis.parquet) who are the same
    people, by the panel's respondent id as the editions store it.

    An id in both waves is the same person when gender and age fit (same gender; age
    advanced by ``years`` ± 1 — the waves' years apart); when fewer than
    ``SAME_PERSON_SHARE`` of the matching ids fit, the panel numbers its respondents per
    wave (as the simulator does) and no one is linked. Without age and gender every
    matching id is linked. Returns (counts — ``status`` separate | ids_differ | linked,
    respondents_from, respondents_to, id_matches, inconsistent, respondents_both — and the
    linked ids, which never leave the series stage).
    """
    a, b = _respondents(analysis_from), _respondents(analysis_to)
    matches = a.index.intersection(b.index)
    fits = pd.Series(True, index=matches)
    if "gender" in a and "gender" in b:
        fits &= (a.loc[matches, "gender"] == b.loc[matches, "gender"]).to_numpy()
    if "age" in a and "age" in b:
        older = b.loc[matches, "age"].astype(float) - a.loc[matches, "age"].astype(float)
        fits &= ((older >= years - 1) & (older <= years + 1)).to_numpy()
    same = len(matches) > 0 and fits.mean() >= SAME_PERSON_SHARE
    linked = set(fits.index[fits]) if same else set()
    status = "linked" if same else ("ids_differ" if len(matches) else "separate")
    return {
        "status": status,
        "respondents_from": len(a),
        "respondents_to": len(b),
        "id_matches": len(matches),
        "inconsistent": int((~fits).sum()),
        "respondents_both": len(linked),
    }, linked


def _wls_design(analysis: pd.DataFrame, terms: str):
    """The model's complete rows as arrays: X, y, survey weight, respondent id, and the
    column of ``follows`` in X (models.prepare, models.ols_formula)."""
    import patsy

    from engbench import models

    data = models.prepare(analysis)
    y, x = patsy.dmatrices(models.ols_formula(terms), data, return_type="dataframe")
    rows = data.loc[x.index]
    return (
        x.to_numpy(float),
        y.to_numpy(float).ravel(),
        rows["weight"].to_numpy(float),
        rows["respondent_id"].astype(str).to_numpy(),
        list(x.columns).index(FOLLOWS),
    )


def _follows_draws(design, counts: np.ndarray) -> np.ndarray:
    """The ``follows`` coefficient of the weighted least squares fit in every resample:
    each row weighted by its survey weight × its respondent's count (``counts``: resamples
    × rows)."""
    x, y, weight, _, column = design
    out = np.full(len(counts), np.nan)
    for k, count in enumerate(counts):
        w = weight * count
        xtw = x.T * w
        beta = np.linalg.lstsq(xtw @ x, xtw @ y, rcond=None)[0]
        out[k] = beta[column]
    return out


def paired_follower_effects(
    analysis_from: pd.DataFrame,
    analysis_to: pd.DataFrame,
    linked: set[str],
    terms: str,
    resamples: int,
    seed: int,
) -> np.ndarray:
    """Resamples of the change of a model's follower effect between two waves whose
    respondents ``linked`` took part in both: each respondent gets a Poisson(1) count per
    resample (as the thread bootstrap of metrics.py), one count in both waves for a linked
    respondent, its own in its wave for the rest; the model (weighted least squares,
    models.ols_formula with ``terms``) is refitted with the rows weighted by survey weight ×
    count. Returns the paired differences (to − from), one per resample."""
    designs = [_wls_design(t, terms) for t in (analysis_from, analysis_to)]
    keys = [
        np.array([i if i in linked else f"{side}:{i}" for i in design[3]], dtype=object)
        for side, design in zip(("from", "to"), designs, strict=True)
    ]
    union = np.unique(np.concatenate(keys).astype(str))
    counts = np.random.default_rng(seed).poisson(1.0, (resamples, len(union)))
    draws = [
        _follows_draws(design, counts[:, np.searchsorted(union, key.astype(str))])
        for design, key in zip(designs, keys, strict=True)
    ]
    return draws[1] - draws[0]


def follower_effect_changes_linked(
    effect: pd.DataFrame,
    analysis_from: pd.DataFrame,
    analysis_to: pd.DataFrame,
    linked: set[str],
    resamples: int,
    seed: int,
) -> tuple[pd.DataFrame, list[str]]:
    """``effect`` (:func:`follower_effect_changes`) with the interval of each model in
    ``PAIRED_MODELS`` replaced by the 2.5 and 97.5 percentiles of the paired bootstrap
    (:func:`paired_follower_effects`); returns the table and the models so treated."""
    out = effect.copy()
    done = []
    for model, terms in PAIRED_MODELS.items():
        at = out.index[out["indicator"] == f"follower_effect_{model}"]
        if len(at) == 0:
            continue
        if model == "cross_level" and not all(
            "dialogue_c" in t and t["dialogue_c"].notna().all()
            for t in (analysis_from, analysis_to)
        ):
            continue
        difference = paired_follower_effects(
            analysis_from, analysis_to, linked, terms, resamples, seed
        )
        finite = difference[np.isfinite(difference)]
        lower, upper = np.percentile(finite, [2.5, 97.5]) if len(finite) >= 10 else (np.nan, np.nan)
        out.loc[at, ["lower", "upper"]] = [float(lower), float(upper)]
        done.append(model)
    return out, done


def _years_apart(definitions_from: Mapping, definitions_to: Mapping) -> int:
    """Whole years between two editions' period starts (0 when a period is unknown)."""
    starts = [d.get("period", {}).get("start") for d in (definitions_from, definitions_to)]
    if not all(starts):
        return 0
    return pd.Timestamp(starts[1]).year - pd.Timestamp(starts[0]).year


# ---------------------------------------------------------------------------------------
# A whole series


def compare_editions(editions: list[Mapping], accept: Mapping[str, str]) -> dict:
    """Every consecutive pair of editions compared.

    ``editions``, oldest first: {"name", "definitions" (definitions.json), "indicators",
    "resamples", "weights" (index weights), "coefficients" (the loyalty models'
    coefficients, or None for an edition without a panel), optionally "analysis" (the
    panel's analysis table: respondents in both waves are then linked,
    :func:`linked_respondents`)}. Raises SeriesError on the first pair with a definition
    that differs and is not in ``accept``. ``warnings``: pairs of editions bootstrapped with
    the same seed (stated in the report).
    Returns {"changes" (CHANGE_COLUMNS, organisations' indicators then engagement index and
    rank), "edition_wide", "entrants_leavers" (with edition_from, edition_to), "trends",
    "notes" ({"<from> → <to>": [accepted difference, …]}), "differences" (the same as
    {"definition", "from", "to", "reason"}), "same_seed" ([{"edition_from", "edition_to",
    "seed"}]: the warnings' pairs), "panels" ({"<from> → <to>": the respondents of both
    waves, counts only, :func:`linked_respondents`, with "paired_models" and "resamples"
    when linked})}.
    """
    changed, wide, moves, notes, warnings = [], [], [], {}, []
    differences, same_seed, panels = {}, [], {}
    for a, b in pairwise(editions):
        pair_name = f"{a['name']} → {b['name']}"
        accepted = check_comparable(a["definitions"], b["definitions"], accept)
        notes[pair_name] = list(accepted.values())
        differences[pair_name] = [
            {"definition": name, "from": value_a, "to": value_b, "reason": accept[name]}
            for name, value_a, value_b in compare_definitions(a["definitions"], b["definitions"])
        ]
        seeds = [e["definitions"].get("bootstrap", {}).get("seed") for e in (a, b)]
        if seeds[0] is not None and seeds[0] == seeds[1]:
            same_seed.append({"edition_from": a["name"], "edition_to": b["name"], "seed": seeds[0]})
            warnings.append(
                f"{a['name']} and {b['name']} were bootstrapped with the same seed "
                f"(metrics.seed {seeds[0]}): their resamples are independent only when their "
                "threads differ; give each edition its own metrics.seed"
            )
        pair = (a["indicators"], b["indicators"], a["resamples"], b["resamples"])
        changed.append(changes(*pair, a["name"], b["name"], accepted))
        changed.append(
            league_changes(
                a["indicators"],
                a["resamples"],
                a["weights"],
                b["indicators"],
                b["resamples"],
                b["weights"],
                a["name"],
                b["name"],
                accepted,
            )
        )
        if a.get("coefficients") is not None and b.get("coefficients") is not None:
            effect = follower_effect_changes(
                a["coefficients"], b["coefficients"], a["name"], b["name"], accepted
            )
            if a.get("analysis") is not None and b.get("analysis") is not None:
                waves, linked = linked_respondents(
                    a["analysis"],
                    b["analysis"],
                    _years_apart(a["definitions"], b["definitions"]),
                )
                if linked:
                    bootstrap = b["definitions"].get("bootstrap", {})
                    resamples = int(bootstrap.get("resamples") or 1000)
                    effect, paired = follower_effect_changes_linked(
                        effect,
                        a["analysis"],
                        b["analysis"],
                        linked,
                        resamples,
                        int(bootstrap.get("seed") or 0),
                    )
                    waves |= {"paired_models": paired, "resamples": resamples}
                panels[pair_name] = waves
            changed.append(effect)
        wide.append(edition_wide(*pair, a["name"], b["name"], accepted))
        moves.append(
            entrants_leavers(a["indicators"], b["indicators"]).assign(
                edition_from=a["name"], edition_to=b["name"]
            )
        )
    return {
        "changes": pd.concat(changed, ignore_index=True)[CHANGE_COLUMNS],
        "edition_wide": pd.concat(wide, ignore_index=True),
        "entrants_leavers": pd.concat(moves, ignore_index=True),
        "trends": trends(
            {e["name"]: e["indicators"] for e in editions},
            {e["name"]: e["coefficients"] for e in editions if e.get("coefficients") is not None},
        ),
        "notes": notes,
        "warnings": warnings,
        "differences": differences,
        "same_seed": same_seed,
        "panels": panels,
    }


# ---------------------------------------------------------------------------------------
# Figures and the series report

HEADLINE = ("response_rate", "response_time_median", "dialogue_share", "answered_within_24h")
LABELS = {
    "response_rate": "response rate",
    "response_time_median": "median response time (hours)",
    "dialogue_share": "dialogue share",
    "answered_within_24h": "answered within 24 h",
    "engagement_index": "engagement index",
    "rank": "rank",
}


def _shown(indicator: str, values):
    """Response times in hours, shares in percent (figures); the rest as they are."""
    values = np.asarray(values, float)
    if indicator.startswith("response_time"):
        return values / 3600
    if indicator.startswith(SHARES):
        return 100 * values
    return values


# indicators that are shares (shown in percent in the figures)
SHARES = ("response_rate", "dialogue", "answered")


def _figure_words(language: str) -> tuple[dict, dict]:
    """The series catalogue and its figure words (``TEXT[language]["series"]``)."""
    from engbench.report.text import TEXT

    words = TEXT[language]["series"]
    return words, words["figure_text"]


def _axis_label(indicator: str, language: str) -> str:
    """An indicator's name with the unit the figures show it in (``%``, hours)."""
    from engbench.report.text import TEXT

    words, figure = _figure_words(language)
    label = words["indicators"].get(indicator, indicator)
    if indicator.startswith("response_time"):
        return f"{label} ({TEXT[language]['hour']})"
    if indicator.startswith(SHARES):
        return f"{label} ({figure['unit_percent']})"
    return label


def _axis_numbers(ax, language: str, axis: str = "y") -> None:
    """Tick labels as the language writes numbers (decimal comma in Dutch)."""
    import matplotlib.ticker

    from engbench.report.text import number

    def shown(value, _):
        digits = min(2, len(f"{value:.10g}".partition(".")[2]))
        return number(value, language, digits)

    getattr(ax, f"{axis}axis").set_major_formatter(matplotlib.ticker.FuncFormatter(shown))


def slope_chart(
    changes_table: pd.DataFrame,
    edition_from: str,
    edition_to: str,
    language: str = "en",
    names: Mapping[str, str] | None = None,
):
    """The league between two editions: each organisation's rank in both, a line between;
    words from the catalogue of ``language``, organisations by name (``names``)."""
    from engbench.report.figures import OKABE_ITO, _figure

    _, words = _figure_words(language)
    names = dict(names or {})
    ranks = changes_table[
        (changes_table["indicator"] == "rank")
        & (changes_table["edition_from"] == edition_from)
        & (changes_table["edition_to"] == edition_to)
    ]
    n = int(max(ranks["n_from"].max(), ranks["n_to"].max())) if len(ranks) else 1
    figure, ax = _figure(5.5, max(2.5, 0.28 * n + 1))
    for row in ranks.itertuples():
        clear = row.lower > 0 or row.upper < 0
        colour = (
            OKABE_ITO["grey"]
            if not clear
            else (OKABE_ITO["green"] if row.change < 0 else OKABE_ITO["vermillion"])
        )
        name = names.get(row.org_id, row.org_id)
        ax.plot([0, 1], [row.estimate_from, row.estimate_to], color=colour, lw=1.5 if clear else 1)
        ax.text(-0.03, row.estimate_from, name, ha="right", va="center", fontsize=7)
        ax.text(1.03, row.estimate_to, name, ha="left", va="center", fontsize=7)
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(n + 0.5, 0.5)
    ax.set_xticks([0, 1], [edition_from, edition_to])
    _axis_numbers(ax, language)
    ax.set_ylabel(words["slope_axis"])
    ax.set_title(words["slope_title"], fontsize=8)
    return figure


def _spread(value, lower, upper) -> np.ndarray:
    """Error-bar lengths below and above ``value`` (never negative; 0 where unknown)."""
    value, lower, upper = (np.atleast_1d(np.asarray(v, float)) for v in (value, lower, upper))
    spread = np.vstack([value - lower, upper - value])
    return np.nan_to_num(np.maximum(spread, 0.0))


def trend_chart(trends_table: pd.DataFrame, edition_wide_table: pd.DataFrame, language="en"):
    """Each headline indicator over the editions: the mean over organisations (all
    platforms) per edition, and the like-for-like changes with their intervals; words from
    the catalogue of ``language``, numbers in its format."""
    from engbench.report.figures import OKABE_ITO, _figure

    _, words = _figure_words(language)
    figure, axes = _figure(7, 5)
    axes.remove()
    editions = list(dict.fromkeys(trends_table["edition"]))
    cells = trends_table[
        (trends_table["platform"] == metrics.ALL) & (trends_table["org_id"] != metrics.ALL)
    ]
    for k, indicator in enumerate(HEADLINE):
        ax = figure.add_subplot(2, 2, k + 1)
        values = cells[cells["indicator"] == indicator]
        mean = values.groupby("edition")["estimate"].mean().reindex(editions)
        ax.plot(
            editions,
            _shown(indicator, mean.to_numpy()),
            "o-",
            color=OKABE_ITO["blue"],
            label=words["full_editions"],
        )
        like = edition_wide_table[
            (edition_wide_table["set"] == "like_for_like")
            & (edition_wide_table["platform"] == metrics.ALL)
            & (edition_wide_table["indicator"] == indicator)
        ]
        for j, row in enumerate(like.itertuples()):
            x = editions.index(row.edition_to)
            base, change, low, high = _shown(
                indicator, [row.estimate_from, row.change, row.lower, row.upper]
            )
            ax.errorbar(
                x + 0.08,
                base + change,
                yerr=_spread(change, low, high),
                fmt="s",
                ms=3,
                color=OKABE_ITO["orange"],
                label=words["like_for_like_change"] if j == 0 else None,
            )
        _axis_numbers(ax, language)
        ax.set_title(_axis_label(indicator, language), fontsize=9)
        if k == 0:
            handles, labels = ax.get_legend_handles_labels()
    figure.suptitle(words["trends_title"], fontsize=9)
    figure.legend(handles, labels, loc="lower center", ncol=2, fontsize=8)
    figure.tight_layout(rect=(0, 0.05, 1, 0.95))
    return figure


def organisation_chart(
    trends_table: pd.DataFrame, language: str = "en", names: Mapping[str, str] | None = None
):
    """Per organisation, its response rate and median response time (all platforms) over the
    editions, each edition with its 95% interval: two panels per organisation, two
    organisations per row; words from the catalogue of ``language``, numbers in its format."""
    from engbench.report.figures import OKABE_ITO, _figure

    _, words = _figure_words(language)
    names = dict(names or {})
    shown = HEADLINE[:2]
    cells = trends_table[
        (trends_table["platform"] == metrics.ALL)
        & (trends_table["org_id"] != metrics.ALL)
        & trends_table["indicator"].isin(shown)
    ]
    orgs = sorted(set(cells["org_id"]), key=lambda o: names.get(o, o).lower())
    editions = list(dict.fromkeys(trends_table["edition"]))
    rows = max(1, -(-len(orgs) // 2))
    figure, axes = _figure(8, 1.5 * rows + 0.5)
    axes.remove()
    x = np.arange(len(editions))
    for k, org in enumerate(orgs):
        for j, (indicator, colour) in enumerate(
            zip(shown, (OKABE_ITO["blue"], OKABE_ITO["vermillion"]), strict=True)
        ):
            ax = figure.add_subplot(rows, 4, 2 * k + j + 1)
            one = cells[(cells["org_id"] == org) & (cells["indicator"] == indicator)]
            one = one.set_index("edition").reindex(editions)
            y = _shown(indicator, one["estimate"].to_numpy())
            low = _shown(indicator, one["lower"].to_numpy())
            high = _shown(indicator, one["upper"].to_numpy())
            ax.errorbar(x, y, yerr=_spread(y, low, high), fmt="o-", ms=3, color=colour)
            ax.set_xticks(x, editions, fontsize=6)
            ax.tick_params(axis="y", labelsize=6)
            _axis_numbers(ax, language)
            ax.set_xlim(-0.4, len(editions) - 0.6)
            ax.set_title(names.get(org, org), fontsize=7)
            ax.set_ylabel(_axis_label(indicator, language), fontsize=6)
    figure.suptitle(words["organisations_title"], fontsize=8)
    figure.tight_layout(rect=(0, 0, 1, 0.97))
    return figure


def _fmt(indicator: str, value: float, signed: bool = False) -> str:
    if not np.isfinite(value):
        return "–"
    if indicator.startswith("response_time"):
        text = f"{value / 3600:+.1f} h" if signed else f"{value / 3600:.1f} h"
    elif indicator == "rank":
        text = f"{value:+.0f}" if signed else f"{value:.0f}"
    elif indicator in ("engagement_index",) or not indicator.startswith(
        ("response_rate", "dialogue", "answered")
    ):
        text = f"{value:+.2f}" if signed else f"{value:.2f}"
    else:
        text = f"{100 * value:+.1f} pp" if signed else f"{100 * value:.1f}%"
    return text


def report_text(title: str, result: Mapping, names: Mapping[str, str] | None = None) -> str:
    """The series report in Markdown: per pair of editions, what changed and what did not,
    generated from the tables (no number typed by hand)."""
    names = dict(names or {})
    lines = [f"# {title}", ""]
    changes_table = result["changes"]
    wide = result["edition_wide"]
    moves = result["entrants_leavers"]
    pairs = list(
        dict.fromkeys(zip(changes_table["edition_from"], changes_table["edition_to"], strict=True))
    )
    for ed_from, ed_to in pairs:
        lines += [f"## {ed_from} → {ed_to}", ""]
        accepted = result["notes"].get(f"{ed_from} → {ed_to}", [])
        if accepted:
            lines += [
                "**Not comparable in every indicator.** The editions were computed with "
                "different definitions, accepted by the series config; the changes of the "
                "indicators they move are marked not comparable (`comparable = False` in "
                "changes.csv) and are not interpreted below:",
                "",
                *[f"- {note}" for note in accepted],
                "",
            ]
        else:
            lines += ["Both editions were computed with the same definitions.", ""]
        left = moves[(moves["edition_from"] == ed_from) & (moves["edition_to"] == ed_to)]
        for status, word in (("leaver", "Left"), ("entrant", "Entered")):
            these = left[(left["status"] == status) & (left["platform"] == metrics.ALL)]
            cells = left[(left["status"] == status) & (left["platform"] != metrics.ALL)]
            found = [names.get(o, o) for o in these["org_id"]]
            found += [
                f"{names.get(o, o)} on {p}"
                for o, p in zip(cells["org_id"], cells["platform"], strict=True)
            ]
            lines.append(f"- {word}: {', '.join(found) if found else 'none'}.")
        lines += ["", "### Edition-wide (mean over organisations, all platforms)", ""]
        lines += [
            "| indicator | like-for-like change (95% interval) | full editions |",
            "|---|---|---|",
        ]
        here = wide[
            (wide["edition_from"] == ed_from)
            & (wide["edition_to"] == ed_to)
            & (wide["platform"] == metrics.ALL)
        ]
        for indicator in HEADLINE:
            like = here[(here["set"] == "like_for_like") & (here["indicator"] == indicator)]
            full = here[(here["set"] == "full") & (here["indicator"] == indicator)]
            if like.empty:
                continue
            a, f = like.iloc[0], full.iloc[0]
            mark = "" if a["comparable"] else " (not comparable)"
            lines.append(
                f"| {LABELS.get(indicator, indicator)}{mark} | "
                f"{_fmt(indicator, a['change'], True)} "
                f"({_fmt(indicator, a['lower'], True)} to {_fmt(indicator, a['upper'], True)}), "
                f"{int(a['orgs_from'])} organisations | "
                f"{_fmt(indicator, f['estimate_from'])} → {_fmt(indicator, f['estimate_to'])} "
                f"({int(f['orgs_from'])} → {int(f['orgs_to'])} organisations) |"
            )
        lines += ["", "### Organisations", ""]
        pair = changes_table[
            (changes_table["edition_from"] == ed_from)
            & (changes_table["edition_to"] == ed_to)
            & (changes_table["platform"] == metrics.ALL)
            & (changes_table["org_id"] != metrics.ALL)
        ]
        effects = changes_table[
            (changes_table["edition_from"] == ed_from)
            & (changes_table["edition_to"] == ed_to)
            & changes_table["indicator"].str.startswith("follower_effect_")
        ]
        waves = result.get("panels", {}).get(f"{ed_from} → {ed_to}")
        if waves:
            from engbench.report.series import panel_sentence

            lines.append(f"- {panel_sentence(waves, 'en')}")
        paired = set((waves or {}).get("paired_models", []))
        for row in effects.itertuples():
            model = row.indicator.removeprefix("follower_effect_")
            samples = (
                "respondents in both waves resampled jointly"
                if model in paired
                else "separate samples of respondents per wave"
            )
            if not row.comparable:
                lines.append(f"- Follower effect ({model}): not comparable (see above).")
                continue
            if not np.isfinite(row.lower):
                lines.append(
                    f"- Follower effect ({model}): {row.estimate_from:.2f} → "
                    f"{row.estimate_to:.2f}; no interval (the model's standard error is "
                    "degenerate in an edition), not interpreted."
                )
                continue
            clear = "clearly changed" if row.lower > 0 or row.upper < 0 else "no clear change"
            lines.append(
                f"- Follower effect ({model}, {samples}): "
                f"{row.estimate_from:.2f} → {row.estimate_to:.2f}, change {row.change:+.2f} "
                f"({row.lower:+.2f} to {row.upper:+.2f}): {clear}."
            )
        for indicator in ("response_rate", "response_time_median", "rank"):
            rows = pair[pair["indicator"] == indicator]
            if rows.empty:
                continue
            if not rows["comparable"].all():
                lines.append(
                    f"- {LABELS[indicator]}: not comparable between these editions (see above)."
                )
                continue
            said = verdict(rows)
            parts = []
            for word in ("improved", "worsened"):
                chosen = rows[said == word]
                listed = ", ".join(
                    f"{names.get(r.org_id, r.org_id)} ({_fmt(indicator, r.change, True)})"
                    for r in chosen.itertuples()
                )
                parts.append(f"{word}: {listed if listed else 'none'}")
            steady = int((said == "no clear change").sum())
            lines.append(
                f"- {LABELS[indicator]}: {'; '.join(parts)}; no clear change (95% interval "
                f"includes 0): {steady} of {len(rows)}."
            )
        lines.append("")
    for warning in result.get("warnings", []):
        lines += [f"**Note.** {warning}.", ""]
    lines += [
        "Changes are to − from; a change counts as improved or worsened only when its 95% "
        "interval (paired thread-bootstrap resamples of the two editions) excludes zero. "
        "Like-for-like: the organisations with an estimate in both editions.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The demo series against its truth


def follow_up_validation(
    changes_table: pd.DataFrame,
    moves: pd.DataFrame,
    truth: Mapping,
    edition_to: str,
    true_change: pd.DataFrame | None = None,
    wide: pd.DataFrame | None = None,
    mix: pd.DataFrame | None = None,
) -> dict:
    """A simulated follow-up edition's changes checked against its known changes
    (``truth``: truth/summary.json's settings.follow_up of the edition ``edition_to``).

    Organisations with no change (``truth["unchanged"]``) keep their behaviour, so the true
    change of their response rate and median response time on each platform is zero (the
    platform mix shift moves only the all-platform cells): the share of those intervals
    holding zero is the coverage of the true change, and any of them called improved or
    worsened is a false positive. The organisations given a higher response probability
    (``respond``) or a faster response (``speed``) should be flagged improved in the
    response rate, or the median response time, on their platforms.

    With ``true_change`` (:func:`true_changes` of the two editions' truth) every cell is
    checked against what the simulator drew (:func:`true_coverage`), and with ``wide``
    (edition_wide.csv) the like-for-like edition-wide change too (:func:`true_edition_wide`);
    ``mix`` (:func:`rate_mix_effect`) splits the false positives' rate changes.
    """
    pair = changes_table[
        (changes_table["edition_to"] == edition_to) & (changes_table["platform"] != metrics.ALL)
    ]
    pair = pair.assign(verdict=verdict(pair))
    headline = pair["indicator"].isin(["response_rate", "response_time_median"])
    steady = pair[headline & pair["org_id"].isin(truth["unchanged"])]
    finite = steady[np.isfinite(steady["lower"])]
    covered = (finite["lower"] <= 0) & (finite["upper"] >= 0)
    flagged = {}
    for indicator, orgs in (
        ("response_rate", truth.get("respond", {})),
        ("response_time_median", truth.get("speed", {})),
    ):
        for org in orgs:
            rows = pair[(pair["org_id"] == org) & (pair["indicator"] == indicator)]
            flagged[f"{org} {indicator}"] = {
                row.platform: {
                    "change": float(row.change),
                    "lower": float(row.lower),
                    "upper": float(row.upper),
                    "verdict": row.verdict,
                }
                for row in rows.itertuples()
            }
    here = moves[moves["edition_to"] == edition_to] if len(moves) else moves
    found = {
        status: sorted(
            here[(here["status"] == status) & (here["platform"] == metrics.ALL)]["org_id"]
        )
        for status in ("leaver", "entrant")
    }
    found_truth = {}
    if true_change is not None:
        found_truth["true_change"] = true_coverage(pair, true_change, truth, mix)
        if wide is not None:
            found_truth["like_for_like"] = true_edition_wide(
                changes_table[changes_table["edition_to"] == edition_to], wide, true_change
            )
    return found_truth | {
        "unchanged_cells": len(finite),
        "coverage_of_zero_change": float(covered.mean()) if len(finite) else float("nan"),
        "false_positives": [
            f"{r.org_id} {r.platform} {r.indicator}: {r.verdict}"
            for r in finite[~covered].assign(verdict=verdict(finite[~covered])).itertuples()
        ],
        "changed": flagged,
        "leavers": {"true": list(truth["leavers"]), "found": found["leaver"]},
        "entrants": {"true": list(truth["entrants"]), "found": found["entrant"]},
    }


# ---------------------------------------------------------------------------------------
# The realised truth of a simulated series

TRUE_INDICATORS = ("response_rate", "response_time_median")


def _true_cells(incoming: pd.DataFrame) -> pd.DataFrame:
    """``incoming`` (uncensored, with ``answered`` and ``seconds``) per org_id × platform and
    per org_id × ``all``."""
    return pd.concat([incoming, incoming.assign(platform=metrics.ALL)], ignore_index=True)


def _realised(incoming_truth, answer_window_days, period_end, timezone) -> pd.DataFrame:
    """The truth's incoming messages the metrics would count (not censored), each with
    ``answered`` (a true first response within the answer window) and its ``seconds``."""
    end = pd.Timestamp(period_end).tz_localize(timezone).tz_convert("UTC")
    window = pd.Timedelta(days=answer_window_days)
    created = pd.to_datetime(incoming_truth["created_at"], utc=True)
    kept = incoming_truth[(created <= end - window).to_numpy()]
    seconds = kept["response_seconds"].astype("float64").to_numpy()
    answered = kept["responded"].to_numpy(dtype=bool) & (seconds <= answer_window_days * 86400)
    return pd.DataFrame(
        {
            "org_id": kept["org_id"].to_numpy(),
            "platform": kept["platform"].to_numpy(),
            "type": kept["type"].to_numpy(),
            "answered": answered,
            "seconds": np.where(answered, seconds, np.nan),
        }
    )


def true_indicators(
    incoming_truth: pd.DataFrame, answer_window_days: float, period_end: str, timezone: str
) -> pd.DataFrame:
    """The realised response rate and median response time of every organisation × platform
    (and × ``all``) in a simulated edition: what the simulator drew, not its parameters.

    ``incoming_truth``: truth/incoming.parquet (every incoming message × addressed
    organisation the simulator drew, deleted or not, with its true first response). The
    metrics' definitions: messages less than one answer window before the period's end
    (``period_end``, exclusive, a local date in ``timezone``) are left out as censored; a
    message is answered when its true first response comes within the answer window; the
    median is the inverted-CDF median of the answered messages' seconds.
    Columns: org_id, platform, indicator, value, n (the messages, or answered messages).
    """
    cells = _true_cells(_realised(incoming_truth, answer_window_days, period_end, timezone))
    keys = ["org_id", "platform"]
    rate = cells.groupby(keys)["answered"].agg(["mean", "size"]).reset_index()
    answered = cells[cells["answered"]]
    median = (
        answered.groupby(keys)["seconds"]
        .agg(
            value=lambda s: float(np.quantile(s.to_numpy(), 0.5, method="inverted_cdf")),
            n="size",
        )
        .reset_index()
    )
    out = pd.concat(
        [
            rate.rename(columns={"mean": "value", "size": "n"}).assign(indicator="response_rate"),
            median.assign(indicator="response_time_median"),
        ],
        ignore_index=True,
    )
    out["n"] = out["n"].astype("int64")
    return out[["org_id", "platform", "indicator", "value", "n"]].sort_values(
        ["org_id", "platform", "indicator"], ignore_index=True
    )


def true_changes(truth_from: pd.DataFrame, truth_to: pd.DataFrame) -> pd.DataFrame:
    """Each cell's realised value in two editions (:func:`true_indicators`) and its true
    change (to − from), for the cells in both. Columns: org_id, platform, indicator,
    true_from, true_to, true_change."""
    keys = ["org_id", "platform", "indicator"]
    both = truth_from[[*keys, "value"]].merge(
        truth_to[[*keys, "value"]], on=keys, suffixes=("_from", "_to")
    )
    both = both.rename(columns={"value_from": "true_from", "value_to": "true_to"})
    both["true_change"] = both["true_to"] - both["true_from"]
    return both.sort_values(keys, ignore_index=True)


def rate_mix_effect(
    incoming_from: pd.DataFrame,
    incoming_to: pd.DataFrame,
    answer_window_days: float,
    period_ends: tuple[str, str],
    timezone: str,
) -> pd.DataFrame:
    """Why a realised response rate moved: its true change split into the part the message
    type mix explains and the part from the per-type rates.

    rate = Σ_type share_type × rate_type, so change = Σ (share_to − share_from) × rate_from
    (``mix``) + Σ share_to × (rate_to − rate_from) (``within_type``); types seen in one
    edition only count with rate 0 in the other. Per org_id × platform (and ``all``).
    Columns: org_id, platform, true_from, true_to, true_change, mix, within_type.
    """
    parts = []
    for incoming, end in zip((incoming_from, incoming_to), period_ends, strict=True):
        cells = _true_cells(_realised(incoming, answer_window_days, end, timezone))
        by_type = cells.groupby(["org_id", "platform", "type"])["answered"].agg(["sum", "size"])
        total = by_type.groupby(["org_id", "platform"])["size"].transform("sum")
        parts.append(
            pd.DataFrame(
                {"share": by_type["size"] / total, "rate": by_type["sum"] / by_type["size"]}
            )
        )
    both = parts[0].add_suffix("_from").join(parts[1].add_suffix("_to"), how="outer").fillna(0.0)
    both = both[
        both.index.droplevel("type").isin(
            parts[0].index.droplevel("type").intersection(parts[1].index.droplevel("type"))
        )
    ]
    terms = pd.DataFrame(
        {
            "true_from": both["share_from"] * both["rate_from"],
            "true_to": both["share_to"] * both["rate_to"],
            "mix": (both["share_to"] - both["share_from"]) * both["rate_from"],
            "within_type": both["share_to"] * (both["rate_to"] - both["rate_from"]),
        }
    )
    out = terms.groupby(level=["org_id", "platform"]).sum().reset_index()
    out.insert(4, "true_change", out["true_to"] - out["true_from"])
    return out


def _cell_row(row) -> dict:
    return {
        "change": float(row.change),
        "lower": float(row.lower),
        "upper": float(row.upper),
        "true_change": float(row.true_change),
    }


def true_coverage(
    pair: pd.DataFrame, true_change: pd.DataFrame, truth: Mapping, mix: pd.DataFrame | None = None
) -> dict:
    """Every organisation × platform response rate and median response time of one pair of
    editions (``pair``: its changes.csv rows, platform not ``all``) against its realised true
    change: the share of cells whose 95% interval holds it (all, unchanged and changed
    organisations), the cells it falls outside, the improvers flagged and missed, the false
    positives with their true change (and, with ``mix``, its type-mix and per-type parts),
    and per platform × indicator the unchanged organisations' mean true and estimated change,
    how many of them rose, and their mean standardised change (change over the interval's
    width / 3.92: about 0 ± 1/√n when nothing moves them all). ``truth``: the follow-up's
    known changes."""
    keys = ["org_id", "platform", "indicator"]
    cells = pair[pair["indicator"].isin(TRUE_INDICATORS) & (pair["platform"] != metrics.ALL)]
    cells = cells.merge(true_change, on=keys)
    cells = cells[np.isfinite(cells["lower"]) & np.isfinite(cells["true_change"])]
    cells = cells.assign(
        covered=(cells["lower"] <= cells["true_change"]) & (cells["true_change"] <= cells["upper"]),
        verdict=verdict(cells),
    )
    improvers = {
        "response_rate": set(truth.get("respond", {})),
        "response_time_median": set(truth.get("speed", {})),
    }
    improver = np.array(
        [r.org_id in improvers[r.indicator] for r in cells.itertuples()], dtype=bool
    )
    changed = cells["org_id"].isin(set().union(*improvers.values())).to_numpy()
    steady = cells["org_id"].isin(truth["unchanged"]).to_numpy()

    def share(mask) -> dict:
        chosen = cells[mask]
        return {
            "cells": len(chosen),
            "covered": int(chosen["covered"].sum()),
            "share": float(chosen["covered"].mean()) if len(chosen) else float("nan"),
        }

    def listed(frame) -> dict:
        return {f"{r.org_id} {r.platform} {r.indicator}": _cell_row(r) for r in frame.itertuples()}

    flagged = cells["verdict"] != "no clear change"
    parts = (
        mix.set_index(["org_id", "platform"])[["mix", "within_type"]]
        if mix is not None
        else pd.DataFrame(columns=["mix", "within_type"])
    )

    def split(row) -> dict:
        if row.indicator != "response_rate" or (row.org_id, row.platform) not in parts.index:
            return {}
        found = parts.loc[(row.org_id, row.platform)]
        return {"mix": float(found["mix"]), "within_type": float(found["within_type"])}

    still = cells[steady]
    z = still["change"] / ((still["upper"] - still["lower"]) / 3.92)
    unchanged_shift = {
        f"{platform} {indicator}": {
            "organisations": len(group),
            "mean_true_change": float(group["true_change"].mean()),
            "mean_change": float(group["change"].mean()),
            "true_change_up": int((group["true_change"] > 0).sum()),
            "mean_standardised_change": float(z[group.index].mean()),
        }
        for (platform, indicator), group in still.groupby(["platform", "indicator"])
    }
    return {
        "coverage": share(np.ones(len(cells), dtype=bool)),
        "coverage_unchanged": share(steady),
        "coverage_changed": share(changed),
        "outside": listed(cells[~cells["covered"]]),
        "improvers_flagged": listed(cells[improver & (cells["verdict"] == "improved")]),
        "improvers_missed": listed(cells[improver & (cells["verdict"] != "improved")]),
        "false_positives": {
            f"{r.org_id} {r.platform} {r.indicator}": _cell_row(r)
            | {"verdict": r.verdict, "covered": bool(r.covered)}
            | split(r)
            for r in cells[steady & flagged.to_numpy()].itertuples()
        },
        "unchanged_shift": unchanged_shift,
    }


def true_edition_wide(pair: pd.DataFrame, wide: pd.DataFrame, true_change: pd.DataFrame) -> dict:
    """The like-for-like edition-wide change (edition_wide.csv) of the response rate and
    median response time per platform (and ``all``) against the true one: the mean over the
    same organisations (those with an estimate in both editions, ``pair``'s changes rows)
    of their realised values in each edition."""
    keys = ["org_id", "platform", "indicator"]
    cells = pair[
        pair["indicator"].isin(TRUE_INDICATORS)
        & (pair["org_id"] != metrics.ALL)
        & np.isfinite(pair["estimate_from"])
        & np.isfinite(pair["estimate_to"])
    ][keys].merge(true_change, on=keys)
    means = cells.groupby(["platform", "indicator"])[["true_from", "true_to"]].mean()
    like = wide[(wide["set"] == "like_for_like") & wide["indicator"].isin(TRUE_INDICATORS)]
    out = {}
    for row in like.itertuples():
        if (row.platform, row.indicator) not in means.index:
            continue
        true_from, true_to = means.loc[(row.platform, row.indicator)]
        change = float(true_to - true_from)
        out[f"{row.platform} {row.indicator}"] = {
            "change": float(row.change),
            "lower": float(row.lower),
            "upper": float(row.upper),
            "true_change": change,
            "covered": bool(row.lower <= change <= row.upper),
            "orgs": int(row.orgs_from),
        }
    return out
