"""Nothing is downloaded at run time: simulate and ingest with sockets disabled."""

from __future__ import annotations

import socket

import pytest

from engbench.ingest.canonical import OrganisationIndex
from engbench.ingest.files import ingest_file
from engbench.ingest.privacy import DEMO_KEY, Pseudonymiser
from tests.conftest import ROOT, simulate_from_config


class NetworkUsed(AssertionError):
    pass


def test_simulate_and_ingest_work_offline(monkeypatch, tmp_path, test_config):
    def refuse(*args, **kwargs):
        raise NetworkUsed(f"network access attempted: {args}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    edition = simulate_from_config(
        test_config, ROOT / test_config["organisations"], tmp_path / "sim", scale=0.003
    )
    for path in sorted((tmp_path / "sim" / "raw").glob("*/*.jsonl")):
        summary = ingest_file(
            path,
            source=path.parent.name,
            fmt="auto",
            organisations=OrganisationIndex(edition.accounts),
            pseudonymise=Pseudonymiser(DEMO_KEY.encode()),
            out=tmp_path / "out" / f"{path.parent.name}-{path.stem}.parquet",
            quarantine=tmp_path / "out" / f"{path.parent.name}-{path.stem}.jsonl",
        )
        assert summary.quarantined == 0
    with pytest.raises(NetworkUsed):
        socket.getaddrinfo("example.org", 80)
