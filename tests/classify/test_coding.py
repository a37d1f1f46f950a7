"""The coding workflow: sample sheet, coded sheets back, reliability, the gold standard."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from engbench.classify.coding import (
    CodingError,
    disagreements,
    draw_sample,
    gold_standard,
    read_sheet,
    reliability,
    write_sheet,
)

CODERS = ["coder_1", "coder_2"]


def incoming(n_per_cell=40):
    rows = []
    for org in ("a", "b"):
        for platform in ("twitter", "facebook"):
            for i in range(n_per_cell if org == "a" else 5):
                rows.append(
                    {
                        "platform": platform,
                        "message_id": f"{org}{platform}{i}",
                        "org_id": org,
                        "text": f"=SUM(A1) bericht {i}" if i == 0 else f"bericht {i}",
                    }
                )
    return pd.DataFrame(rows)


def test_sample_is_stratified_and_the_sheet_is_safe(tmp_path):
    sample = draw_sample(incoming(), per_cell=10, seed=1)
    counts = sample.groupby(["org_id", "platform"]).size().to_dict()
    assert counts == {
        ("a", "facebook"): 10,
        ("a", "twitter"): 10,
        ("b", "facebook"): 5,
        ("b", "twitter"): 5,
    }
    assert draw_sample(incoming(), per_cell=10, seed=1).equals(sample)
    path = tmp_path / "sample.xlsx"
    write_sheet(sample, path, CODERS)
    sheet = openpyxl.load_workbook(path)["coding"]
    assert [c.value for c in sheet[1]] == [
        "sample_id",
        "org_id",
        "platform",
        "message_id",
        "text",
        *CODERS,
        "notes",
    ]
    texts = [sheet.cell(row=r, column=5) for r in range(2, sheet.max_row + 1)]
    formula_like = [c for c in texts if str(c.value).startswith("=")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)  # text, never a formula
    assert (
        sheet.data_validations.dataValidation[0].formula1 == '"complaint,question,compliment,other"'
    )


def coded_sheet(tmp_path, first, second, resolved=None):
    frame = pd.DataFrame(
        {
            "sample_id": [f"s{i}" for i in range(len(first))],
            "org_id": "a",
            "platform": "twitter",
            "message_id": [str(i) for i in range(len(first))],
            "text": [f"t{i}" for i in range(len(first))],
            "coder_1": first,
            "coder_2": second,
        }
    )
    path = tmp_path / "coded.xlsx"
    frame.to_excel(path, sheet_name="coding", index=False)
    return path


# Ten messages, two coders; hand-computed: 8 of 10 agree. Cohen's kappa: p_o = 0.8,
# p_e = (3*4 + 3*2 + 2*3 + 2*1) / 100 = 0.26, kappa = 0.54 / 0.74 = 27/37.
# Krippendorff's alpha (nominal): n = 20 values (c 7, q 5, m 5, o 3); 4 off-diagonal
# coincidences; alpha = 1 - (n - 1) * 4 / (400 - 108) = 1 - 76/292 = 54/73.
# Per type "complaint" (vs rest): alpha = 1 - 19 * 2 / (2 * 7 * 13) = 1 - 38/182;
# kappa = (0.9 - 0.54) / 0.46.
FIRST = [
    "klacht",
    "complaint",
    "question",
    "question",
    "compliment",
    "compliment",
    "other",
    "other",
    "complaint",
    "vraag",
]
SECOND = [
    "complaint",
    "complaint",
    "question",
    "compliment",
    "compliment",
    "compliment",
    "other",
    "complaint",
    "complaint",
    "question",
]


def test_reliability_matches_a_hand_computed_example(tmp_path):
    coded = read_sheet(coded_sheet(tmp_path, FIRST, SECOND), CODERS)
    table = reliability(coded, CODERS).set_index("category")
    assert table.loc["all", "agreement"] == pytest.approx(0.8)
    assert table.loc["all", "cohen_kappa"] == pytest.approx(27 / 37)
    assert table.loc["all", "krippendorff_alpha"] == pytest.approx(54 / 73)
    assert table.loc["complaint", "krippendorff_alpha"] == pytest.approx(1 - 38 / 182)
    assert table.loc["complaint", "cohen_kappa"] == pytest.approx(0.36 / 0.46)
    assert table.loc["all", "units"] == 10


def test_bad_codes_are_named_by_row_and_column(tmp_path):
    path = coded_sheet(tmp_path, ["complaint", "klacht?"], ["complaint", "other"])
    with pytest.raises(CodingError, match=r"row 3, column coder_1: 'klacht\?' is not one of"):
        read_sheet(path, CODERS)


def test_gold_standard_needs_every_disagreement_resolved(tmp_path):
    coded = read_sheet(coded_sheet(tmp_path, FIRST, SECOND), CODERS)
    open_ = disagreements(coded, CODERS)
    assert list(open_["sample_id"]) == ["s3", "s7"]
    with pytest.raises(CodingError, match="2 disagreement"):
        gold_standard(coded, CODERS)
    resolved = open_.assign(resolved=["compliment", "overig"])
    gold = gold_standard(coded, CODERS, resolved)
    assert len(gold) == 10
    assert gold.set_index("sample_id").loc["s7", "label"] == "other"
    assert gold["label"].isin(["complaint", "question", "compliment", "other"]).all()


def test_simulated_coders_and_the_whole_loop(tmp_path):
    """The demo's coding loop: sample → two coders → reliability → gold standard → error rates."""
    from engbench.classify.quantify import edition_error_rates
    from engbench.simulate.coding import code_sample

    sample = draw_sample(incoming(), per_cell=40, seed=1)
    types = ["complaint", "question", "compliment", "other"]
    truth = sample[["platform", "message_id"]].assign(
        type=[types[i % 4] for i in range(len(sample))]
    )
    coded = code_sample(sample, truth, CODERS, errors=(0.1, 0.1), seed=3)
    path = tmp_path / "coded.xlsx"
    write_sheet(coded, path, CODERS)
    back = read_sheet(path, CODERS)
    table = reliability(back, CODERS).set_index("category")
    assert 0.6 < table.loc["all", "krippendorff_alpha"] < 0.95
    gold = gold_standard(back, CODERS)  # the sheet's own `resolved` column settles disagreements
    assert (gold.set_index("message_id")["label"] == truth.set_index("message_id")["type"]).all()
    classified = truth.rename(columns={"type": "type"})
    rates, n = edition_error_rates(gold, classified)
    assert n == len(sample) and (rates.diagonal() == 1).all()


