from __future__ import annotations

import pandas as pd
import pytest

from engbench.classify import model as classifier
from tests.conftest import ROOT

LABELS = ROOT / "data" / "labels" / "coded_messages.csv"


@pytest.fixture(scope="session")
def coded() -> pd.DataFrame:
    return classifier.check_labels(pd.read_csv(LABELS), str(LABELS))


@pytest.fixture(scope="session")
def trained(coded):
    """The model as the workflow trains it (full grid, 5-fold selection)."""
    return classifier.train(coded, seed=2018, folds=5, n_jobs=2)
