"""Response rates per message type, corrected for the classifier's errors.

The raw per-type response rate of an organisation counts the messages the
classifier *predicted* to be of a type. When complaints are predicted as
``other``, the complaint and ``other`` rates are pulled toward each other and
the "webcure" gap between them shrinks. The edition's coded sample knows, for
a few hundred messages, both the true type and whether the organisation
answered, which is what a correction needs.

Estimator (two-phase sampling; phase 1 = every incoming message with its
predicted type ŷ and whether it was answered a, phase 2 = the coded sample
with its true type t):

1. From the coded sample, weighted by the inverse of each message's inclusion
   probability (coded / incoming messages of its organisation × platform),
   estimate ``Q[ŷ, a, t] = P(true type t | predicted ŷ, answered a)``, pooled
   over organisations. Conditioning on ``a`` is what makes this work for
   *rates*: the classifier's errors may differ between answered and unanswered
   messages (a complaint the organisation ignored may read less like one).
   Cells of (ŷ, a) without coded messages fall back to P(t | ŷ), then to ŷ.
2. Every uncoded message counts as Q[ŷ, a, ·] of a message of each true type;
   a coded message counts as its true type. Per organisation (and pooled over
   all organisations for the edition) the corrected rate of type t is
   (Σ a·P(t)) / (Σ P(t)).

The assumption is that P(t | ŷ, a) is the same across organisations (it is
estimated from all of them together); the coded sample is stratified by
organisation × platform so every organisation contributes. Uncertainty: the
cluster bootstrap over threads of the metrics stage (Poisson(1) weights per
thread), where a resampled thread carries its coded messages with it, so both
the incoming messages and the coded sample are resampled; Q is re-estimated in
every resample. Intervals are 95% percentile intervals. Censored incoming
messages (too close to the period's end) are left out, as in the metrics.

When the model was trained on the coded messages themselves (adaptation to the
edition), their predicted types are optimistic; ``coded_predictions`` then
gives their out-of-fold predictions, which are used for Q instead
(``adapt.coded_types``, as for the error rates of the corrected type shares).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from scipy import sparse

from engbench.classify import TYPES
from engbench.classify.adapt import coded_types
from engbench.classify.quantify import MINIMUM_CODED

ALL = "all"
CHUNK = 100  # resamples drawn at a time, at most
CHUNK_WEIGHTS = 2_000_000  # thread weights drawn at a time, at most (16 MB of float64); the
# generator draws Poisson variates one after another, so the block size does not change them
K = len(TYPES)


def response_rates_by_type(
    incoming: pd.DataFrame,
    gold: pd.DataFrame,
    n_resamples: int = 1000,
    seed: int = 2018,
    coded_predictions: pd.DataFrame | None = None,
    method: str = "posterior",
) -> pd.DataFrame:
    """Raw and corrected response rate per true type, per organisation and edition-wide.

    ``incoming``: the classified incoming × organisation table (org_id, platform,
    message_id, thread_id, replied, censored, type); ``gold``: platform,
    message_id, label (the resolved codes of the edition's coded sample).
    Returns org_id (``all`` = every organisation pooled), type, n_incoming,
    n_coded, raw_rate/_lower/_upper, corrected_rate/_lower/_upper and
    corrected_n (the estimated number of incoming messages of that true type).
    """
    rows = incoming.loc[~incoming["censored"].astype(bool)].reset_index(drop=True)
    orgs = sorted(rows["org_id"].unique())
    g = pd.Categorical(rows["org_id"], categories=orgs).codes.astype(np.int64)
    n_groups = len(orgs)
    predicted = _type_codes(rows["type"], "predicted type")
    answered = rows["replied"].astype(bool).to_numpy().astype(np.int64)
    threads = pd.factorize(rows["platform"].astype(str) + "\x1f" + rows["thread_id"].astype(str))[0]
    n_threads = int(threads.max()) + 1 if len(rows) else 0

    codes = gold[["platform", "message_id", "label"]].drop_duplicates(["platform", "message_id"])
    true = rows[["platform", "message_id"]].merge(codes, how="left", on=["platform", "message_id"])
    coded = true["label"].notna().to_numpy()
    true_type = np.full(len(rows), -1)
    true_type[coded] = _type_codes(true.loc[coded, "label"], "coded label")
    predicted_for_q = predicted.copy()
    if coded_predictions is not None:
        typed = coded_types(rows, coded_predictions)
        for_q = rows[["platform", "message_id"]].merge(
            typed, how="left", on=["platform", "message_id"]
        )["type"]
        predicted_for_q[coded] = _type_codes(for_q[coded], "out-of-fold type")

    cell = rows["org_id"].astype(str) + "\x1f" + rows["platform"].astype(str)
    design = (cell.map(cell.value_counts()) / cell.map(cell[coded].value_counts())).to_numpy(float)

    def indicator(mask, column, width, values=None):
        data = np.ones(int(mask.sum())) if values is None else values[mask]
        return sparse.csr_matrix(
            (data, (threads[mask], column[mask])), shape=(n_threads, width)
        ).T.tocsr()

    # per thread: uncoded messages by (org, ŷ, a); coded by (org, t, a); all by (org, ŷ, a);
    # design-weighted coded messages by (ŷ, a, t) for Q
    uncoded = indicator(~coded, (g * K + predicted) * 2 + answered, n_groups * K * 2)
    known = indicator(coded, (g * K + np.maximum(true_type, 0)) * 2 + answered, n_groups * K * 2)
    raw = indicator(np.ones(len(rows), bool), (g * K + predicted) * 2 + answered, n_groups * K * 2)
    q_cells = indicator(
        coded, (predicted_for_q * 2 + answered) * K + np.maximum(true_type, 0), K * 2 * K, design
    )

    def estimate(weights: np.ndarray) -> tuple[np.ndarray, ...]:
        """Resample weights (B × threads) → raw rate, corrected rate, corrected n (B × G+1 × K)."""
        b = len(weights)
        by_thread = np.ascontiguousarray(weights.T)  # threads × B, once for the four products
        u = (uncoded @ by_thread).T.reshape(b, n_groups, K, 2)
        c = (known @ by_thread).T.reshape(b, n_groups, K, 2)
        r = (raw @ by_thread).T.reshape(b, n_groups, K, 2)
        cells = (q_cells @ by_thread).T.reshape(b, K, 2, K)  # (ŷ, a, t)
        q = _posterior(cells)
        n_raw, a_raw = r.sum(axis=3), r[..., 1]
        if method == "posterior":
            n_true = np.einsum("bgya,byat->bgt", u, q) + c.sum(axis=3)
            a_true = np.einsum("bgy,byt->bgt", u[..., 1], q[:, :, 1, :]) + c[..., 1]
        elif method == "em":
            rates = _confusion(cells, smoothing=1.0)  # b, a, t, ŷ
            observed = u.transpose(0, 1, 3, 2)  # b, g, a, ŷ (uncoded messages)
            shares = _em_shares(observed, rates)  # b, g, a, t
            by_answer = shares * observed.sum(axis=3, keepdims=True) + c.transpose(0, 1, 3, 2)
            n_true, a_true = by_answer.sum(axis=2), by_answer[:, :, 1, :]
        else:
            raise ValueError(f"method must be 'posterior' or 'em', not {method!r}")

        def with_all(x):
            return np.concatenate([x, x.sum(axis=1, keepdims=True)], axis=1)

        n_true, a_true, n_raw, a_raw = map(with_all, (n_true, a_true, n_raw, a_raw))
        with np.errstate(invalid="ignore", divide="ignore"):
            return a_raw / n_raw, a_true / n_true, n_true

    raw_rate, corrected_rate, corrected_n = (x[0] for x in estimate(np.ones((1, n_threads))))
    rng = np.random.default_rng(_seed(seed))
    draws_raw, draws_corrected = [], []
    chunk = max(1, min(CHUNK, CHUNK_WEIGHTS // max(n_threads, 1)))
    for start in range(0, n_resamples, chunk):
        b = min(chunk, n_resamples - start)
        weights = rng.poisson(1.0, size=(b, n_threads)).astype(float)
        r, c, _ = estimate(weights)
        draws_raw.append(r)
        draws_corrected.append(c)
    labels = [*orgs, ALL]
    counts = np.zeros((n_groups + 1, K))
    np.add.at(counts, (g, predicted), 1)
    counts[-1] = counts[:-1].sum(axis=0)
    coded_per = np.bincount(g[coded], minlength=n_groups)
    out = []
    raw_lo, raw_hi = _interval(np.concatenate(draws_raw)) if n_resamples else (None, None)
    cor_lo, cor_hi = _interval(np.concatenate(draws_corrected)) if n_resamples else (None, None)
    for i, org in enumerate(labels):
        for k, t in enumerate(TYPES):
            out.append(
                {
                    "org_id": org,
                    "type": t,
                    "n_incoming": int(counts[i].sum()),
                    "n_predicted": int(counts[i, k]),
                    "n_coded": int(coded_per.sum() if org == ALL else coded_per[i]),
                    "raw_rate": raw_rate[i, k],
                    "raw_lower": raw_lo[i, k] if raw_lo is not None else np.nan,
                    "raw_upper": raw_hi[i, k] if raw_hi is not None else np.nan,
                    "corrected_n": corrected_n[i, k],
                    "corrected_rate": corrected_rate[i, k],
                    "corrected_lower": cor_lo[i, k] if cor_lo is not None else np.nan,
                    "corrected_upper": cor_hi[i, k] if cor_hi is not None else np.nan,
                }
            )
    return pd.DataFrame(out)


def true_response_rates(incoming: pd.DataFrame, true_types: pd.DataFrame) -> pd.DataFrame:
    """Response rate per true type (simulated editions): org_id (and ``all``), type, true_rate.

    ``true_types``: platform, message_id, type (the simulator's truth).
    """
    columns = ["org_id", "platform", "message_id", "replied"]
    rows = incoming.loc[~incoming["censored"].astype(bool), columns].astype({"replied": bool})
    truth = true_types[["platform", "message_id", "type"]].drop_duplicates(
        ["platform", "message_id"]
    )
    rows = rows.merge(truth, on=["platform", "message_id"], how="inner")
    per_org = rows.groupby(["org_id", "type"])["replied"].agg(["mean", "size"]).reset_index()
    pooled = rows.groupby("type")["replied"].agg(["mean", "size"]).reset_index().assign(org_id=ALL)
    out = pd.concat([per_org, pooled], ignore_index=True)
    return out.rename(columns={"mean": "true_rate", "size": "true_n"})


def compare_to_truth(table: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """The estimates beside the true rates: absolute errors and whether the interval covers."""
    out = table.merge(truth, on=["org_id", "type"], how="left")
    out["raw_error"] = (out["raw_rate"] - out["true_rate"]).abs()
    out["corrected_error"] = (out["corrected_rate"] - out["true_rate"]).abs()
    out["raw_covers"] = (out["raw_lower"] <= out["true_rate"]) & (
        out["true_rate"] <= out["raw_upper"]
    )
    out["corrected_covers"] = (out["corrected_lower"] <= out["true_rate"]) & (
        out["true_rate"] <= out["corrected_upper"]
    )
    return out


def _posterior(cells: np.ndarray) -> np.ndarray:
    """Q[b, ŷ, a, t] from design-weighted counts, with the fallbacks of the module docstring."""
    total = cells.sum(axis=3, keepdims=True)
    by_predicted = cells.sum(axis=2, keepdims=True)
    by_predicted_total = by_predicted.sum(axis=3, keepdims=True)
    identity = np.broadcast_to(np.eye(K)[None, :, None, :], cells.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(total > 0, cells / total, np.nan)
        fallback = np.where(
            by_predicted_total > 0, by_predicted / by_predicted_total, identity[:, :, :1, :]
        )
    return np.where(total > 0, q, np.broadcast_to(fallback, cells.shape))


def _em_shares(observed: np.ndarray, rates: np.ndarray, iterations: int = 200) -> np.ndarray:
    """Maximum-likelihood true-type shares π[b, g, a, t] given predicted counts and P(ŷ | t, a).

    EM for a change in class priors (Saerens, Latinne & Decaestecker 2002, Neural
    Computation 14): the classifier's confusion is common to all organisations,
    each organisation's mix of true types (within answered and unanswered
    messages) is its own. Starts from the predicted shares; stays in the simplex.
    """
    total = observed.sum(axis=3, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total > 0, observed / total, 1.0 / K)
    confusion = rates[:, None]  # b, 1, a, t, ŷ
    for _ in range(iterations):
        joint = confusion * shares[..., None]  # b, g, a, t, ŷ
        with np.errstate(invalid="ignore", divide="ignore"):
            posterior = joint / joint.sum(axis=3, keepdims=True)
            posterior = np.nan_to_num(posterior)
            new = (posterior * observed[:, :, :, None, :]).sum(axis=4) / total
        new = np.where(total > 0, new, shares)
        if np.max(np.abs(new - shares)) < 1e-7:
            shares = new
            break
        shares = new
    return shares


def _confusion(cells: np.ndarray, smoothing: float = 0.0) -> np.ndarray:
    """P(ŷ | t, a)[b, a, t, ŷ] from design-weighted coded counts cells[b, ŷ, a, t].

    A true type without coded messages in one answer group borrows the other
    group's rates; without any, the classifier is taken to be right for it.
    """
    counts = cells.transpose(0, 2, 3, 1)  # b, a, t, ŷ
    pooled = counts.sum(axis=1, keepdims=True)
    pooled_total = pooled.sum(axis=3, keepdims=True)
    identity = np.eye(K)[None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        fallback = np.where(pooled_total > 0, pooled / pooled_total, identity)
    counts = counts + smoothing * fallback  # shrink sparse (t, a) rows toward P(ŷ | t)
    total = counts.sum(axis=3, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, counts / total, fallback)


def _type_codes(values: pd.Series, what: str) -> np.ndarray:
    codes = pd.Categorical(values, categories=list(TYPES)).codes
    if (codes < 0).any():
        bad = values[codes < 0].iloc[0]
        raise ValueError(f"{what} {bad!r} is not one of {', '.join(TYPES)}")
    return codes.astype(np.int64)


def _interval(draws: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore"):
        return np.nanpercentile(draws, 2.5, axis=0), np.nanpercentile(draws, 97.5, axis=0)


def _seed(seed: int) -> int:
    digest = hashlib.sha256(f"{seed}|response_rates_by_type".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def edition_response_rates(
    incoming: pd.DataFrame,
    sheets: list[str],
    coders: list[str],
    n_resamples: int = 1000,
    seed: int = 2018,
    minimum: int = MINIMUM_CODED,
    out_of_fold: pd.DataFrame | None = None,
    method: str = "posterior",
) -> tuple[pd.DataFrame, str]:
    """Per-type response rates of an edition: classified incoming messages + coded sheets.

    Returns (table, basis). Without coded sheets, or with fewer than ``minimum``
    coded messages of some type among the uncensored incoming messages, the
    corrected columns stay empty and ``basis`` says why: the raw rates are then
    all the report can show.
    """
    from engbench.classify.coding import coded_sample

    gold = coded_sample(sheets, coders)
    keys = incoming.loc[~incoming["censored"].astype(bool), ["platform", "message_id"]]
    matched = gold.merge(keys.drop_duplicates(), on=["platform", "message_id"])
    counts = matched["label"].value_counts().reindex(list(TYPES), fill_value=0)
    oof = out_of_fold if out_of_fold is not None and len(out_of_fold) else None
    table = response_rates_by_type(
        incoming, matched, n_resamples=n_resamples, seed=seed, coded_predictions=oof, method=method
    )
    if (counts < minimum).any():
        for column in ("corrected_rate", "corrected_lower", "corrected_upper", "corrected_n"):
            table[column] = np.nan
        return table, (
            f"no correction: the coded sample has fewer than {minimum} messages of some type "
            f"({', '.join(f'{t} {n}' for t, n in counts.items())})"
        )
    how = {
        "posterior": "P(true type | predicted type, answered) pooled over organisations",
        "em": "each organisation's type mix by EM under a common confusion matrix",
    }[method]
    predicted = "out-of-fold predictions" if oof is not None else "the model's predictions"
    return table, (
        f"corrected with this edition's coded sample ({len(matched):,} coded incoming messages, "
        f"{predicted} for them; {how})"
    )