def test_the_uncertainty_batch_takes_the_least_sure_messages_per_cell():
    import numpy as np

    from engbench.classify.coding import draw_uncertain_batch, gold_standard, random_part

    rng = np.random.default_rng(1)
    n = 400
    p = rng.dirichlet([1, 1, 1, 1], size=n)
    classified = pd.DataFrame(
        {
            "platform": "twitter",
            "message_id": [str(i) for i in range(n)],
            "org_id": np.where(np.arange(n) % 2 == 0, "a", "b"),
            "text": [f"message {i}" for i in range(n)],
            **{
                f"p_{t}": p[:, k]
                for k, t in enumerate(["complaint", "question", "compliment", "other"])
            },
        }
    )
    coded = pd.DataFrame({"platform": ["twitter"], "message_id": ["0"]})
    batch = draw_uncertain_batch(classified, 10, coded, seed=3)
    assert batch.groupby("org_id").size().to_dict() == {"a": 10, "b": 10}
    assert "0" not in set(batch["message_id"]) and (batch["batch"] == "uncertain").all()
    top = np.sort(p, axis=1)
    margin = pd.Series(top[:, -1] - top[:, -2], index=classified["message_id"])
    for org, cell in classified.groupby("org_id"):
        chosen = margin[batch.loc[batch["org_id"] == org, "message_id"]]
        rest = (
            margin[cell["message_id"]]
            .drop(chosen.index, errors="ignore")
            .drop("0", errors="ignore")
        )
        assert chosen.max() <= rest.min()
    # an uncertainty batch trains the model but never enters the corrections
    sheet = batch.assign(coder_1="other", coder_2="other")
    gold = gold_standard(sheet, ["coder_1", "coder_2"])
    assert len(gold) == 20 and random_part(gold).empty
