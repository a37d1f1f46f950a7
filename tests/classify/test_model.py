"""The classifier: cross-validated quality, the codebook's hard cases, files, determinism."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from engbench.classify import TYPES
from engbench.classify import model as classifier
from engbench.classify.validation import cross_validate

# The decision rules the codebook (data/labels/CODEBOOK.md) illustrates, with its own examples.
HARD_CASES = [
    (
        "Waarom staat mijn pakket al een week in het sorteercentrum, @PakketDirect?",
        "complaint",
    ),  # R1
    ("Why is your app down AGAIN, BankNoord?", "complaint"),  # R1
    (
        "@BankNoord mijn pinpas wordt sinds vanochtend overal geweigerd, wat moet ik doen?",
        "complaint",
    ),  # R2
    (
        "My smart meter hasn't sent a reading in two weeks, what should I do, Voltaris?",
        "complaint",
    ),  # R2
    ("Wat moet ik doen als mijn pinpas ooit geblokkeerd raakt?", "question"),  # R2, hypothetical
    (
        "Altijd tevreden over jullie geweest, maar ik wacht nu al twee weken op mijn "
        "terugbetaling.",
        "complaint",
    ),  # R3
    (
        "Fijn dat het eindelijk is opgelost, maar drie weken zonder internetbankieren is echt "
        "te gek.",
        "complaint",
    ),  # R3
    (
        "Lovely staff on the train, but the heating in coach 3 still doesn't work.",
        "complaint",
    ),  # R3
    ("Storing binnen een uur opgelost, dank jullie wel @Voltaris!", "compliment"),  # R4
    ("Refund received today, thanks for sorting it out BankNoord!", "compliment"),  # R4
    ("Dank voor de snelle hulp gisteren, mijn pas doet het weer! @BankNoord", "compliment"),  # R4
    (
        "Iemand ervaring met de spaarrekening van BankNoord? Hoeveel rente krijg je?",
        "question",
    ),  # R5
    ("Does anyone know if PakketDirect delivers on Sundays?", "question"),  # R5
    ("Weet iemand of je bij SpoorNet in de spits een fiets mag meenemen?", "question"),  # R5
    ("Ik doe mee, Voltaris is de allerbeste! @vriendin1 #winactie", "other"),  # R6
    ("Ik doe mee! @vriendin1 @maatje_2 #winactie", "other"),  # R6
    ("Entering for my sister! @zus_account #giveaway", "other"),  # R6
    ("@maatje_2 this is so us 😂", "other"),  # R6
    ("Wie herkent dit? Maandagochtend en de koffie is op ☕", "other"),  # R6
    ("Wie gaat er dit weekend ook met de trein naar zee? ☀️", "other"),  # R6
    ("Lekker bezig weer @SpoorNet 👏", "complaint"),  # R7, irony
    ("Weer een kwartier vertraging. Top hoor, SpoorNet 🙃", "complaint"),  # R7
]


def test_cross_validated_macro_f1_on_the_coded_set(trained, coded):
    model, metadata = trained
    assert metadata["selection"]["best_macro_f1"] >= 0.80
    validation = cross_validate(model, coded, folds=5, seed=2018, n_jobs=2)
    assert validation["macro_f1"] >= 0.80
    assert (validation["per_class"]["f1"] >= 0.75).all()
    assert validation["confusion"].to_numpy().sum() == len(coded)


def test_the_codebooks_hard_cases(trained):
    model, _ = trained
    predicted = classifier.predict(model, [text for text, _ in HARD_CASES])["type"]
    misses = [(t, e, p) for (t, e), p in zip(HARD_CASES, predicted, strict=True) if e != p]
    # The model is trained on coded messages written independently of the codebook's examples.
    # Two known misses at the time of writing (an English help request about an own failure,
    # and "solved, but still annoyed"); more than two is a regression.
    assert len(misses) <= 2, misses


def test_predictions_have_one_type_and_probabilities(trained):
    model, _ = trained
    out = classifier.predict(model, ["@acme waar blijft mijn pakket??", "", None, "Top service!"])
    assert list(out.columns) == ["type", *[f"p_{t}" for t in TYPES]]
    assert out["type"].isin(TYPES).all()
    assert np.allclose(out[[f"p_{t}" for t in TYPES]].sum(axis=1), 1)


def test_classify_messages_keeps_the_rows_and_replaces_old_types(trained):
    """The incoming × organisation table (a message once per organisation addressed) and a
    plain CSV without message keys get the same types as predict gives row by row."""
    model, _ = trained
    texts = ["@acme waar blijft mijn pakket??", "Top service!", "Wat kost een abonnement?"]
    incoming = pd.DataFrame(
        {
            "org_id": ["a", "b", "a", "a"],
            "platform": "twitter",
            "message_id": ["1", "1", "2", "3"],
            "text": [texts[0], texts[0], texts[1], texts[2]],
            "type": "stale",
        }
    )
    direct = classifier.predict(model, incoming["text"])
    out = classifier.classify_messages(model, incoming)
    assert list(out.columns) == ["org_id", "platform", "message_id", "text", *direct.columns]
    pd.testing.assert_frame_equal(out[incoming.columns[:4]], incoming[incoming.columns[:4]])
    pd.testing.assert_frame_equal(out[direct.columns], direct)
    plain = classifier.classify_messages(model, incoming[["text"]].set_index(incoming.index + 5))
    pd.testing.assert_frame_equal(plain[direct.columns], direct)


def test_classify_file_in_batches_equals_one_call(trained, coded, tmp_path):
    """Batches of 7 rows (a message's rows split between batches, one batch all-null in a
    column) give the rows, order, types and probabilities of one call on the table; an
    empty file gives the typed empty table; no partial file is left."""
    model, _ = trained
    texts = coded["text"].head(40).tolist()
    incoming = pd.DataFrame(
        {
            "org_id": [f"org{i % 3}" for i in range(46)],
            "platform": "twitter",
            "message_id": [*map(str, range(40)), "5", "6", "6", "30", "31", "39"],
            "text": [*texts, texts[5], texts[6], texts[6], texts[30], texts[31], texts[39]],
            "parent_id": [*[None] * 7, *map(str, range(7, 46))],
        }
    )
    incoming.to_parquet(tmp_path / "incoming.parquet", index=False)
    n = classifier.classify_file(
        model, tmp_path / "incoming.parquet", tmp_path / "out.parquet", batch_rows=7
    )
    assert n == 46
    whole = classifier.classify_messages(model, incoming)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out.parquet"), whole)
    incoming.head(0).to_parquet(tmp_path / "empty.parquet", index=False)
    assert classifier.classify_file(model, tmp_path / "empty.parquet", tmp_path / "e.parquet") == 0
    empty = pd.read_parquet(tmp_path / "e.parquet")
    assert list(empty.columns) == list(whole.columns) and empty.empty
    assert not list(tmp_path.glob("*.partial"))


def test_model_files_round_trip_and_carry_metadata(trained, tmp_path, coded):
    model, metadata = trained
    classifier.save(model, metadata, tmp_path / "m")
    loaded, meta = classifier.load(tmp_path / "m")
    texts = coded["text"].head(200).tolist()
    pd.testing.assert_frame_equal(
        classifier.predict(model, texts), classifier.predict(loaded, texts)
    )
    assert meta["training_data_sha256"] == classifier.data_hash(coded)
    assert meta["versions"]["scikit-learn"] and meta["training_messages"] == len(coded)
    saved = json.loads((tmp_path / "m" / "metadata.json").read_text())
    saved["versions"]["scikit-learn"] = "0.0.1"
    (tmp_path / "m" / "metadata.json").write_text(json.dumps(saved))
    with pytest.raises(ValueError, match="retrain"):
        classifier.load(tmp_path / "m")


def test_training_and_classification_are_deterministic(coded):
    grid = {"calibrated__estimator__C": [1.0], "features__words__ngram_range": [(1, 2)]}
    subset = coded.groupby("label").head(80)
    a, _ = classifier.train(subset, grid=grid)
    b, _ = classifier.train(subset, grid=grid)
    texts = coded["text"].tail(300).tolist()
    pd.testing.assert_frame_equal(classifier.predict(a, texts), classifier.predict(b, texts))
    pd.testing.assert_frame_equal(
        classifier.predict(a, texts), classifier.predict(a, texts, n_jobs=2, chunk=100)
    )


def test_unusable_labels_are_named():
    frame = pd.DataFrame({"text": ["a", "b"], "label": ["complaint", "klachtt"]})
    with pytest.raises(classifier.LabelError, match=r"not one of complaint.*lines 3"):
        classifier.check_labels(frame, "x.csv")
    with pytest.raises(classifier.LabelError, match="missing column"):
        classifier.check_labels(pd.DataFrame({"message": ["a"]}), "x.csv")
