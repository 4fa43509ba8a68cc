"""The merge job's decisions on the three newest labelled sets (written outside the project, each
by its own writer), against floors well under their benchmark figures: a change that makes the
matcher merge what it should not, or stop merging what it should, fails here before the
benchmark is run. The figures themselves are `make bench B=merging`'s."""

from __future__ import annotations

import pytest

from benchmarks.merging import BLIND_SETS, evaluate, load

PRECISION_FLOOR = 0.95  # benchmark at this commit: 0.977 ... 1.0
RECALL_FLOOR = 0.85  # benchmark at this commit: 0.89 ... 0.93


@pytest.mark.parametrize("name", ["blind13", "blind14", "blind15"])
def test_a_labelled_set_keeps_its_precision_and_recall(name: str) -> None:
    result = evaluate(load(BLIND_SETS[name]))
    assert result["precision"] >= PRECISION_FLOOR, result["_wrong"][:3]
    assert result["recall"] >= RECALL_FLOOR, result["_misses"][:3]
