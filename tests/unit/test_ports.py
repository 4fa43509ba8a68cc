"""The test suite's port picker: parallel workers never share a port range."""

from __future__ import annotations

import pytest

from tests.conftest import PORTS_HIGH, PORTS_LOW, worker_ports


def test_each_worker_picks_from_its_own_share_of_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    shares = []
    for worker in ("gw0", "gw1"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        shares.append(set(worker_ports()))
    assert not shares[0] & shares[1]
    assert min(shares[0]) == PORTS_LOW and max(shares[1]) < PORTS_HIGH
    assert len(shares[0]) == len(shares[1]) > 5_000


def test_without_xdist_the_whole_range_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    monkeypatch.delenv("PYTEST_XDIST_WORKER_COUNT", raising=False)
    assert worker_ports() == range(PORTS_LOW, PORTS_HIGH)
